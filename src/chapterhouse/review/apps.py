from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "chapterhouse.review"
    label = "review"
    verbose_name = "Review of proposals"
