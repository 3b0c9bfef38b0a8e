from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chapterhouse.web"
    label = "web"
    verbose_name = "Web base"
