"""``chapterhouse doctor``: reports files left behind by failed writes or rolled-back submissions, and removes them."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from chapterhouse.web.doctor import find_orphans


class Command(BaseCommand):
    help = "Report and remove orphaned upload files (partial writes, files of submissions that were never stored)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only report; remove nothing")
        parser.add_argument("--min-age", type=float, default=60,
                            help="leave files younger than this many minutes (default 60): a submission may be in flight")

    def handle(self, *args, dry_run=False, min_age=60, **options):
        root = settings.MEDIA_ROOT
        orphans = find_orphans(root, min_age_seconds=min_age * 60)
        if not orphans:
            self.stdout.write(f"No orphaned files in {root}.")
            return
        for orphan in orphans:
            if not dry_run:
                orphan.path.unlink(missing_ok=True)
            verb = "would remove" if dry_run else "removed"
            self.stdout.write(f"{verb} {orphan.path.relative_to(root)} ({filesizeformat(orphan.size)}): {orphan.why}")
        total = sum(orphan.size for orphan in orphans)
        self.stdout.write(f"{len(orphans)} orphaned file{'s' if len(orphans) != 1 else ''}, {filesizeformat(total)}"
                          + (" (dry run: nothing removed)" if dry_run else " removed") + ".")
