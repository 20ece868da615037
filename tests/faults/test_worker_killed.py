"""A Celery worker killed with SIGKILL in the middle of 1,000 due runs, then a fresh one with
beat: every run completes and every e-mail is sent within 90 s of the restart, and no action
is performed twice. Nothing is faked: the dead worker's claims are lost because its heartbeat
stops, and beat's sweeps hand them back."""

import os
import signal
import time

import pytest

from .stack import wait_for
from .web import WebhookReceiver

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

RUNS = 1000
RECOVERY_BOUND = 90  # seconds from the restart until every run is done and every e-mail sent


def runs_done(stack) -> int:
    return stack.sql("SELECT count(*) FROM automations_run WHERE status = 'done'")[0][0]


def emails_sent(stack) -> int:
    return stack.sql("SELECT count(*) FROM bookings_app_outgoingemail WHERE status = 'sent'")[0][0]


def runs_by_status(stack) -> dict[str, int]:
    return dict(stack.sql("SELECT status, count(*) FROM automations_run GROUP BY status"))


def caught_mid_batch(stack) -> bool:
    """A hundred runs done and a batch claimed, half done."""
    runs = runs_by_status(stack)
    return runs.get("done", 0) >= 100 and runs.get("running", 0) >= 10


def test_it_completes_every_run_once_within_90_s_after_the_worker_is_killed_mid_batch(stack):
    with WebhookReceiver() as receiver:
        stack.studio("setup", webhook_url=receiver.url)
        # Beat's dispatcher hands the runs over in batches of 50, each claimed at once by its
        # task (after the events' own tasks, which find them processed): the kill catches a
        # batch or two half done.
        stack.studio("due_runs", count=RUNS, hand_over=False)
        stack.send_task("automations.tasks.dispatch_due_runs")
        doomed = stack.worker("doomed", concurrency=2)
        assert wait_for(lambda: caught_mid_batch(stack), timeout=240, interval=0.05), stack.log("doomed")[
            -3000:
        ]

        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        # Delivery ids name the webhook by its action number (run_key), not by its order.
        (webhook,) = stack.sql("SELECT position FROM automations_action WHERE kind = 'call_webhook'")[0]
        in_flight = {
            f"run:{pk}:{webhook}"
            for (pk,) in stack.sql("SELECT id FROM automations_run WHERE status = 'running'")
        }
        held = stack.sql("SELECT count(*) FROM bookings_app_outgoingemail WHERE status = 'sending'")[0][0]
        assert runs_done(stack) < RUNS, "the worker was killed too late to test anything"

        restarted = time.monotonic()
        stack.worker("fresh", concurrency=2)
        stack.beat()
        runs_back = wait_for(lambda: runs_done(stack) == RUNS, timeout=300, interval=0.5)
        runs_took = time.monotonic() - restarted
        emails_back = wait_for(lambda: emails_sent(stack) == RUNS, timeout=300, interval=0.5)
        everything_took = time.monotonic() - restarted
        print(
            f"\nworker killed with {len(in_flight)} runs and {held} e-mails claimed: every run done "
            f"{runs_took:.0f} s and every e-mail sent {everything_took:.0f} s after the restart "
            f"(bound {RECOVERY_BOUND} s)"
        )
        assert runs_back and emails_back, stack.log("fresh")[-3000:]
        assert everything_took <= RECOVERY_BOUND
        assert wait_for(lambda: receiver.hits() >= RUNS, timeout=30)

    state = stack.studio("invariants")
    assert state["runs_by_status"] == {"done": RUNS}
    assert state["emails_by_kind"] == {"automation": RUNS}
    assert state["emails_by_status"] == {"sent": RUNS}
    assert state["automation_emails_per_client_max"] == 1
    assert state["outcomes_done"] == 2 * RUNS
    assert len(set(receiver.deliveries)) == RUNS
    # A webhook call is at least once: only a run the kill caught between the call and its
    # record may call again, with the same delivery id for the receiver to drop.
    assert set(receiver.repeats()) <= in_flight, receiver.repeats()
    assert all(n == 2 for n in receiver.repeats().values())
