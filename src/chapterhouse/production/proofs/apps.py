from django.apps import AppConfig


class ProofsConfig(AppConfig):
    name = "chapterhouse.production.proofs"
    label = "proofs"
    verbose_name = "Author proofs"
