from django.apps import AppConfig


class LineEditConfig(AppConfig):
    name = "chapterhouse.production.lineedit"
    label = "lineedit"
    verbose_name = "Line editing"

    def ready(self):
        from chapterhouse.accounts.landing import land
        from chapterhouse.accounts.roles import PRODUCTION

        land(PRODUCTION, "copyedit_home")
