from django.apps import AppConfig


class ClearanceConfig(AppConfig):
    name = "chapterhouse.clearance"
    label = "clearance"
    verbose_name = "Security and policy review"
