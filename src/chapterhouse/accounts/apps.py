from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chapterhouse.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from chapterhouse.accounts.lookup import canonicalise_stored_email

        pre_save.connect(canonicalise_stored_email, sender=get_user_model(), dispatch_uid="canonical-user-email")
