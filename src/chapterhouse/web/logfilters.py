"""Logging filters: a refused request is one line in the log, not a traceback."""

import logging


class OneLineForRefusals(logging.Filter):
    """Drops the traceback from 4xx records (a 403 is the permission check working, not a fault)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
