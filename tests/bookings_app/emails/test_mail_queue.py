"""E-mails on a queue of their own (``MAIL_QUEUE``): a confirmation never waits behind other
work, and the slow-to-write kinds (a receipt's PDF) stay off that queue."""

from datetime import timedelta

import pytest
from celery import Celery
from django.utils import timezone

from bookings_app.mail.outbox import queue_email, send_due_emails
from bookings_app.mail.receipt_emails import RECEIPT
from bookings_app.models import OutgoingEmail
from tests import factories


@pytest.fixture
def queues(monkeypatch) -> dict[int, str | None]:
    """E-mail id → the queue each hand-over named (None: the task's usual route)."""
    named: dict[int, str | None] = {}

    def keep(app, name, args=(), **options):
        for email_id in args[0] if isinstance(args[0], list) else [args[0]]:
            named[email_id] = options.get("queue")

    monkeypatch.setattr(Celery, "send_task", keep)
    return named


def store(kind: str, key: str) -> OutgoingEmail:
    return queue_email(kind=kind, dedupe_key=key, to="alice@client.test", subject="Hello", body_text="Hi")


def test_it_hands_a_confirmation_to_the_mail_queue_and_a_receipt_to_the_ordinary_one(
    db, settings, queues, django_capture_on_commit_callbacks
):
    settings.MAIL_QUEUE = "mail"
    factories.business(name="Studio Lumen")
    with django_capture_on_commit_callbacks(execute=True):
        confirmation, receipt = store("confirmation", "c-1"), store(RECEIPT, "r-1")

    assert queues == {confirmation.pk: "mail", receipt.pk: None}


def test_without_a_mail_queue_every_email_takes_its_tasks_route(
    db, settings, queues, django_capture_on_commit_callbacks
):
    settings.MAIL_QUEUE = ""
    factories.business(name="Studio Lumen")
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = store("confirmation", "c-2")

    assert queues == {confirmation.pk: None}


def test_the_sweep_hands_waiting_emails_over_by_the_same_rule(db, settings, queues):
    settings.MAIL_QUEUE = "mail"
    factories.business(name="Studio Lumen")
    confirmation, receipt = store("confirmation", "c-3"), store(RECEIPT, "r-3")  # their tasks were lost
    OutgoingEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    queues.clear()

    assert send_due_emails() == 2
    assert queues == {confirmation.pk: "mail", receipt.pk: None}
