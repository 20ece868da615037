"""Redis stopped while clients book and the desk checks them in, then started again: the
bookings and check-ins go through, and afterwards every domain event is processed and every
e-mail sent, none twice."""

import re
from collections import Counter

import pytest

from .stack import wait_for
from .studio import OWNER_EMAIL, OWNER_PASSWORD
from .web import Visitor, booking_form

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420)]

CLIENTS = 4


def settled(stack) -> bool:
    state = stack.studio("invariants")
    return (
        state["events_unprocessed"] == 0
        and state["runs_by_status"].get("done") == 2 * CLIENTS
        and set(state["emails_by_status"]) == {"sent"}
    )


def sweeps_done(stack) -> int:
    return len(re.findall(r"sweep_emails\[[^]]+\] succeeded", stack.log("worker")))


def test_it_processes_every_event_once_after_redis_comes_back(stack, redis_server):
    studio = stack.studio("setup", class_capacity=20, check_in_trigger=True)
    port = stack.gunicorn(workers=2, threads=4)
    stack.worker(concurrency=2)
    stack.beat()
    desk = Visitor(port)
    desk.sign_in(OWNER_EMAIL, OWNER_PASSWORD)
    book = f"/s/{studio['yoga']}/sessions/{studio['session']}/book/"

    redis_server.stop()
    booked = Counter(
        (visitor := Visitor(port)).post(book, booking_form(visitor, book, name=f"offline{n}")).status
        for n in range(CLIENTS)
    )
    checked_in = Counter(
        desk.post(f"/staff/bookings/{booking_id}/check-in/", desk.csrf()).status
        for booking_id in stack.studio("confirmed_ids")["ids"]
    )
    assert (booked, checked_in) == ({303: CLIENTS}, {200: CLIENTS})
    during = stack.studio("invariants")
    assert during["events_unprocessed"] == during["events"] == 2 * CLIENTS
    assert during["emails_by_kind"] == {"confirmation": CLIENTS}

    redis_server.start()
    # As if a minute had passed: what the outage left behind is now old enough for beat's sweeps.
    stack.sql("UPDATE bookings_app_domainevent SET occurred_at = occurred_at - interval '1 minute'")
    stack.sql("UPDATE bookings_app_outgoingemail SET created_at = created_at - interval '2 minutes'")
    stack.send_task("automations.tasks.process_pending_events")
    stack.send_task("bookings_app.tasks.sweep_emails")
    assert wait_for(lambda: settled(stack), timeout=120, interval=2), stack.studio("invariants")
    stack.send_task("bookings_app.tasks.sweep_emails")  # a late sweep finds nothing more to send
    assert wait_for(lambda: sweeps_done(stack) >= 2, timeout=30)

    state = stack.studio("invariants")
    assert state["runs_per_event_max"] == 1
    assert state["emails_by_kind"] == {"confirmation": CLIENTS, "automation": 2 * CLIENTS}
    assert state["automation_emails_per_client_max"] == 1
    sent = stack.sent_message_ids()
    assert len(sent) == len(set(sent)) == 3 * CLIENTS
