from django.apps import AppConfig


class LaunchConfig(AppConfig):
    name = "chapterhouse.launch"
    label = "launch"
    verbose_name = "Launch: catalogue pages, metadata and the catalogue API"
