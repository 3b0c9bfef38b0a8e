"""Web threads keep their database connection between requests, health-checked; SQLite's PRAGMAs are set on
every new connection, so a kept one and a fresh one behave alike."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def test_connections_are_kept_and_health_checked():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] >= 60 and database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_a_new_sqlite_connection_gets_the_pragmas_again():
    def synchronous() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            return cursor.fetchone()[0]

    assert synchronous() == 1  # NORMAL
    connection.close()
    assert synchronous() == 1  # a new connection: init_command ran again
