"""A Celery worker killed with SIGKILL in the middle of 1,000 due runs, then a fresh one with
beat: every run completes and no action is performed twice."""

import os
import signal

import pytest

from .stack import wait_for
from .web import WebhookReceiver

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

RUNS = 1000


def runs_done(stack) -> int:
    return stack.sql("SELECT count(*) FROM automations_run WHERE status = 'done'")[0][0]


def test_it_completes_every_run_once_after_the_worker_is_killed_mid_batch(stack):
    with WebhookReceiver() as receiver:
        stack.studio("setup", webhook_url=receiver.url)
        doomed = stack.worker("doomed", concurrency=2)
        stack.studio("due_runs", count=RUNS)
        assert wait_for(lambda: runs_done(stack) >= 100, timeout=180), stack.log("doomed")[-3000:]

        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        running = stack.sql("SELECT id FROM automations_run WHERE status = 'running'")
        in_flight = {f"run:{pk}:1" for (pk,) in running}
        assert runs_done(stack) < RUNS, "the worker was killed too late to test anything"

        # As if the claim timeout and the re-dispatch delay had passed: the dead worker's claims
        # and the messages it held count as lost, and beat's dispatcher sends them again.
        stack.sql("UPDATE automations_run SET claimed_at = claimed_at - interval '6 minutes'"
                  " WHERE status = 'running'")
        stack.sql("UPDATE automations_run SET dispatched_at = dispatched_at - interval '2 minutes'")
        stack.worker("fresh", concurrency=2)
        stack.beat()
        assert wait_for(lambda: runs_done(stack) == RUNS, timeout=240, interval=1), stack.log("fresh")[-3000:]
        assert wait_for(lambda: receiver.hits() >= RUNS, timeout=30)

    state = stack.studio("invariants")
    assert state["runs_by_status"] == {"done": RUNS}
    assert state["emails_by_kind"] == {"automation": RUNS}
    assert state["automation_emails_per_client_max"] == 1
    assert state["outcomes_done"] == 2 * RUNS
    assert len(set(receiver.deliveries)) == RUNS
    # A webhook call is at least once: only a run the kill caught between the call and its
    # record may call again, with the same delivery id for the receiver to drop.
    assert set(receiver.repeats()) <= in_flight, receiver.repeats()
    assert all(n == 2 for n in receiver.repeats().values())
