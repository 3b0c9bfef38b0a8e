"""Production logs as one JSON object per line, for journald, a log shipper or `jq`; python-json-logger does the
encoding. Django attaches the request to its request-error records: it becomes the method and path, never the
object's repr (which could carry headers)."""

from __future__ import annotations

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter


class RequestJsonFormatter(JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "server_time"])
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        super().add_fields(log_data, record, message_dict)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            log_data["method"], log_data["path"] = request.method, request.path
            log_data["client"] = request.META.get("REMOTE_ADDR")
