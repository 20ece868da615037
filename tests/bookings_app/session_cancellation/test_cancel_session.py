"""The team cancels a class or course session: every client is let go as the team cancels a
booking, the place held for a payment is released, and the line is closed or moved on."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings_app.core.errors import InvalidTransition
from bookings_app.models import (
    Booking,
    BookingStatus,
    DomainEvent,
    OutgoingEmail,
    PaymentRefund,
    PaymentStatus,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings_app.services.bookings import book_course
from bookings_app.services.session_cancellation import cancel_session
from bookings_app.services.sessions import generate_class_sessions
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f

pytestmark = pytest.mark.django_db


def _status(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def test_every_booked_client_is_cancelled_and_told_with_the_teams_message(full_thursday, thursday, olivia):
    done = cancel_session(session=thursday, by=olivia, message="Nina is ill. Sorry!")

    assert (done.bookings, done.holds_released, done.refunds, done.waitlist_closed) == (3, 1, 1, 2)
    for name in ("bob", "carla", "dan"):
        assert _status(full_thursday[name]) == BookingStatus.CANCELLED
    assert _status(full_thursday["eve"]) == BookingStatus.RELEASED
    thursday.refresh_from_db()
    assert (thursday.status, thursday.seats_taken) == (SessionStatus.CANCELLED, 0)
    emails = OutgoingEmail.objects.filter(kind="cancellation").order_by("to")
    assert [email.to for email in emails] == [f.racer(n).email for n in (1, 2, 3)]
    assert {email.about["message"] for email in emails} == {"Nina is ill. Sorry!"}
    cancelled_events = DomainEvent.objects.filter(kind="booking.cancelled")
    assert cancelled_events.count() == 3
    assert all(event.payload == {"by_client": False, "session_cancelled": True} for event in cancelled_events)


def test_what_was_paid_comes_back_in_full_and_the_pack_gets_its_credit(full_thursday, thursday, olivia):
    cancel_session(session=thursday, by=olivia)

    [refund] = PaymentRefund.objects.all()
    assert (refund.payment_id, refund.amount) == (full_thursday["carla_payment"].pk, Decimal("20.00"))
    pack = full_thursday["dan_pack"]
    pack.refresh_from_db()
    assert pack.credits_used == 0
    full_thursday["eve_payment"].refresh_from_db()
    assert full_thursday["eve_payment"].status == PaymentStatus.ABANDONED


def test_the_line_ends_with_the_class_and_those_waiting_are_told(full_thursday, thursday, olivia):
    cancel_session(session=thursday, by=olivia, message="Nina is ill.")

    statuses = set(WaitlistEntry.objects.values_list("status", flat=True))
    assert statuses == {WaitlistStatus.REMOVED}
    told = OutgoingEmail.objects.filter(kind="waitlist_session_cancelled").order_by("to")
    assert [email.to for email in told] == [f.racer(5).email, f.racer(6).email]
    assert "Yoga is cancelled" in told[0].subject
    assert "Nina is ill." in told[0].body_text and "Nina is ill." in told[0].body_html


def test_the_team_may_cancel_without_telling_anyone(full_thursday, thursday, olivia):
    cancel_session(session=thursday, by=olivia, notify=False)

    assert not OutgoingEmail.objects.filter(kind__in=["cancellation", "waitlist_session_cancelled"]).exists()
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 3


def test_a_cancelled_session_stays_cancelled_when_the_schedule_is_generated_again(yoga, nina, olivia):
    from bookings_app.models import ClassSchedule

    rule = ClassSchedule.objects.create(
        service=yoga, staff=nina, weekdays="TH", start_time=time(18), starts_on=timezone.localdate(), count=4
    )
    generate_class_sessions(schedule=rule)
    first = Session.objects.filter(schedule=rule).order_by("start").first()
    cancel_session(session=first, by=olivia)

    generate_class_sessions(schedule=rule)

    assert Session.objects.filter(schedule=rule, start=first.start).count() == 1
    first.refresh_from_db()
    assert first.status == SessionStatus.CANCELLED


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("cancelled", "This session is already cancelled."),
        ("started", "This session has started: it can no longer be cancelled."),
    ],
)
def test_a_session_cancelled_or_started_is_refused_with_the_reason(thursday, olivia, change, reason):
    if change == "cancelled":
        cancel_session(session=thursday, by=olivia)
    else:
        started = timezone.now() - timedelta(minutes=5)
        Session.objects.filter(pk=thursday.pk).update(start=started, blocked_start=started)
    with pytest.raises(InvalidTransition) as refused:
        cancel_session(session=thursday, by=olivia)
    assert str(refused.value.message) == reason


def test_an_appointment_is_cancelled_through_its_booking(nina, olivia):
    massage = f.service("Massage", staff=[nina])
    session = f.session(massage, nina, f.local(f.next_weekday(2), "10:00"))
    with pytest.raises(InvalidTransition):
        cancel_session(session=session, by=olivia)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def _course_sessions(course) -> list[Session]:
    return list(Session.objects.filter(service=course).order_by("pk"))


def test_a_courses_line_moves_to_its_next_session_when_the_first_is_cancelled(pottery, olivia):
    bob, carla = (book_course(service=pottery, details=f.racer(n)) for n in (1, 2))
    dan = join_waitlist(session=_course_sessions(pottery)[0], details=f.racer(3))
    first, second, third = _course_sessions(pottery)

    done = cancel_session(session=first, by=olivia)

    dan.refresh_from_db()
    assert (dan.session_id, dan.status, dan.position) == (second.pk, WaitlistStatus.WAITING, 1)
    assert done.waitlist_moved_to == second and done.waitlist_closed == 0
    live = Booking.objects.filter(status=BookingStatus.CONFIRMED)
    assert sorted(live.values_list("session_id", flat=True)) == [second.pk, second.pk, third.pk, third.pk]
    assert Booking.objects.filter(session=first, status=BookingStatus.CANCELLED).count() == 2


def test_a_courses_later_session_cancelled_leaves_the_line_where_it_is(pottery, olivia):
    for n in (1, 2):
        book_course(service=pottery, details=f.racer(n))
    first, second, _third = _course_sessions(pottery)
    dan = join_waitlist(session=first, details=f.racer(3))

    done = cancel_session(session=second, by=olivia)

    dan.refresh_from_db()
    assert (dan.session_id, dan.status) == (first.pk, WaitlistStatus.WAITING)
    assert (done.bookings, done.waitlist_closed, done.waitlist_moved_to) == (2, 0, None)
