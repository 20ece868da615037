"""One log line per event on stdout, tagged with the request id or the Celery task id."""

import logging
import uuid
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class ContextFilter(logging.Filter):
    """Adds ``context_id``: the current request's id, else the running task's, else ``-``."""

    def filter(self, record: logging.LogRecord) -> bool:
        context_id = request_id.get()
        if context_id == "-":
            from celery import current_task

            if current_task and current_task.request.id:
                context_id = f"task:{current_task.request.id}"
        record.context_id = context_id
        return True


class RequestIdMiddleware:
    """Gives every request an id (the proxy's ``X-Request-ID`` if sane) and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if incoming.isascii() and 0 < len(incoming) <= 64 and incoming.isprintable() else ""
        token = request_id.set(rid or uuid.uuid4().hex[:16])
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)
