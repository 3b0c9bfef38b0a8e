"""Operations views for every role: /healthz is public (monitors and load balancers have no account) and says
nothing about anyone's data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from chapterhouse.outbox.heartbeat import beat
from tests.matrix import WHO

pytestmark = pytest.mark.django_db


MATRIX = {
    ("healthz", "get"): dict.fromkeys(WHO, 200),
    ("healthz", "post"): dict.fromkeys(WHO, 405),
}


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, settings, view, method, who):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    beat("worker-under-test", timezone.now())
    if who != "anonymous":
        client.force_login(people[who])
    response = getattr(client, method)(reverse(view))
    assert response.status_code == MATRIX[(view, method)][who], f"{who} {method.upper()} {view}"
