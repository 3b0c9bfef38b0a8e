from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chapterhouse.web"
    label = "web"
    verbose_name = "Web base"

    def ready(self) -> None:
        from chapterhouse.web import pagecache  # noqa: F401  (connects the public stamp's watcher)
