"""Log-in: argon2 hashes, e-mail or user name, lock-out after repeated failures."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_argon2_is_the_password_hasher_in_the_real_settings():
    from chapterhouse import settings as real

    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_a_password(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = get_user_model().objects.create_user("argon", "argon@example.org", "a good long password")
    assert user.password.startswith("argon2$") and get_hasher().algorithm == "argon2"


def test_an_author_logs_in_with_their_email(client, make_user):
    make_user("jordan.ellis@example.edu", "author", email="Jordan.Ellis@example.edu")
    response = client.post(reverse("login"), {"username": "jordan.ellis@example.edu", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_repeated_failures_lock_the_account_out(client, make_user):
    make_user("victim", "editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "victim", "password": "wrong"})
        assert response.status_code == 200 and b"Please enter a correct" in response.content
    assert client.post(reverse("login"), {"username": "victim", "password": "wrong"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "victim", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content and b"Try again in 15 minutes" in locked.content


def test_logout_needs_a_post(client, make_user):
    client.force_login(make_user("someone"))
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
