"""PostgreSQL restarted while gunicorn takes bookings: the requests that fail get the error
page, nothing is half-written, and the same web server serves again without a restart."""

import threading
import time
from dataclasses import dataclass

import pytest

from .stack import wait_for
from .web import FormUnavailable, Visitor, booking_form

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420)]

ERROR_PAGE = "Something went wrong on our side"


@dataclass
class Attempt:
    email: str
    status: int  # 0: no HTTP answer at all
    body: str
    at: float


class Traffic:
    """Clients booking one after another, on a few threads, until told to stop."""

    def __init__(self, port: int, path: str, *, threads: int = 4) -> None:
        self.port, self.path, self.attempts, self.stopping = port, path, [], threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._book, args=(n,), daemon=True) for n in range(threads)]

    def _book(self, lane: int) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            name = f"lane{lane}-{n}"
            visitor = Visitor(self.port, timeout=30)
            try:
                answer = visitor.post(self.path, booking_form(visitor, self.path, name=name))
                status, body = answer.status, answer.body
            except FormUnavailable as error:
                status, body = error.answer.status, error.answer.body
            except OSError as error:
                status, body = 0, repr(error)
            with self.lock:
                self.attempts.append(Attempt(f"{name}@client.test", status, body, time.monotonic()))

    def booked_since(self, moment: float) -> int:
        with self.lock:
            return sum(1 for attempt in self.attempts if attempt.status == 303 and attempt.at > moment)

    def __enter__(self) -> "Traffic":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_it_fails_cleanly_during_a_database_restart_and_serves_again_after(stack, postgres):
    studio = stack.studio("setup", class_capacity=1000)
    port = stack.gunicorn(workers=2, threads=4)
    path = f"/s/{studio['yoga']}/sessions/{studio['session']}/book/"

    with Traffic(port, path) as traffic:
        assert wait_for(lambda: traffic.booked_since(0) >= 10, timeout=60)
        outage_began = time.monotonic()
        postgres.stop()
        time.sleep(3)
        postgres.start()
        back = time.monotonic()
        assert wait_for(lambda: traffic.booked_since(back) >= 10, timeout=60)

    failed = [attempt for attempt in traffic.attempts if attempt.status != 303]
    assert failed, "no request met the outage"
    assert all(attempt.status == 500 and ERROR_PAGE in attempt.body for attempt in failed), {
        (attempt.status, attempt.body[:200]) for attempt in failed
    }
    assert all(attempt.at > outage_began for attempt in failed)
    assert Visitor(port).get("/healthz").status == 200
    assert stack.log("web").count("Booting worker") == 2, "gunicorn restarted its workers"

    state = stack.studio("invariants")
    [session] = state["sessions"]
    assert session["seats_taken"] == session["live"] == state["bookings"]
    assert state["bookings_without_event"] == state["bookings_without_confirmation"] == 0
    answered_booked = {attempt.email for attempt in traffic.attempts if attempt.status == 303}
    assert set(stack.studio("bookings_of", emails=sorted(answered_booked))["booked"]) == answered_booked
