"""An e-mail whose worker process died while sending goes back to the workers as soon as
the worker's heartbeat is stale, and is sent once; one whose worker still beats is left alone."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bookings_app.core.workers import LOST_AFTER
from bookings_app.mail.delivery import send_email_now
from bookings_app.mail.outbox import queue_email, send_due_emails
from bookings_app.models import EmailStatus, OutgoingEmail, WorkerHeartbeat
from tests import factories
from tests.support.races import race

DEAD = "worker-host:4242:dead0000"


@pytest.fixture
def dispatched(handed_over) -> list[int]:
    """The e-mail ids handed to the broker, instead of handing them over."""
    return handed_over["bookings_app.tasks.send_email"]


@pytest.fixture
def welcome_for_carla(db, dispatched) -> OutgoingEmail:
    factories.business(name="Studio Lumen")
    carla = factories.client("Carla", email="carla@client.test")
    with transaction.atomic():
        email = queue_email(
            kind="automation",
            dedupe_key="welcome:carla",
            to=carla.email,
            subject="Welcome Carla",
            body_text="See you soon.",
            client=carla,
        )
    dispatched.clear()
    return email


def being_sent_by(
    email: OutgoingEmail, worker: str, *, seen_ago: timedelta | None, claimed_ago: timedelta = LOST_AFTER * 2
) -> None:
    """As a worker leaves it: "sending" under ``worker``'s name since ``claimed_ago``;
    ``worker`` last beat ``seen_ago`` ago (None: its row is gone)."""
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_by=worker, attempts=1, claimed_at=now - claimed_ago
    )
    if seen_ago is not None:
        WorkerHeartbeat.objects.create(
            worker=worker, started_at=now - timedelta(hours=1), last_seen=now - seen_ago
        )


def test_the_sweep_sends_again_an_email_whose_worker_stopped_beating_once(
    welcome_for_carla, dispatched, mailoutbox
):
    being_sent_by(welcome_for_carla, DEAD, seen_ago=LOST_AFTER + timedelta(seconds=1))

    assert send_due_emails() == 1
    assert dispatched == [welcome_for_carla.pk]
    assert send_email_now(email_id=welcome_for_carla.pk) == "sent"
    assert send_email_now(email_id=welcome_for_carla.pk) == "skipped"
    assert send_due_emails() == 0
    assert len(mailoutbox) == 1
    welcome_for_carla.refresh_from_db()
    assert (welcome_for_carla.status, welcome_for_carla.attempts) == (EmailStatus.SENT, 2)


def test_the_sweep_sends_again_an_email_whose_worker_row_is_gone(welcome_for_carla, dispatched, mailoutbox):
    being_sent_by(welcome_for_carla, DEAD, seen_ago=None)

    assert send_due_emails() == 1
    assert send_email_now(email_id=welcome_for_carla.pk) == "sent"
    assert len(mailoutbox) == 1


def test_it_leaves_an_email_to_its_worker_while_it_beats(welcome_for_carla, dispatched, mailoutbox):
    being_sent_by(
        welcome_for_carla,
        "worker-host:77:alive000",
        seen_ago=timedelta(seconds=5),
        claimed_ago=timedelta(minutes=9),
    )

    assert send_due_emails() == 0
    assert send_email_now(email_id=welcome_for_carla.pk) == "skipped"
    assert mailoutbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_a_lost_email_send_it_once(welcome_for_carla, mailoutbox):
    being_sent_by(welcome_for_carla, DEAD, seen_ago=LOST_AFTER * 3)
    outcomes = race(lambda _: send_email_now(email_id=welcome_for_carla.pk), range(8))

    assert sorted(outcomes) == ["sent"] + ["skipped"] * 7
    assert len(mailoutbox) == 1
