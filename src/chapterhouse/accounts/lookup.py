"""Finding people by e-mail address: the canonical form, compared exactly, never a database case-fold."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from chapterhouse.accounts.emails import InvalidEmail, canonical_email, canonical_or_none


def fold_local_case() -> bool:
    return getattr(settings, "CHAPTERHOUSE_EMAIL_FOLD_LOCAL_CASE", True)


def canonical(raw: str) -> str:
    """The press's canonical form of ``raw``; raises InvalidEmail."""
    return canonical_email(raw, fold_local_case=fold_local_case())


def user_with_email(raw: str):
    """The oldest account whose stored address is exactly the canonical form of ``raw``, or None."""
    address = canonical_or_none(raw, fold_local_case=fold_local_case())
    if address is None:
        return None
    return get_user_model().objects.filter(email=address).order_by("pk").first()


def canonicalise_stored_email(sender, instance, **kwargs) -> None:
    """pre_save for users: whatever path saves an account (forms, admin, createsuperuser), its address is canonical."""
    if instance.email:
        instance.email = canonical_or_none(instance.email, fold_local_case=fold_local_case()) or instance.email.strip()


class CanonicalEmailField(forms.EmailField):
    """An e-mail form field whose cleaned value is the canonical address (validated after canonicalising, so a
    trailing dot or fullwidth letters are accepted as the address they spell)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return canonical(value)
        except InvalidEmail as problem:
            raise forms.ValidationError(f"{problem} Enter an e-mail address like name@example.org.", code="invalid") from None
