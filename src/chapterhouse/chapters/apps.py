from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "chapterhouse.chapters"
    label = "chapters"
    verbose_name = "Chapters"

    def ready(self):
        from chapterhouse.chapters import hooks  # noqa: F401  (connects the proposal-accepted hook)
