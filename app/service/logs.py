"""Structured logs: with `log_format = "json"`, every record of the app's loggers is one JSON
object a line (time, level, logger, message, the request id when there is one), the form log
collectors (Loki, Cloud Logging, Elasticsearch) parse without rules of their own.

The request id is set per request by the API's observing middleware (a context variable: it
follows the request through awaits, never leaks to another).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
APP_LOGGER = "autograd_playground"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(log_format: str) -> None:
    """JSON lines on stderr for the app's loggers (INFO and up); `text` leaves logging as is."""
    if log_format != "json":
        return
    logger = logging.getLogger(APP_LOGGER)
    if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        return  # configured already (a second app in one process)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
