from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running chapterhouse in production: health check, backup and restore, logs, file storage settings."""

    name = "chapterhouse.ops"
    label = "ops"
    verbose_name = "Operations"
