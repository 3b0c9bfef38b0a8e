from django.apps import AppConfig


class CallConfig(AppConfig):
    name = "chapterhouse.call"
    label = "call"
    verbose_name = "Calls for proposals"
