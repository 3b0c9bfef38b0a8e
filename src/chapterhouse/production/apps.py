from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "chapterhouse.production"
    label = "production"
    verbose_name = "Production: cover, front matter and galleys"
