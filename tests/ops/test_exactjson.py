"""The portable copy in a SQLite backup keeps every time to the microsecond, and loaddata reads it back exactly."""

import datetime as dt
import json

import pytest
from django.core import serializers

pytestmark = pytest.mark.django_db


def test_times_survive_to_the_microsecond(people):
    moment = dt.datetime(2026, 11, 30, 11, 57, 2, 412, tzinfo=dt.timezone.utc)  # Django's JSON would write .000
    people["editor"].date_joined = moment
    people["editor"].save()
    text = serializers.serialize("exactjson", [people["editor"]])
    assert json.loads(text)[0]["fields"]["date_joined"] == "2026-11-30T11:57:02.000412Z"
    assert serializers.serialize("json", [people["editor"]]).count("11:57:02.000Z") == 1  # what it replaces
    [restored] = list(serializers.deserialize("json", text))
    assert restored.object.date_joined == moment
