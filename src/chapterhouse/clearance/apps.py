from django.apps import AppConfig


class ClearanceConfig(AppConfig):
    name = "chapterhouse.clearance"
    label = "clearance"
    verbose_name = "Security and policy review"

    def ready(self):
        from chapterhouse.accounts.landing import land
        from chapterhouse.accounts.roles import SECURITY_REVIEWER

        land(SECURITY_REVIEWER, "clearance_home")
