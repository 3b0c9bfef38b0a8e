from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "chapterhouse.proposals"
    label = "proposals"
    verbose_name = "Proposals"

    def ready(self):
        from chapterhouse.proposals import hooks  # noqa: F401  (connects the state_changed receivers)
