"""GET /healthz: 200 when the database answers with a current schema and a worker is alive, 503 naming what
is wrong otherwise."""

import datetime as dt
import shutil

import pytest
from django.db import DatabaseError
from django.utils import timezone

from chapterhouse.ops import health
from chapterhouse.outbox.heartbeat import beat

pytestmark = pytest.mark.django_db


def free_space(megabytes):
    return lambda path: shutil._ntuple_diskusage(10**12, 10**12 - megabytes * 2**20, megabytes * 2**20)


@pytest.fixture(autouse=True)
def roomy_disk(monkeypatch, settings):
    settings.CHAPTERHOUSE_MIN_FREE_DISK_MB = 1024
    monkeypatch.setattr(health, "disk_usage", free_space(5000))


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_with_a_live_worker(client, database_tasks):
    beat("worker-a", timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {"status": "ok", "checks": {
        "database": {"ok": True, "detail": f"{health.connection.vendor}, schema current"},
        "worker": {"ok": True, "detail": "1 alive (heartbeat within 60 s)"},
        "disk": {"ok": True, "detail": "5000 MB free (warning below 1024 MB)"}}}


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


def test_low_disk_space_is_a_warning_before_uploads_fail(client, database_tasks, monkeypatch, settings):
    """Issue 18 §4: /healthz reports low disk space before a full disk refuses uploads."""
    beat("worker-a", timezone.now())
    monkeypatch.setattr(health, "disk_usage", free_space(300))
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "warning"  # still serving: not out of the pool
    assert body["checks"]["disk"]["ok"] is False
    assert body["checks"]["disk"]["detail"].startswith("only 300 MB free on the disk holding ")
    assert "(warning below 1024 MB)" in body["checks"]["disk"]["detail"]
    settings.CHAPTERHOUSE_MIN_FREE_DISK_MB = 200
    assert client.get("/healthz").json()["status"] == "ok"


def test_low_disk_space_beside_a_dead_worker_is_still_unavailable(client, database_tasks, monkeypatch):
    monkeypatch.setattr(health, "disk_usage", free_space(10))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
    assert response.json()["checks"]["disk"]["ok"] is False
