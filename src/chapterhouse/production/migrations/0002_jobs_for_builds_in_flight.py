"""Builds left "Queued" or "Building" before long jobs existed (a worker killed mid-build, issue 18) get a job:
a building one held by a worker that never beats, which the sweep takes back; a queued one waiting, which the
sweep hands to a worker. Both then run like any other."""

from django.db import migrations
from django.utils import timezone

KIND = "chapterhouse.production.tasks.GalleyBuildJob"


def adopt(apps, schema_editor):
    GalleyBuild = apps.get_model("production", "GalleyBuild")
    Job = apps.get_model("outbox", "Job")
    ContentType = apps.get_model("contenttypes", "ContentType")
    builds = GalleyBuild.objects.filter(status__in=["queued", "running"])
    if not builds.exists():
        return
    subject_type, _ = ContentType.objects.get_or_create(app_label="production", model="galleybuild")
    now = timezone.now()
    for build in builds:
        if not Job.objects.filter(subject_type=subject_type, subject_id=build.pk).exists():
            running = build.status == "running"
            Job.objects.create(kind=KIND, subject_type=subject_type, subject_id=build.pk,
                               state="running" if running else "queued", attempts=1 if running else 0,
                               worker_id="before-long-jobs" if running else "", requested_by_id=build.requested_by_id,
                               queued_at=build.requested_at or now,
                               started_at=(build.started_at or now) if running else None)


class Migration(migrations.Migration):
    dependencies = [
        ("production", "0001_initial"),
        ("outbox", "0002_job_held_by_a_worker"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
