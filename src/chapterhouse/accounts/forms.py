from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm


class EmailOrUsernameAuthenticationForm(AuthenticationForm):
    """Authors know their e-mail address, not the account name made for them; either one logs in."""

    username = forms.CharField(label="E-mail or user name", max_length=254, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean(self):
        value = (self.cleaned_data.get("username") or "").strip()
        if "@" in value:
            match = get_user_model().objects.filter(email__iexact=value).order_by("pk").first()
            if match:
                self.cleaned_data["username"] = match.get_username()
        return super().clean()
