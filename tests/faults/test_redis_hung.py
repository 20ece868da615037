"""Redis accepts connections and never answers (a hung server, a dead machine behind a live
address) while clients book through a real gunicorn: every booking commits once and answers at
once, /healthz names the broker within its deadline, and the work waits for the sweeps."""

import time

import pytest

from config.celery import BROKER_COOL_OFF
from tests.support.redis_outage import SilentServer

from .web import Visitor, booking_form

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

CLIENTS = 4
# What the requests wait for is counted: each connection the hung Redis holds is one wait of at
# most REDIS_TIMEOUT, and after the first failure the cache and the broker stop asking. The clock
# only backs the count up, far above a busy machine and far below gunicorn's timeout (30 s in
# production), which each booking used to wait for.
WAITS = 3  # the cache's first connection, the broker's, and /healthz's own probe of the broker
BACKSTOP = 6.0  # seconds


def timed(call, *args):
    started = time.monotonic()
    answer = call(*args)
    return answer, time.monotonic() - started


def test_a_hung_redis_holds_no_booking_and_no_health_probe(stack):
    studio = stack.studio("setup", class_capacity=20)
    book = f"/s/{studio['yoga']}/sessions/{studio['session']}/book/"
    silent = SilentServer()
    try:
        stack.redis_url = silent.url  # every process started from here on sees a hung Redis
        port = stack.gunicorn(workers=1, threads=4)
        first = Visitor(port)
        assert first.post(book, booking_form(first, book, name="warmup")).status == 303  # loads the code
        time.sleep(BROKER_COOL_OFF)  # the next booking asks the hung Redis again, and waits for it
        held_before = len(silent.accepted)
        answers = []
        for n in range(CLIENTS):
            visitor = Visitor(port)
            answers.append(timed(visitor.post, book, booking_form(visitor, book, name=f"hung{n}")))
        health, health_took = timed(Visitor(port).get, "/healthz")
        waits = len(silent.accepted) - held_before
    finally:
        silent.close()

    assert [answer.status for answer, _ in answers] == [303] * CLIENTS
    assert 1 <= waits <= WAITS, waits
    assert max(took for _, took in answers) < BACKSTOP, [round(took, 2) for _, took in answers]
    assert health.status == 503 and '"broker": "down"' in health.body and '"database": "ok"' in health.body
    assert health_took < BACKSTOP, health_took
    state = stack.studio("invariants")
    assert state["bookings"] == CLIENTS + 1
    assert state["emails_by_kind"] == {"confirmation": CLIENTS + 1}
    assert set(state["emails_by_status"]) == {"queued"}  # for the sweep, once Redis answers again
    assert state["events_unprocessed"] == state["events"] == CLIENTS + 1
