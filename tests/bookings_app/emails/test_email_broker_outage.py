"""A booking made while the broker is down goes through; its e-mail waits for the sweep."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery import current_app
from django.db.models import F

from bookings_app.mail.outbox import SWEEP_GRACE, send_due_emails
from bookings_app.models import EmailStatus, OutgoingEmail
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice", last_name="Martin")


@contextmanager
def broker_down() -> Iterator[None]:
    """Point Celery at a port where no broker answers, as when Redis is down."""
    app = current_app._get_current_object()
    saved = app.conf.broker_url

    def reconnect(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None  # kombu keeps its pools per broker address, open, for the way back
        app.amqp._producer_pool = None

    reconnect("redis://127.0.0.1:9/0")
    try:
        yield
    finally:
        reconnect(saved)


@pytest.fixture
def massage(db):
    f.business(name="Studio Lumen")
    nina = f.staff_member("Nina")
    return f.service("Massage", staff=[nina])


@pytest.mark.django_db(transaction=True)
def test_it_books_and_keeps_the_confirmation_unsent_while_the_broker_is_down(massage, caplog):
    with broker_down():
        booking = book_appointment(service=massage, start=f.local(f.next_weekday(1), "10:00"), details=ALICE)

    email = OutgoingEmail.objects.get(booking=booking, kind="confirmation")
    assert email.status == EmailStatus.QUEUED and email.sent_at is None
    assert f"could not hand bookings_app.tasks.send_email({email.pk},) to the workers" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_sweep_hands_the_waiting_e_mail_over_once_the_broker_is_back(massage, handed_over):
    with broker_down():
        booking = book_appointment(service=massage, start=f.local(f.next_weekday(1), "10:00"), details=ALICE)
    OutgoingEmail.objects.update(created_at=F("created_at") - SWEEP_GRACE - timedelta(seconds=1))

    assert send_due_emails() == 1
    assert handed_over["bookings_app.tasks.send_email"] == [
        OutgoingEmail.objects.get(booking=booking, kind="confirmation").pk
    ]
