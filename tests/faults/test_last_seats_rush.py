"""200 clients at once, over HTTP against gunicorn, on the last seats of a class and on one
appointment slot: exactly as many confirmed bookings as there were places, and every other
client is told, with a 409, that someone was faster."""

from collections import Counter

import pytest

from .web import rush, ten_o_clock

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420)]

CLIENTS = 200


def answers_to(port: int, path: str, *, prefix: str) -> Counter:
    return Counter(status for _port, status in rush([port], path, clients=CLIENTS, prefix=prefix))


def test_it_confirms_exactly_the_last_three_seats_to_two_hundred_clients(stack):
    studio = stack.studio("setup", class_capacity=10, seats_taken=7)
    port = stack.gunicorn(workers=3, threads=8)

    statuses = answers_to(port, f"/s/{studio['yoga']}/sessions/{studio['session']}/book/", prefix="yogi")

    assert statuses == {303: 3, 409: CLIENTS - 3}
    [session] = stack.studio("invariants")["sessions"]
    assert session["seats_taken"] == session["live"] == session["capacity"] == 10


def test_it_gives_one_appointment_slot_to_exactly_one_of_two_hundred_clients(stack):
    studio = stack.studio("setup")
    port = stack.gunicorn(workers=3, threads=8)
    path = f"/s/{studio['massage']}/book/?start={ten_o_clock(studio['day'])}"
    statuses = answers_to(port, path, prefix="client")

    assert statuses == {303: 1, 409: CLIENTS - 1}
    state = stack.studio("invariants")
    assert state["bookings"] == 1
    assert state["overlapping_appointments"] == []
