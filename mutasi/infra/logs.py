"""Logs as JSON lines an operator can search: time, level, process, message, and whatever ids
the line belongs to (request, cycle, case, task, workflow and run), taken from the request
context, from Temporal's activity and workflow loggers, or from the running activity."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from temporalio import activity, workflow

from contracts.ids import parse_case_id, subject_of_workflow

REQUEST_ID: ContextVar[str | None] = ContextVar("mutasi_request_id", default=None)
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Ids a caller may attach to one line with `extra={...}`.
_EXTRA_IDS = ("cycle_id", "case_id", "task_id")


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is a plain token, else a new one (a header never
    injects text into a log line)."""
    if header and _SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def ids_of_workflow(workflow_id: str | None) -> dict[str, str]:
    if not workflow_id:
        return {}
    subject = subject_of_workflow(workflow_id)
    if subject is None:
        return {}
    kind, subject_id = subject
    if kind == "cycle":
        return {"cycle_id": subject_id}
    try:
        return {"case_id": subject_id, "cycle_id": parse_case_id(subject_id).cycle_id}
    except ValueError:
        return {"case_id": subject_id}


def context_ids(record: logging.LogRecord) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    request_id = REQUEST_ID.get()
    if request_id:
        ids["request_id"] = request_id
    temporal = getattr(record, "temporal_activity", None) or getattr(
        record, "temporal_workflow", None
    )
    if temporal is None and activity.in_activity():
        info = activity.info()
        temporal = {
            "workflow_id": info.workflow_id,
            "workflow_run_id": info.workflow_run_id,
            "activity_type": info.activity_type,
            "activity_id": info.activity_id,
        }
    if temporal:
        ids["workflow_id"] = temporal.get("workflow_id")
        ids["run_id"] = temporal.get("workflow_run_id") or temporal.get("run_id")
        for key in ("activity_type", "workflow_type", "attempt"):
            if temporal.get(key) is not None:
                ids[key] = temporal[key]
        ids.update(ids_of_workflow(ids["workflow_id"]))
    for key in _EXTRA_IDS:
        value = getattr(record, key, None)
        if value is not None:
            ids[key] = value
    return ids


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "process": self.process_name,
            "pid": os.getpid(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(context_ids(record))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(
    process_name: str,
    log_format: str = "json",
    level: int = logging.INFO,
    stream: TextIO | None = None,
) -> logging.Handler:
    """One handler on the root logger (replacing earlier ones, so calling twice is harmless)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(process_name))
        # The ids are fields of their own: no need to repeat them inside the message.
        activity.logger.activity_info_on_message = False
        workflow.logger.workflow_info_on_message = False
    else:
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s {process_name} %(levelname)s %(message)s")
        )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv = logging.getLogger(name)
        uv.handlers.clear()
        uv.propagate = True
    return handler
