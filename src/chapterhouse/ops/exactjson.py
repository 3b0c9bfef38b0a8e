"""Django's JSON serializer with times kept to the microsecond, for the portable copy in a SQLite backup.

Django's own JSON cuts a time to the millisecond (ECMA-262's format), so a press moving from SQLite to PostgreSQL
through ``restore --to`` would lose each timestamp's last three digits, and a row stored at .000412 s would come
back different from the one backed up. ``loaddata`` reads these times with the standard JSON deserializer.
"""

from __future__ import annotations

import datetime as dt

from django.core.serializers.json import Deserializer, DjangoJSONEncoder  # noqa: F401  (a serializer module has both)
from django.core.serializers.json import Serializer as JSONSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            return o.isoformat().replace("+00:00", "Z")
        if isinstance(o, dt.time) and o.microsecond:
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
