"""Booking e-mails: stored once, written in the client's language and time, sent once."""

import base64
import smtplib
import uuid
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from celery import current_app
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings_app import tasks
from bookings_app.mail.booking_emails import queue_booking_email
from bookings_app.mail.delivery import MAX_ATTEMPTS, send_email_now
from bookings_app.mail.outbox import queue_email, send_due_emails
from bookings_app.models import Booking, Client, EmailStatus, OutgoingEmail, ServiceKind, Session
from tests import factories
from tests.support.workers import celery_worker, wait_until

# 10:00 in Paris (the studio), 04:00 in Montreal, 11:00 in Jerusalem.
MASSAGE_AT = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
MANAGE_URL = "https://rendez.test/manage/signed-token"


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("the mail server is down")


@pytest.fixture
def dispatched(handed_over) -> list[int]:
    """The e-mail ids handed to the broker, instead of handing them over."""
    return handed_over["bookings_app.tasks.send_email"]


@pytest.fixture
def studio(db):
    return factories.business(name="Studio Lumen & Co")


def book_massage(client: Client, *, at: datetime = MASSAGE_AT) -> Booking:
    """A one-hour massage with Nina for ``client``."""
    nina = factories.staff_member("Nina")
    service = factories.service("Massage", staff=[nina])
    session = factories.session(service, nina, at)
    return Booking.objects.create(client=client, service=service, session=session)


@pytest.fixture
def alices_massage(studio) -> Booking:
    """Alice speaks English and has not told us her time zone."""
    return book_massage(factories.client("Alice"))


def confirmation_for(booking: Booking, **options) -> OutgoingEmail:
    email = queue_booking_email(booking=booking, kind="confirmation", **options)
    assert email is not None
    return email


def as_sent(email: OutgoingEmail | None) -> OutgoingEmail:
    """The stored message written and sent, as its row keeps it."""
    assert email is not None
    send_email_now(email_id=email.pk)
    email.refresh_from_db()
    return email


# --- Stored once ----------------------------------------------------------------------


def test_it_stores_one_confirmation_when_the_booking_is_confirmed_twice(alices_massage):
    first = queue_booking_email(booking=alices_massage, kind="confirmation")
    second = queue_booking_email(booking=alices_massage, kind="confirmation")

    assert first is not None and second is None
    assert OutgoingEmail.objects.filter(booking=alices_massage, kind="confirmation").count() == 1


def test_it_mails_each_reschedule_once(alices_massage):
    queue_booking_email(booking=alices_massage, kind="reschedule")
    spans = ("start", "end", "blocked_start", "blocked_end")
    a_day_later = {field: F(field) + timedelta(days=1) for field in spans}
    Session.objects.filter(pk=alices_massage.session_id).update(**a_day_later)
    moved = queue_booking_email(booking=alices_massage, kind="reschedule")
    again = queue_booking_email(booking=alices_massage, kind="reschedule")

    assert moved is not None and again is None
    assert OutgoingEmail.objects.filter(booking=alices_massage, kind="reschedule").count() == 2


def test_it_hands_the_email_to_a_worker_only_after_the_commit(
    alices_massage, dispatched, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = confirmation_for(alices_massage)
    assert dispatched == []

    callbacks[0]()
    assert dispatched == [email.pk]


# --- Sent once ------------------------------------------------------------------------


def test_it_sends_the_confirmation_once_when_the_task_runs_twice(alices_massage, mailoutbox):
    email = confirmation_for(alices_massage)

    outcomes = [send_email_now(email_id=email.pk), send_email_now(email_id=email.pk)]

    email.refresh_from_db()
    assert outcomes == ["sent", "skipped"]
    assert len(mailoutbox) == 1
    assert email.status == EmailStatus.SENT and email.sent_at is not None and email.attempts == 1
    assert email.provider_id == email.headers["Message-ID"] == mailoutbox[0].extra_headers["Message-ID"]


def test_it_leaves_a_message_another_worker_is_sending(alices_massage, mailoutbox):
    email = confirmation_for(alices_massage)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=1)
    )

    assert send_email_now(email_id=email.pk) == "skipped"
    assert mailoutbox == []


def test_it_takes_over_a_send_whose_worker_was_lost(alices_massage, mailoutbox):
    email = confirmation_for(alices_massage)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=11), attempts=1
    )

    assert send_email_now(email_id=email.pk) == "sent"
    assert len(mailoutbox) == 1


def test_it_keeps_the_email_queued_with_the_error_when_the_server_is_down(alices_massage, settings):
    settings.EMAIL_BACKEND = "tests.bookings_app.emails.test_booking_emails.BrokenBackend"
    email = confirmation_for(alices_massage)

    with pytest.raises(smtplib.SMTPException):
        send_email_now(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert "the mail server is down" in email.last_error


def test_it_gives_up_after_five_attempts(alices_massage, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.bookings_app.emails.test_booking_emails.BrokenBackend"
    email = confirmation_for(alices_massage)

    for _attempt in range(MAX_ATTEMPTS):
        with pytest.raises(smtplib.SMTPException):
            send_email_now(email_id=email.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late_retry = send_email_now(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 5)
    assert late_retry == "skipped" and mailoutbox == []


# --- What the client reads ------------------------------------------------------------


def test_it_writes_the_confirmation_for_alice_in_the_studios_time(alices_massage, mailoutbox):
    email = confirmation_for(alices_massage, manage_url=MANAGE_URL)
    send_email_now(email_id=email.pk)

    (message,) = mailoutbox
    html = message.alternatives[0].content
    assert message.to == ["alice@client.test"]
    assert message.from_email == '"Studio Lumen & Co" <bookings@rendez.test>'
    assert message.subject == "Booking confirmed: Massage, 15 January 2027"
    assert "Hello Alice," in message.body and "Hello Alice," in html
    assert "10:00–11:00" in message.body and "Europe/Paris" in message.body
    assert "With Nina" in html and '<html lang="en" dir="ltr">' in html


def test_it_gives_alice_the_link_to_cancel_or_reschedule(alices_massage):
    email = as_sent(confirmation_for(alices_massage, manage_url=MANAGE_URL))

    assert f'<a href="{MANAGE_URL}"' in email.body_html and "Cancel or reschedule" in email.body_html
    assert f"Cancel or reschedule: {MANAGE_URL}" in email.body_text


def test_it_writes_the_plain_text_without_html_escapes(alices_massage):
    email = as_sent(confirmation_for(alices_massage))

    assert "Studio Lumen & Co" in email.body_text
    assert "Studio Lumen &amp; Co" in email.body_html


def test_it_writes_to_a_french_client_in_french_and_in_her_time_zone(studio):
    chloe = factories.client("Chloé", language="fr", time_zone="America/Montreal")
    email = as_sent(confirmation_for(book_massage(chloe)))

    assert email.language == "fr"
    assert '<html lang="fr" dir="ltr">' in email.body_html
    assert "janvier 2027" in email.subject
    assert "04:00–05:00" in email.body_text and "America/Montreal" in email.body_text


def test_it_writes_to_a_hebrew_client_right_to_left_and_in_his_time_zone(studio):
    noam = factories.client("Noam", language="he", time_zone="Asia/Jerusalem")
    email = as_sent(confirmation_for(book_massage(noam)))

    assert email.language == "he"
    assert '<html lang="he" dir="rtl">' in email.body_html
    assert "11:00–12:00" in email.body_html and "Asia/Jerusalem" in email.body_html


def test_it_writes_in_the_studios_language_when_the_clients_is_unknown(studio):
    studio.language = "fr"
    studio.save()
    email = confirmation_for(book_massage(factories.client("Kai", language="tlh")))

    assert email.language == "fr"


def test_it_escapes_the_owners_message(alices_massage):
    email = as_sent(
        queue_booking_email(
            booking=alices_massage, kind="cancellation", message="<script>alert('hi')</script>\nSorry!"
        )
    )

    assert "<script>" not in email.body_html
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;<br>Sorry!" in email.body_html
    assert "<script>alert('hi')</script>" in email.body_text


def test_it_stores_the_email_unwritten_and_writes_it_from_the_booking_as_it_is_when_sent(
    alices_massage, mailoutbox
):
    email = confirmation_for(alices_massage)
    assert not email.is_written and email.subject == "" and email.booking == alices_massage
    spans = ("start", "end", "blocked_start", "blocked_end")
    Session.objects.filter(pk=alices_massage.session_id).update(
        **{field: F(field) + timedelta(hours=2) for field in spans}
    )

    email = as_sent(email)

    (message,) = mailoutbox
    assert "12:00–13:00" in message.body and "10:00" not in message.body
    assert (email.subject, email.body_text) == (message.subject, message.body), "the row keeps what was sent"


def test_a_retry_sends_what_the_first_attempt_wrote(alices_massage, settings, mailoutbox):
    email = confirmation_for(alices_massage)
    settings.EMAIL_BACKEND = "tests.bookings_app.emails.test_booking_emails.BrokenBackend"
    with pytest.raises(smtplib.SMTPException):
        send_email_now(email_id=email.pk)
    first = OutgoingEmail.objects.get(pk=email.pk)
    Client.objects.filter(pk=alices_massage.client_id).update(first_name="Alicia")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert send_email_now(email_id=email.pk) == "sent"
    assert mailoutbox[0].body == first.body_text and "Hello Alice," in first.body_text


def test_it_attaches_the_booking_to_the_confirmation_as_an_ics_file(alices_massage, mailoutbox):
    email = confirmation_for(alices_massage)
    send_email_now(email_id=email.pk)

    ((filename, content, mimetype),) = mailoutbox[0].attachments
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert (filename, mimetype) == ("booking.ics", "text/calendar")
    assert str(event["UID"]) == f"booking-{alices_massage.code}@rendez"
    assert event.decoded("DTSTART") == MASSAGE_AT


def test_it_attaches_no_calendar_file_to_a_cancellation(alices_massage):
    email = as_sent(queue_booking_email(booking=alices_massage, kind="cancellation"))

    assert email.attachments == [] and email.is_written


def test_it_lists_and_attaches_every_session_of_a_course(studio):
    nina = factories.staff_member("Nina")
    course = factories.service("Pottery course", kind=ServiceKind.COURSE, staff=[nina], capacity=8)
    alice, enrollment = factories.client("Alice"), uuid.uuid4()
    first, *_rest = [
        Booking.objects.create(
            client=alice,
            service=course,
            enrollment=enrollment,
            session=factories.session(course, nina, MASSAGE_AT + timedelta(weeks=week)),
        )
        for week in range(3)
    ]

    email = as_sent(confirmation_for(first, manage_url=MANAGE_URL))

    ics = base64.b64decode(email.attachments[0]["content"])
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 3
    assert "29 January 2027" in email.body_text
    assert f"Cancel your place: {MANAGE_URL}" in email.body_text, "a course's place is cancelled, never moved"
    assert "reschedule" not in email.body_text + email.body_html + str(events[0]["DESCRIPTION"])


# --- The sweep and the worker ---------------------------------------------------------


def test_the_sweep_hands_an_old_queued_email_to_a_worker_again(alices_massage, dispatched):
    lost = confirmation_for(alices_massage)
    OutgoingEmail.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    fresh = queue_booking_email(booking=alices_massage, kind="reminder")

    assert send_due_emails() == 1
    assert dispatched == [lost.pk]
    assert fresh.pk not in dispatched


def test_the_sweep_gives_up_on_a_lost_send_without_attempts_left(alices_massage, dispatched):
    email = confirmation_for(alices_massage)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=11), attempts=MAX_ATTEMPTS
    )

    assert send_due_emails() == 0
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and dispatched == []


def test_a_real_worker_sends_a_queued_email(transactional_db, alices_massage, dispatched, monkeypatch):
    with transaction.atomic():
        email = confirmation_for(alices_massage)
    assert dispatched == [email.pk]  # the real hand-over goes to the default queue: kept out of the broker

    def sent() -> bool:
        return OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT

    monkeypatch.undo()  # the fixture's stand-in goes: the message goes to the worker's queue
    with celery_worker() as queue:
        current_app.send_task(tasks.send_email.name, args=[email.pk], queue=queue)
        assert wait_until(sent, timeout=60)

    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


def test_any_app_can_store_a_message_once_by_its_key(db):
    factories.business()
    first = queue_email(
        kind="points",
        dedupe_key="loyalty:1",
        to="alice@client.test",
        subject="You earned  10 points",
        body_text="Hello",
    )
    again = queue_email(
        kind="points", dedupe_key="loyalty:1", to="alice@client.test", subject="x", body_text="y"
    )
    assert first is not None and again is None
    assert OutgoingEmail.objects.get(dedupe_key="loyalty:1").subject == "You earned 10 points"
