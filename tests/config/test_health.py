"""GET /healthz tells a load balancer whether the database and the broker answer."""

import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from config.celery import app as celery_app
from config.views import HEALTH_DEADLINE
from tests.support.redis_outage import SilentServer


@pytest.fixture
def unreachable_broker():
    """Point the app at a port where nothing listens, as when Redis is down."""
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    yield
    celery_app.conf.broker_url = original


def test_it_answers_ok_when_the_database_and_the_broker_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_answers_503_and_names_the_broker_when_it_is_down(client, db, unreachable_broker):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


def test_it_tags_every_response_with_a_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first and second and first != second


def test_it_keeps_the_proxys_request_id_but_not_a_forged_header(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x" * 500)["X-Request-ID"]
    assert forged != "x" * 500


@pytest.mark.postgres
@pytest.mark.timeout(30)
def test_it_answers_503_naming_the_database_when_it_hangs(client, db):
    """A PostgreSQL that accepts and never answers: /healthz still answers, within its deadline."""
    silent = SilentServer()
    saved = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {**saved, "HOST": "127.0.0.1", "PORT": silent.port}
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        took = time.monotonic() - started
    finally:
        connections.settings[DEFAULT_DB_ALIAS] = saved
        silent.close()

    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "broker": "ok"}
    # the deadline plus room for a busy machine; a hang would last until the test's timeout
    assert took < HEALTH_DEADLINE + 3.0, f"/healthz answered after {took:.2f} s"
