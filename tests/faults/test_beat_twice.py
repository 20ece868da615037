"""Celery beat started twice by mistake: both dispatch due runs every few seconds, and still
no run is dispatched twice, so no action is performed twice."""

from collections import Counter

import pytest

from .stack import BrokerTap, wait_for
from .web import WebhookReceiver

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420)]

RUNS = 100


def runs_done(stack) -> int:
    return stack.sql("SELECT count(*) FROM automations_run WHERE status = 'done'")[0][0]


def test_it_dispatches_each_run_once_when_two_beats_run(stack, redis_server):
    tap = BrokerTap(redis_server, stack.logs / "broker.log")
    try:
        with WebhookReceiver() as receiver:
            stack.studio("setup", webhook_url=receiver.url)
            stack.studio("due_runs", count=RUNS, hand_over=False)
            # Due one after another over the next 20 seconds, so both beats find some at each tick.
            stack.sql("UPDATE automations_run SET due_at = now() + (id % 100)::int * interval '200 ms'")
            stack.worker("worker-a")
            stack.worker("worker-b")
            stack.beat("beat-1")
            stack.beat("beat-2")
            all_done = wait_for(lambda: runs_done(stack) == RUNS, timeout=180, interval=1)
            assert all_done, stack.log("worker-a")[-2000:]
            assert wait_for(lambda: receiver.hits() >= RUNS, timeout=30)
        batches = tap.sent("automations.tasks.execute_runs")
        dispatched = Counter(run_id for (batch,) in batches for run_id in batch)
    finally:
        tap.close()

    assert stack.log("beat-1").count("automations.tasks.dispatch_due_runs") >= 2
    assert stack.log("beat-2").count("automations.tasks.dispatch_due_runs") >= 2
    assert len(dispatched) == RUNS
    assert {run_id: n for run_id, n in dispatched.items() if n > 1} == {}, "a run was dispatched twice"
    state = stack.studio("invariants")
    assert state["runs_by_status"] == {"done": RUNS}
    assert state["emails_by_kind"] == {"automation": RUNS}
    assert receiver.hits() == len(set(receiver.deliveries)) == RUNS
