from django.apps import AppConfig


class LineEditConfig(AppConfig):
    name = "chapterhouse.production.lineedit"
    label = "lineedit"
    verbose_name = "Line editing"
