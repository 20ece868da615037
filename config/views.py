"""Project-wide views: health check, the site icon, and where a person lands after signing in."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late

from django.contrib.auth.decorators import login_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache

from bookings_app.web.roles import is_owner, is_staff_member

from .celery import app as celery_app

logger = logging.getLogger(__name__)

HEALTH_DEADLINE = 1.5  # seconds /healthz waits for all its answers together
# One thread per check, apart from the request's: a check that hangs is reported "down" at the
# deadline, and while it still hangs the next probes' checks wait behind it and are dropped,
# so a hung database or broker never holds a request nor piles up threads.
_CHECKERS = {
    "database": ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz-database"),
    "broker": ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz-broker"),
}


def _database_state() -> str:
    probe = connections.create_connection(DEFAULT_DB_ALIAS)  # afresh, closed after each check
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as e:  # noqa: BLE001 - any failure means "down", and is reported
        logger.warning("health: database unreachable: %s", e)
        return "down"
    finally:
        probe.close()
    return "ok"


def _broker_state() -> str:
    try:  # connection_for_write: bounded by REDIS_TIMEOUT, no retry (config/celery.py)
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0)
    except Exception as e:  # noqa: BLE001
        logger.warning("health: broker unreachable: %s", e)
        return "down"
    return "ok"


_CHECKS = {"database": _database_state, "broker": _broker_state}


def _states() -> dict[str, str]:
    deadline = time.monotonic() + HEALTH_DEADLINE
    pending = {name: _CHECKERS[name].submit(check) for name, check in _CHECKS.items()}
    states = {}
    for name, future in pending.items():
        try:
            states[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except Late:
            future.cancel()  # still queued behind a hung check: never run it
            logger.warning("health: %s did not answer within %s s", name, HEALTH_DEADLINE)
            states[name] = "down"
    return states


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 (with which one) when not, within
    ``HEALTH_DEADLINE`` whatever hangs."""
    state = _states()
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "down", **state}, status=200 if healthy else 503)


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico whatever the page says; send them to the icon the pages link.
    Not permanent: the static file's hashed name changes with each release."""
    return redirect(static("favicon.svg"))


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    if is_owner(request.user):
        return redirect("dashboard:home")
    if is_staff_member(request.user):
        return redirect("staff:today")
    return redirect("public:home")
