from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "chapterhouse.selection"
    label = "selection"
    verbose_name = "Selection, decisions and letters"

    def ready(self):
        from chapterhouse.selection import hooks  # noqa: F401  (connects the desk-decision letter hook)
