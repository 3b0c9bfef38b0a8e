"""Issue 7 §7: a Content-Security-Policy on every page with nothing inline, and no weak SECRET_KEY in production."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import chapterhouse
from chapterhouse.web.secretkey import weak_secret_key_problem

PACKAGE = Path(chapterhouse.__file__).parent


@pytest.mark.django_db
@pytest.mark.parametrize("name,who", [("home", None), ("login", None), ("password_reset", None), ("desk", "editor")])
def test_every_page_carries_a_strict_policy(client, call, people, name, who):
    if who:
        client.force_login(people[who])
    response = client.get(reverse(name), follow=True)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in PACKAGE.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", text):
            offenders.append(str(template.relative_to(PACKAGE)))
    assert offenders == []


@pytest.mark.parametrize("key", ["short", "a" * 60, "password" * 8, "django-insecure-" + "x1y2z3" * 10])
def test_weak_keys_are_named_as_weak(key):
    assert weak_secret_key_problem(key)


def test_a_random_key_is_strong():
    assert weak_secret_key_problem(secrets.token_urlsafe(50)) == ""
    assert weak_secret_key_problem(secrets.token_hex(32)) == ""


def production_settings(key: str, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, CHAPTERHOUSE_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="press.example",
               CHAPTERHOUSE_DATA=str(tmp_path), DJANGO_SETTINGS_MODULE="chapterhouse.settings")
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.database  # the settings it loads read the suite's DATABASE_URL
def test_production_refuses_a_weak_key_with_a_clear_message(tmp_path):
    result = production_settings("password" * 8, tmp_path)
    assert result.returncode != 0 and "SECRET_KEY is too weak for production" in result.stderr
    assert production_settings(secrets.token_urlsafe(50), tmp_path).returncode == 0
