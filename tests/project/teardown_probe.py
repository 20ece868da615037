"""Run only by test_test_teardown.py: a thread reads the test database and is still alive, its
connection open, when the session ends (as a live server's request thread serving a browser's
kept-alive connection, or a heartbeat thread)."""

import threading

from bookings_app.models import Business

_END = threading.Event()


def _read_then_linger(read: threading.Event) -> None:
    Business.objects.exists()
    read.set()
    _END.wait()


def test_a_thread_still_holds_its_connection_at_the_end(transactional_db):
    Business.objects.create(name="Studio Lumen")
    read = threading.Event()
    threading.Thread(target=_read_then_linger, args=(read,), daemon=True).start()
    assert read.wait(10)
