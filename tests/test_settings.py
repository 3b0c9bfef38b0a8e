"""Settings come from the environment with safe defaults."""

import os
import subprocess
import sys


def settings_of(env: dict, expression: str) -> subprocess.CompletedProcess:
    code = f"import chapterhouse.settings as s; print({expression})"
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "CHAPTERHOUSE_ENV", "ALLOWED_HOSTS"}}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=60)


def test_sqlite_in_the_data_folder_by_default(tmp_path):
    result = settings_of({"CHAPTERHOUSE_DATA": str(tmp_path)}, "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.DEBUG")
    assert result.stdout.strip() == f"django.db.backends.sqlite3 {tmp_path}/chapterhouse.sqlite3 False"
    assert (tmp_path / "secret_key").exists()  # generated once and kept


def test_database_url_switches_to_postgresql(tmp_path):
    result = settings_of({"CHAPTERHOUSE_DATA": str(tmp_path), "DATABASE_URL": "postgres://u:p@db.example:5432/volume"},
                         "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.DATABASES['default']['NAME']")
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example", "volume"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_of({"CHAPTERHOUSE_DATA": str(tmp_path), "CHAPTERHOUSE_ENV": "production", "ALLOWED_HOSTS": "volume.example"}, "1")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_with_its_settings_uses_secure_cookies(tmp_path):
    result = settings_of({"CHAPTERHOUSE_DATA": str(tmp_path), "CHAPTERHOUSE_ENV": "production", "SECRET_KEY": "k7Qp2vX9mL4sT8wR1zN6bH3cJ5dF0gYa-_uEiOoPqWeRtYuIoPaSdFgHjKl",
                          "ALLOWED_HOSTS": "volume.example"}, "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, s.EMAIL_BACKEND")
    assert result.stdout.strip() == "True True ['volume.example'] django.core.mail.backends.smtp.EmailBackend"
