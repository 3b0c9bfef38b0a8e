from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "chapterhouse.outbox"
    label = "outbox"
    verbose_name = "Outbox"
