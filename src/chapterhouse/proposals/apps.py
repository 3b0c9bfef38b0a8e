from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "chapterhouse.proposals"
    label = "proposals"
    verbose_name = "Proposals"
