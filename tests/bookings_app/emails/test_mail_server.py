"""Batches of e-mails against a real SMTP server on the loopback: one connection carries
the batch, and a refused recipient costs only its own message."""

import socket
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db.models import F

from bookings_app.mail.delivery import send_emails_now
from bookings_app.mail.outbox import SWEEP_GRACE, queue_email, send_due_emails
from bookings_app.models import EmailStatus, OutgoingEmail
from tests import factories as f

UNKNOWN_ADDRESS = "nobody@example.com"


class MailServer:
    """An aiosmtpd handler: refuses ``UNKNOWN_ADDRESS`` and notes who each connection delivered to."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[tuple, str]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == UNKNOWN_ADDRESS:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.deliveries.extend((session.peer, to) for to in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    @property
    def delivered_to(self) -> list[str]:
        return [to for _, to in self.deliveries]

    @property
    def connections(self) -> int:
        return len(Counter(peer for peer, _ in self.deliveries))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    handler = MailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


@pytest.fixture
def retries(handed_over) -> list[int]:
    """The e-mails handed to ``send_email`` for a later try, instead of handing them over."""
    return handed_over["bookings_app.tasks.send_email"]


def stored(*addresses: str) -> list[int]:
    f.business(name="Studio Lumen")
    return [
        queue_email(kind="automation", dedupe_key=address, to=address, subject="Hello", body_text="Hi").pk
        for address in addresses
    ]


def test_a_batch_is_sent_over_one_connection(db, mail_server, retries):
    addresses = [f"client{n}@example.com" for n in range(5)]
    email_ids = stored(*addresses)

    assert send_emails_now(email_ids=email_ids) == 5

    assert mail_server.delivered_to == addresses
    assert mail_server.connections == 1
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert retries == []


def test_a_refused_recipient_fails_alone_and_the_rest_go_on_over_a_new_connection(db, mail_server, retries):
    email_ids = stored("a@example.com", UNKNOWN_ADDRESS, "c@example.com", "d@example.com")

    assert send_emails_now(email_ids=email_ids) == 3

    assert mail_server.delivered_to == ["a@example.com", "c@example.com", "d@example.com"]
    assert mail_server.connections == 2
    refused = OutgoingEmail.objects.get(to=UNKNOWN_ADDRESS)
    assert (refused.status, refused.attempts) == (EmailStatus.QUEUED, 1)
    assert "No such user" in refused.last_error
    assert retries == [refused.pk]


def test_with_the_mail_server_down_each_message_waits_for_its_retry(db, settings, retries):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    email_ids = stored("a@example.com", "b@example.com")

    assert send_emails_now(email_ids=email_ids) == 0

    assert retries == email_ids
    assert list(OutgoingEmail.objects.values_list("status", "attempts")) == [(EmailStatus.QUEUED, 1)] * 2


def test_the_sweep_hands_lost_messages_over_in_batches(db, handed_over):
    batches = handed_over["bookings_app.tasks.send_emails"]
    email_ids = stored(*(f"client{n}@example.com" for n in range(3)))
    OutgoingEmail.objects.update(created_at=F("created_at") - SWEEP_GRACE - timedelta(seconds=1))

    assert send_due_emails() == 3
    assert batches == [email_ids]
