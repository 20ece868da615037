"""Two gunicorn web servers and two Celery workers on one PostgreSQL and one Redis, with one
beat: bookings and runs spread across them, and every invariant still holds."""

import re
from collections import Counter

import pytest

from .stack import wait_for
from .web import WebhookReceiver, rush, ten_o_clock

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420)]

SEATS, YOGIS, MASSAGE_CLIENTS = 30, 60, 20
WORKED = re.compile(r"automations\.tasks\.(?:process_event|execute_runs?)\[[^\]]+\] succeeded")


def settled(stack, booked: int) -> bool:
    state = stack.studio("invariants")
    return (
        state["events_unprocessed"] == 0
        and state["runs_by_status"].get("done") == booked
        and set(state["emails_by_status"]) == {"sent"}
    )


def test_it_keeps_every_invariant_with_two_web_servers_and_two_workers(stack):
    with WebhookReceiver() as receiver:
        studio = stack.studio("setup", webhook_url=receiver.url, class_capacity=SEATS)
        ports = [stack.gunicorn("web-a"), stack.gunicorn("web-b")]
        stack.worker("worker-a")
        stack.worker("worker-b")
        stack.beat()

        class_path = f"/s/{studio['yoga']}/sessions/{studio['session']}/book/"
        yoga = rush(ports, class_path, clients=YOGIS, prefix="yogi")
        massage = rush(
            ports,
            f"/s/{studio['massage']}/book/?start={ten_o_clock(studio['day'])}",
            clients=MASSAGE_CLIENTS,
            prefix="client",
        )
        booked = SEATS + 1
        assert wait_for(lambda: settled(stack, booked), timeout=180, interval=2), stack.studio("invariants")
        assert wait_for(lambda: receiver.hits() >= booked, timeout=30)

    assert Counter(status for _port, status in yoga) == {303: SEATS, 409: YOGIS - SEATS}
    assert Counter(status for _port, status in massage) == {303: 1, 409: MASSAGE_CLIENTS - 1}
    assert {port for port, status in yoga if status == 303} == set(ports), "one web server took every seat"
    assert all(WORKED.search(stack.log(worker)) for worker in ("worker-a", "worker-b")), "one worker did all"

    state = stack.studio("invariants")
    classes = [session for session in state["sessions"] if session["kind"] == "class"]
    assert [(session["seats_taken"], session["live"]) for session in classes] == [(SEATS, SEATS)]
    assert state["overlapping_appointments"] == []
    assert state["bookings_without_event"] == state["bookings_without_confirmation"] == 0
    assert state["runs_per_event_max"] == 1
    assert state["emails_by_kind"] == {"confirmation": booked, "automation": booked}
    assert state["automation_emails_per_client_max"] == 1
    assert receiver.hits() == len(set(receiver.deliveries)) == booked
    sent = stack.sent_message_ids()
    assert len(sent) == len(set(sent)) == 2 * booked
