from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "chapterhouse.progress"
    label = "progress"
    verbose_name = "In-progress reviews"
