from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "chapterhouse.selection"
    label = "selection"
    verbose_name = "Selection, decisions and letters"
