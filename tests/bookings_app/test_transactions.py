"""Batches that commit as one (bookings_app.core.transactions): what the automation engine's
batches of runs rely on to write a few statements for fifty runs and still lose nothing."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from bookings_app import tasks
from bookings_app.core.transactions import SpoiledTransaction, all_or_nothing, attempt, on_commit_together
from bookings_app.mail.outbox import queue_email
from bookings_app.models import OutgoingEmail
from tests import factories as f


@pytest.fixture
def studio(db):
    return f.business(name="Studio Lumen")


def message(key: str) -> dict:
    return {
        "kind": "automation",
        "dedupe_key": key,
        "to": f"{key}@example.com",
        "subject": "Hello",
        "body_text": "Hi",
    }


def test_new_rows_of_a_batch_are_inserted_together_as_it_ends(studio):
    with CaptureQueriesContext(connection) as captured, all_or_nothing():
        for key in "abc":
            queue_email(**message(key))
        assert not OutgoingEmail.objects.exists()  # nothing written yet

    inserts = [query for query in captured.captured_queries if query["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert sorted(OutgoingEmail.objects.values_list("dedupe_key", flat=True)) == ["a", "b", "c"]


def test_outside_a_batch_each_message_is_stored_at_once_and_a_duplicate_is_refused(studio):
    assert queue_email(**message("a")) is not None
    assert queue_email(**message("a")) is None
    assert OutgoingEmail.objects.count() == 1


def test_a_duplicate_in_a_batch_rolls_the_whole_batch_back(studio):
    queue_email(**message("a"))

    with pytest.raises(IntegrityError), all_or_nothing():
        queue_email(**message("b"))
        queue_email(**message("a"))

    assert list(OutgoingEmail.objects.values_list("dedupe_key", flat=True)) == ["a"]


def test_an_error_caught_inside_a_batch_still_rolls_it_back_and_says_so(studio):
    """Without a savepoint nothing can be undone piece by piece: the batch must not commit
    half of itself as if all went well."""
    first = queue_email(**message("a"))

    with pytest.raises(SpoiledTransaction), all_or_nothing():
        OutgoingEmail.objects.filter(pk=first.pk).update(subject="Changed")
        try:
            with attempt():
                OutgoingEmail.objects.create(**message("a"), from_email="x@example.com")
        except IntegrityError:
            pass

    assert OutgoingEmail.objects.get().subject == "Hello"


def test_hand_overs_of_a_batch_go_together_after_commit(db, django_capture_on_commit_callbacks):
    handed: list[list[int]] = []

    with django_capture_on_commit_callbacks(execute=True):
        with all_or_nothing():
            on_commit_together(handed.append, 1)
            on_commit_together(handed.append, 2)
            assert handed == []
        on_commit_together(handed.append, 3)

    assert handed == [[1, 2], [3]]


def test_a_batch_rolled_back_hands_nothing_over(db, django_capture_on_commit_callbacks):
    handed: list[list[int]] = []

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError), all_or_nothing():
        on_commit_together(handed.append, 1)
        raise ValueError("the batch failed")

    assert handed == []


class OneAddressBounces(BaseEmailBackend):
    """A mail server that refuses one address and takes the others."""

    def send_messages(self, email_messages):
        for email_message in email_messages:
            if email_message.to == ["b@example.com"]:
                raise smtplib.SMTPRecipientsRefused({"b@example.com": (550, b"no such user")})
            mail.outbox.append(email_message)
        return len(email_messages)


def test_messages_stored_together_are_sent_by_one_task_and_a_failure_goes_on_alone(
    studio, settings, handed_over, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.bookings_app.test_transactions.OneAddressBounces"
    batches = handed_over["bookings_app.tasks.send_emails"]
    retries = handed_over["bookings_app.tasks.send_email"]
    with django_capture_on_commit_callbacks(execute=True), all_or_nothing():
        emails = [queue_email(**message(key)) for key in "abc"]

    assert batches == [[email.pk for email in emails]]
    assert tasks.send_emails(batches[0]) == 2

    assert retries == [emails[1].pk]
    assert [message.to for message in mail.outbox] == [["a@example.com"], ["c@example.com"]]
    assert list(OutgoingEmail.objects.order_by("dedupe_key").values_list("status", flat=True)) == [
        "sent",
        "queued",
        "sent",
    ]
