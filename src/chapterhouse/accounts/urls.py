from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from chapterhouse.accounts.views import (LandingLoginView, LimitedPasswordResetView, PasswordSavedView,
                                         SetPasswordAndLogInView, waiting)
from chapterhouse.accounts.forms import CanonicalPasswordResetForm, EmailOrUsernameAuthenticationForm, NewPasswordForm

urlpatterns = [
    path("waiting/", waiting, name="waiting"),
    path(
        "login/",
        LandingLoginView.as_view(
            template_name="accounts/login.html", authentication_form=EmailOrUsernameAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        LimitedPasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=CanonicalPasswordResetForm,
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        SetPasswordAndLogInView.as_view(
            template_name="accounts/password_set.html", success_url=reverse_lazy("password_set_done"),
            form_class=NewPasswordForm,
        ),
        name="password_set",
    ),
    path(
        "password/set/done/",
        PasswordSavedView.as_view(template_name="accounts/password_set_done.html"),
        name="password_set_done",
    ),
]
