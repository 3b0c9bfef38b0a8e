from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "chapterhouse.production.publication"
    label = "publication"
    verbose_name = "Publication record"
