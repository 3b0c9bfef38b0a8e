from django.apps import AppConfig


class SiteConfig(AppConfig):
    """An app only so that Django finds the ``setup_site`` management command here; it has no models."""

    name = "chapterhouse.site"
    label = "site_assembly"
    verbose_name = "Site assembly"
