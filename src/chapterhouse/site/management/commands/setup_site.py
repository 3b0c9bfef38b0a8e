"""Brings a database up to date and loads the default call when it is missing; with --demo, adds demo data."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chapterhouse.accounts.roles import ensure_groups
from chapterhouse.call.loading import install_call_file
from chapterhouse.call.models import Call
from chapterhouse.call.schema import CallFileError, load_call

# The demo moves the default call so that its proposal window opened two weeks ago and is open today.
DEMO_OPENED_DAYS_AGO = 14


class Command(BaseCommand):
    help = "Migrate, create the cache table, load the default call if absent; --demo adds demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true")

    def handle(self, *args, demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        ensure_groups()
        path = settings.CHAPTERHOUSE_DEFAULT_CALL
        try:
            definition = load_call(path)
        except CallFileError as error:
            raise CommandError(str(error)) from None
        if Call.objects.filter(slug=definition.slug).exists():
            self.stdout.write(f"Default call “{definition.title}” already loaded.")
        else:
            open_on = timezone.localdate() - dt.timedelta(days=DEMO_OPENED_DAYS_AGO) if demo else None
            call = install_call_file(path, open_on=open_on)
            moved = f", milestones moved {call.shift_days:+d} days so proposals are open today" if call.shift_days else ""
            self.stdout.write(f"Loaded the default call “{call.title}”{moved}.")
        if demo:
            if settings.PRODUCTION:
                raise CommandError("Demo accounts are not created when CHAPTERHOUSE_ENV=production.")
            from chapterhouse.site.demo.story import print_logins, seed_demo

            accounts = seed_demo(Call.objects.get(slug=definition.slug), settings.CHAPTERHOUSE_BASE_URL)
            print_logins(accounts, self.stdout)
