"""Automations under test: the studio, its people, and a worker played in-process.

Hand-overs to the broker (``process_event``, ``execute_runs`` by name, the booking app's
``send_email`` and ``send_emails``) are collected instead of queued, as tests/bookings_app does
for e-mails, so no test leaves messages on the default queue; ``worker`` then does what a Celery
worker would, calling the real services. Tests with a real worker process use
``tests.support.workers``.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from celery import current_app
from django.utils import timezone

from automations import tasks
from automations.engine import EVENT_CONSUMER, process_event
from automations.execution import execute_run
from automations.models import Run
from automations.scheduling import dispatch_due_runs, scan_time_triggers
from bookings_app import tasks as booking_tasks
from bookings_app.core import draining
from bookings_app.models import ServiceKind
from bookings_app.services.event_outbox import unprocessed
from tests import factories as f


@dataclass
class HandedOver:
    """What would have gone to the broker, by task."""

    events: list[int] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    drains: int = 0  # drains carried on by another task


@pytest.fixture(autouse=True)
def handed_over(monkeypatch) -> HandedOver:
    collected = HandedOver()
    app = current_app._get_current_object()
    publish = app.send_task

    def drain_later(args) -> None:
        collected.drains += 1

    keep = {
        tasks.process_event.name: lambda args: collected.events.extend(args),
        tasks.execute_runs.name: lambda args: collected.runs.extend(args[0]),
        tasks.drain_events.name: drain_later,
    }

    def send_task(name, args=None, kwargs=None, **options):
        if name in keep:
            return keep[name](args)
        return publish(name, args, kwargs, **options)

    monkeypatch.setattr(app, "send_task", send_task)
    monkeypatch.setattr(
        booking_tasks.send_email, "apply_async", lambda args, **options: collected.emails.append(args[0])
    )
    monkeypatch.setattr(
        booking_tasks.send_emails, "apply_async", lambda args, **options: collected.emails.extend(args[0])
    )
    return collected


@pytest.fixture(autouse=True)
def _no_drain_left_over():
    """A test that drains leaves the flag down for the next (it would expire within seconds)."""
    yield
    draining.stop_draining(EVENT_CONSUMER)


@pytest.fixture
def to_the_broker(handed_over, monkeypatch):
    """``to_the_broker(task_name, **options)``: that task is published for real (with these
    options, such as a queue of the test's own); the others are still collected."""
    app = current_app._get_current_object()
    publish = type(app).send_task

    def publish_for_real(task_name: str, **route) -> None:
        collect = app.send_task

        def send_task(name, args=None, kwargs=None, **options):
            if name == task_name:
                return publish(app, name, args, kwargs, **{**options, **route})
            return collect(name, args, kwargs, **options)

        monkeypatch.setattr(app, "send_task", send_task)

    return publish_for_real


class InProcessWorker:
    """Does what beat and the Celery workers would, with the real services, at a chosen time."""

    def __init__(self, handed_over: HandedOver, capture_on_commit) -> None:
        self.handed_over, self.capture = handed_over, capture_on_commit

    def process_events(self, *, now: datetime | None = None) -> list[Run]:
        """Process every unprocessed event; the runs they made."""
        before = set(Run.objects.values_list("pk", flat=True))
        for event_id in unprocessed(EVENT_CONSUMER).order_by("event_id").values_list("event_id", flat=True):
            with self.capture(execute=True):
                process_event(event_id=event_id, now=now)
        return list(Run.objects.exclude(pk__in=before).order_by("pk"))

    def scan(self, *, now: datetime | None = None) -> int:
        """The time scans, as beat runs them; runs due at once are handed over."""
        with self.capture(execute=True):
            return scan_time_triggers(now=now)

    def run_due(self, *, now: datetime | None = None) -> list[str]:
        """Dispatch the due runs and execute everything handed over; the outcomes."""
        with self.capture(execute=True):
            dispatch_due_runs(now=now)
        run_ids = list(dict.fromkeys(self.handed_over.runs))
        self.handed_over.runs.clear()
        return [execute_run(run_id=run_id, now=now) for run_id in run_ids]

    def deliver(self, *, now: datetime | None = None) -> list[Run]:
        """Process the events and run what is due: the runs made, refreshed."""
        runs = self.process_events(now=now)
        self.run_due(now=now)
        return [Run.objects.get(pk=run.pk) for run in runs]


@pytest.fixture
def worker(handed_over, django_capture_on_commit_callbacks) -> InProcessWorker:
    return InProcessWorker(handed_over, django_capture_on_commit_callbacks)


@pytest.fixture
def studio(db):
    return f.business(name="Studio Lumen")


@pytest.fixture
def nina(studio):
    return f.staff_member("Nina")


@pytest.fixture
def massage(nina):
    return f.service("Massage", staff=[nina])


@pytest.fixture
def yoga(nina):
    return f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12)


@pytest.fixture
def alice(studio):
    return f.client("Alice", last_name="Martin")


@pytest.fixture
def bob(studio):
    return f.client("Bob")


def in_hours(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)
