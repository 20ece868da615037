"""The webhook action against a real HTTP server on the loopback: signed, retried, once."""

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from automations.execution import execute_run
from automations.models import MAX_ATTEMPTS, Run, RunReason, RunStatus
from bookings_app.models import OutgoingEmail

from .builders import automation, book, email_client


class Receiver(ThreadingHTTPServer):
    """Answers each POST with the next status in ``answers`` (200 when none is left)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.answers: list[int] = []
        self.received: list[dict] = []
        self.secret = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/rendez"


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = "sha256=" + hmac.new(self.server.secret.encode(), body, hashlib.sha256).hexdigest()
        self.server.received.append(
            {
                "signed": hmac.compare_digest(expected, self.headers["X-Rendez-Signature"]),
                "delivery": self.headers["X-Rendez-Delivery"],
                "type": self.headers["Content-Type"],
                "json": json.loads(body),
            }
        )
        self.send_response(self.server.answers.pop(0) if self.server.answers else 200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def booked_with_webhook(worker, massage, alice, receiver):
    """Alice books; the automation e-mails her, then calls the receiver."""
    hook = automation(
        "client_books",
        actions=[email_client("Welcome"), {"kind": "call_webhook", "settings": {"url": receiver.url}}],
    )
    receiver.secret = hook.webhook_secret
    book(massage)
    [run] = worker.process_events()
    return run


def test_it_posts_the_event_and_context_signed_with_the_automations_secret(booked_with_webhook, receiver):
    assert execute_run(run_id=booked_with_webhook.pk) == RunStatus.DONE

    [call] = receiver.received
    assert call["signed"] and call["type"] == "application/json"
    assert call["delivery"] == f"run:{booked_with_webhook.pk}:2"
    assert call["json"]["event"]["kind"] == "booking.created"
    assert call["json"]["client"]["email"] == "alice@client.test"
    assert call["json"]["service"]["name"] == "Massage"


def test_a_500_is_retried_a_minute_later_and_succeeds_once(booked_with_webhook, receiver):
    receiver.answers = [500]
    run = booked_with_webhook

    assert execute_run(run_id=run.pk) == RunStatus.SCHEDULED
    run.refresh_from_db()
    assert run.last_error == "The webhook answered 500." and run.attempts == 1
    assert timedelta(seconds=55) < run.due_at - timezone.now() <= timedelta(minutes=1)

    assert execute_run(run_id=run.pk, now=run.due_at) == RunStatus.DONE
    assert execute_run(run_id=run.pk, now=run.due_at + timedelta(hours=1)) == ""
    assert len(receiver.received) == 2
    assert OutgoingEmail.objects.filter(kind="automation").count() == 1  # the e-mail went on the first try
    assert Run.objects.get(pk=run.pk).attempts == 2


def test_a_webhook_that_keeps_failing_fails_the_run_after_the_last_attempt(booked_with_webhook, receiver):
    receiver.answers = [503] * MAX_ATTEMPTS
    run, now = booked_with_webhook, timezone.now()
    for _attempt in range(MAX_ATTEMPTS):
        execute_run(run_id=run.pk, now=now)
        now += timedelta(days=1)

    run.refresh_from_db()
    assert (run.status, run.reason, run.detail) == (
        RunStatus.FAILED,
        RunReason.ACTION_FAILED,
        "The webhook answered 503.",
    )
    assert len(receiver.received) == MAX_ATTEMPTS


def test_a_webhook_that_does_not_answer_within_five_seconds_is_retried(worker, massage, alice):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts, never answers
    try:
        automation(
            "client_books",
            actions=[
                {"kind": "call_webhook", "settings": {"url": f"http://127.0.0.1:{silent.getsockname()[1]}/"}}
            ],
        )
        book(massage)
        [run] = worker.process_events()

        assert execute_run(run_id=run.pk) == RunStatus.SCHEDULED
    finally:
        silent.close()
    run.refresh_from_db()
    assert run.last_error.startswith("The webhook could not be reached")
