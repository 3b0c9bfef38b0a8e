from django import forms
from django.db import transaction
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from chapterhouse.outbox.mail import queue_mail
from chapterhouse.accounts.lookup import CanonicalEmailField, user_with_email
from chapterhouse.web.forms import SingleLineRule


class EmailOrUsernameAuthenticationForm(SingleLineRule, AuthenticationForm):
    """Authors know their e-mail address, not the account name made for them; either one logs in."""

    username = forms.CharField(label="E-mail or user name", max_length=254, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean(self):
        value = (self.cleaned_data.get("username") or "").strip()
        if "@" in value:
            match = user_with_email(value)
            if match:
                self.cleaned_data["username"] = match.get_username()
        return super().clean()


class CanonicalPasswordResetForm(SingleLineRule, PasswordResetForm):
    """Finds the account by the canonical address, exactly, and includes accounts that never set a password.

    Django's form matches ``email__iexact`` (a database case-fold that lets look-alike addresses through) and
    skips accounts without a usable password, which locked out every author whose set-password mail was lost.
    The link always goes to the address stored on the account (``user.email``), never to what was typed.
    """

    email = CanonicalEmailField(label="E-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        user = user_with_email(email)
        if user is not None and user.is_active:
            yield user

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """Through the outbox, so a mail server that is down delays the link instead of losing it.

        ``to_email`` is read by Django from the account (``user.email``), never from what was typed.
        """
        user = context["user"]
        with transaction.atomic():
            queue_mail("accounts/email/password_link.txt", {**context, "has_password": user.has_usable_password()},
                       [user.email], about=user, kind="account.password_link")


class NewPasswordForm(SingleLineRule, SetPasswordForm):
    """Choosing a password (from a set-password link, or when joining a chapter): Django's form, with the rule."""
