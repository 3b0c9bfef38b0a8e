"""GET /healthz: 200 when the database answers with a current schema and a worker is alive, 503 naming what
is wrong otherwise."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.utils import timezone

from chapterhouse.ops import health
from chapterhouse.outbox.heartbeat import beat

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_with_a_live_worker(client, database_tasks):
    beat("worker-a", timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {"status": "ok", "checks": {
        "database": {"ok": True, "detail": f"{health.connection.vendor}, schema current"},
        "worker": {"ok": True, "detail": "1 alive (heartbeat within 60 s)"}}}


def test_no_worker_ever_seen_is_503_and_says_so(client, database_tasks):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["worker"] == {
        "ok": False, "detail": "no worker alive (never seen); mail waits in the outbox until `chapterhouse worker` runs"}


def test_a_worker_silent_for_two_minutes_is_down(client, database_tasks):
    beat("worker-a", timezone.now())
    from chapterhouse.outbox.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(seconds=125))
    detail = client.get("/healthz").json()["checks"]["worker"]["detail"]
    assert detail.startswith("no worker alive (last heartbeat 12") and detail.endswith("s ago); mail waits in the outbox until `chapterhouse worker` runs")


def test_without_the_database_task_backend_no_worker_is_needed(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.get("/healthz").status_code == 200


def test_an_unreachable_database_is_503_naming_the_database(client, database_tasks, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("connection to server at \"db.example\" failed: Connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    body = client.get("/healthz").json()
    assert body["checks"]["database"] == {
        "ok": False, "detail": "cannot be reached: connection to server at \"db.example\" failed: Connection refused"}


def test_unapplied_migrations_are_named(client, database_tasks, monkeypatch):
    beat("worker-a", timezone.now())
    monkeypatch.setattr(health, "expected_migrations", lambda: frozenset({("outbox", "9999_from_the_future")}))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["detail"] == (
        "1 migrations not applied (e.g. outbox.9999_from_the_future); run `chapterhouse setup`")
