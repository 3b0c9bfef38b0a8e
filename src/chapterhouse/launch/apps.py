from django.apps import AppConfig


class LaunchConfig(AppConfig):
    name = "chapterhouse.launch"
    label = "launch"
    verbose_name = "Launch: catalogue pages, metadata and the catalogue API"

    def ready(self):
        from chapterhouse.launch import ledger  # noqa: F401  (gives a launched book's chapters their DOIs)
