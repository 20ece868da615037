"""Bookings a membership paid for that it no longer covers: a freeze, a cancellation at once and a
lapse cancel them (the seat freed for the waitlist, the session given back, the client e-mailed
with the reason); bookings it still covers, or paid another way, stay."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from bookings_app.mail.booking_emails import write_booking_email
from bookings_app.models import (
    Booking,
    BookingStatus,
    ClientPlan,
    DomainEvent,
    EventKind,
    MembershipStatus,
    OutgoingEmail,
    PlanCreditUse,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.memberships import cancel_membership, freeze_membership
from bookings_app.services.plans import use_credit
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f
from tests.support.memberships import member

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")
DAY = timedelta(days=1)


def book(session, membership=None):
    if membership is None:
        return book_class_seat(session=session, details=ALICE)
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=ALICE),
        pay=lambda bookings: use_credit(client_plan_id=membership.pk, bookings=bookings),
    )


def midnight(day):
    return datetime.combine(day, time.min, tzinfo=f.business().tz)


def freeze_day(membership, day, *, by=None):
    return freeze_membership(
        membership=membership, starts_at=midnight(day), ends_at=midnight(day + DAY), by=by, now=timezone.now()
    )


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def cancellation_messages() -> list[str]:
    return [email.about["message"] for email in OutgoingEmail.objects.filter(kind="cancellation")]


def test_a_freeze_cancels_the_bookings_it_paid_for_inside_the_freeze_only(
    alices_membership, yoga_next_week, next_week
):
    monday, wednesday, friday = yoga_next_week[0], yoga_next_week[6], yoga_next_week[12]
    bookings = [book(session, alices_membership) for session in (monday, wednesday, friday)]

    freeze = freeze_day(alices_membership, next_week[2])

    assert [status_of(b) for b in bookings] == [
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.CONFIRMED,
    ]
    assert [b.pk for b in freeze.cancelled_bookings] == [bookings[1].pk]
    assert PlanCreditUse.objects.get(booking=bookings[1]).returned_at is not None
    wednesday.refresh_from_db()
    assert wednesday.seats_taken == 0
    event = DomainEvent.objects.get(kind=EventKind.BOOKING_CANCELLED)
    assert event.payload["reason"] == "membership_frozen"
    assert cancellation_messages() == [
        "Your membership “Unlimited” is frozen on the day of this session, so this booking is "
        "cancelled and its place given back."
    ]


def test_a_booking_in_the_freeze_paid_another_way_stays(alices_membership, yoga_next_week, next_week):
    paid_as_usual = book(yoga_next_week[6])
    freeze_day(alices_membership, next_week[2])
    assert status_of(paid_as_usual) == BookingStatus.CONFIRMED
    assert not OutgoingEmail.objects.filter(kind="cancellation").exists()


def test_the_seat_a_freeze_frees_is_offered_to_the_waitlist(alices_membership, studio, next_week):
    yoga = studio["yoga"]
    yoga.waitlist_enabled = True
    yoga.save(update_fields=["waitlist_enabled"])
    full = f.session(yoga, studio["nina"], f.local(next_week[2], "18:00"), capacity=1)
    book(full, alices_membership)
    bob = join_waitlist(session=full, details=ClientDetails(email="bob@client.test", first_name="Bob"))

    freeze_day(alices_membership, next_week[2])

    bob.refresh_from_db()
    assert bob.status == WaitlistStatus.OFFERED
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).count() == 1


def test_the_client_is_told_in_their_language(alices_membership, alice, yoga_next_week, next_week):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    book(yoga_next_week[6], alices_membership)
    freeze_day(alices_membership, next_week[2])
    (message,) = cancellation_messages()
    assert "gelé" in message and "Unlimited" in message


def test_a_session_that_has_started_or_been_attended_is_not_cancelled(alices_membership, studio):
    today = timezone.localdate(timezone=f.business().tz)
    started = f.session(studio["yoga"], studio["nina"], timezone.now() - timedelta(minutes=5))
    booking = book_class_seat(session=started, details=ALICE, source="walk_in")
    PlanCreditUse.objects.create(client_plan=alices_membership, booking=booking, used_at=timezone.now())
    freeze_membership(
        membership=alices_membership,
        starts_at=midnight(today),
        ends_at=midnight(today + DAY),
        now=timezone.now(),
    )
    assert status_of(booking) == BookingStatus.CONFIRMED


def test_cancelling_at_once_cancels_the_bookings_from_now(alices_membership, yoga_next_week):
    bookings = [book(session, alices_membership) for session in yoga_next_week[:2]]
    cancelled = cancel_membership(membership=alices_membership, at_once=True)
    assert [status_of(b) for b in bookings] == [BookingStatus.CANCELLED] * 2
    assert len(cancelled.cancelled_bookings) == 2
    assert all("has ended before this session" in message for message in cancellation_messages())
    assert {e.payload["reason"] for e in DomainEvent.objects.filter(kind=EventKind.BOOKING_CANCELLED)} == {
        "membership_ended"
    }


def test_cancelling_at_the_period_end_leaves_the_bookings(alices_membership, yoga_next_week):
    booking = book(yoga_next_week[0], alices_membership)
    cancel_membership(membership=alices_membership)
    assert status_of(booking) == BookingStatus.CONFIRMED


def test_a_lapse_cancels_the_bookings_paid_for_after_the_end(unlimited, alice, yoga_next_week):
    now = timezone.now()
    membership = member(unlimited, alice, now=now, card="declines")
    sunday = book(yoga_next_week[-1], membership)
    # Its period ended yesterday (a renewal left for the test to decline), a booking beyond it remains.
    ClientPlan.objects.filter(pk=membership.pk).update(
        period_start=now - 31 * DAY, period_end=now - DAY, next_renewal_at=now - DAY
    )

    outcomes = [renew_due_memberships(now=at)[0].code for at in (now, now + DAY, now + 3 * DAY)]

    assert outcomes == ["declined", "declined", "lapsed"]
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LAPSED
    assert status_of(sunday) == BookingStatus.CANCELLED
    assert "has ended before this session" in cancellation_messages()[0]


def test_the_owner_is_told_how_many_bookings_a_freeze_cancelled(
    client, olivia, alices_membership, yoga_next_week, next_week
):
    book(yoga_next_week[6], alices_membership)
    prefix = f"m{alices_membership.pk}"
    url = reverse(
        "dashboard:membership_action", args=[alices_membership.client_id, alices_membership.pk, "freeze"]
    )
    client.force_login(olivia)
    response = client.post(
        url,
        {
            f"{prefix}-freeze-starts_on": next_week[2].isoformat(),
            f"{prefix}-freeze-ends_on": next_week[2].isoformat(),
        },
        follow=True,
    )
    assert "1 booking it paid for is cancelled; the client is told by e-mail." in response.content.decode()
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_the_cancellation_email_tells_the_reason(alices_membership, yoga_next_week, next_week):
    book(yoga_next_week[6], alices_membership)
    freeze_day(alices_membership, next_week[2])
    written = write_booking_email(OutgoingEmail.objects.get(kind="cancellation"))
    assert "has been cancelled" in written["body_text"]
    assert "is frozen on the day of this session" in written["body_text"]
    assert "is frozen on the day of this session" in written["body_html"]
