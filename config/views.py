"""Project-wide views: health check and where a person lands after signing in."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from bookings_app.roles import is_owner, is_staff_member

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as e:  # noqa: BLE001 - any failure means "down", and is reported
        logger.warning("health: database unreachable: %s", e)
        return "down"
    return "ok"


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as e:  # noqa: BLE001
        logger.warning("health: broker unreachable: %s", e)
        return "down"
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 (with which one) when not."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "down", **state}, status=200 if healthy else 503)


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    if is_owner(request.user):
        return redirect("dashboard:home")
    if is_staff_member(request.user):
        return redirect("staff:today")
    return redirect("public:home")
