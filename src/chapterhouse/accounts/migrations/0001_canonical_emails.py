"""Rewrites every stored address in its canonical form, so exact look-ups find accounts made before it."""

from django.conf import settings
from django.db import migrations

from chapterhouse.accounts.emails import canonical_or_none


def canonicalise(apps, schema_editor):
    fold = getattr(settings, "CHAPTERHOUSE_EMAIL_FOLD_LOCAL_CASE", True)
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for user in User.objects.exclude(email="").only("pk", "email"):
        address = canonical_or_none(user.email, fold_local_case=fold)
        if address and address != user.email:
            User.objects.filter(pk=user.pk).update(email=address)
    Author = apps.get_model("proposals", "ProposalAuthor")
    for author in Author.objects.only("pk", "email"):
        address = canonical_or_none(author.email, fold_local_case=fold)
        if address and address != author.email:
            Author.objects.filter(pk=author.pk).update(email=address)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("proposals", "0001_initial"),
    ]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
