"""Every change that alters what a feed shows for an event raises that event's SEQUENCE, so a
subscribed calendar takes the new copy: a class seat taken or freed, a held place paid for or
given back, a name the event shows changed. A place held while its client pays shows in the
team's feeds as awaiting payment."""

from datetime import timedelta
from decimal import Decimal

import icalendar
import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Business, FeedKind, PaymentPolicy, ServiceKind, WaitlistEntry
from bookings_app.services import payments
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.calendar_feeds import ensure_feed, set_feed_privacy
from bookings_app.services.catalog import update_service, update_staff_member
from bookings_app.services.changes import cancel_booking, set_booking_notes
from bookings_app.services.client_records import update_client_details
from bookings_app.services.settings import update_business_settings
from bookings_app.services.waitlist import accept_offer, join_waitlist
from tests import factories
from tests.support.payments import deliver, hold_appointment, hold_seat


def event(feed, uid: str) -> icalendar.Event:
    response = Browser().get(reverse("public:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    found = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    return found[uid]


def session_uid(session_id: int) -> str:
    return f"session-{session_id}@rendez"


def booking_uid(booking) -> str:
    return f"booking-{booking.code}@rendez"


@pytest.fixture
def rina(studio):
    """Rina works around the clock, so the online holds below find her free."""
    return factories.staff_member("Rina", hours={d: [("00:00", "23:59")] for d in range(7)})


@pytest.fixture
def rinas_feed(rina):
    return ensure_feed(kind=FeedKind.STAFF, staff=rina)


@pytest.fixture
def yoga_session(rina):
    yoga = factories.service(
        "Yoga", kind=ServiceKind.CLASS, staff=[rina], capacity=5, price=Decimal("20.00"),
        payment_policy=PaymentPolicy.FULL,
    )  # fmt: skip
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return factories.session(yoga, rina, start, capacity=5)


@pytest.fixture
def paid_massage(rina):
    return factories.service(
        "Deep tissue", staff=[rina], price=Decimal("80.00"), payment_policy=PaymentPolicy.DEPOSIT,
        deposit_percent=30,
    )  # fmt: skip


def sequence(feed, uid: str) -> int:
    return int(event(feed, uid)["SEQUENCE"])


def test_a_class_seat_taken_raises_the_sessions_sequence(studio, rinas_feed, yoga_session, handed_over):
    uid = session_uid(yoga_session.pk)
    before = event(rinas_feed, uid)

    book_class_seat(session=yoga_session, details=factories.racer(1))

    after = event(rinas_feed, uid)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert "1 of 5" in str(after["DESCRIPTION"]) and "Client 1" in str(after["DESCRIPTION"])


def test_a_class_seat_freed_raises_the_sessions_sequence(studio, rinas_feed, yoga_session, handed_over):
    uid = session_uid(yoga_session.pk)
    booking = book_class_seat(session=yoga_session, details=factories.racer(1))
    before = sequence(rinas_feed, uid)

    cancel_booking(booking=booking, by_client=False)

    after = event(rinas_feed, uid)
    assert int(after["SEQUENCE"]) == before + 1
    assert "Client 1" not in str(after["DESCRIPTION"])


def test_a_held_seat_shows_as_awaiting_payment_in_the_team_feed(studio, rinas_feed, yoga_session):
    hold_seat(yoga_session, 1)

    shown = event(rinas_feed, session_uid(yoga_session.pk))
    assert "Client 1 (awaiting payment)" in str(shown["DESCRIPTION"])
    assert str(shown["STATUS"]) == "CONFIRMED"  # the class takes place whoever pays


def test_a_held_appointment_is_tentative_until_paid_then_confirmed(studio, rinas_feed, paid_massage):
    start = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking, payment = hold_appointment(paid_massage, start)
    alices_feed = ensure_feed(kind=FeedKind.CLIENT, client=booking.client)
    held_team, held_client = (
        event(rinas_feed, session_uid(booking.session_id)),
        event(alices_feed, booking_uid(booking)),
    )
    assert str(held_team["STATUS"]) == str(held_client["STATUS"]) == "TENTATIVE"
    assert "awaiting payment" in str(held_team["DESCRIPTION"])

    deliver(payment)

    paid_team, paid_client = (
        event(rinas_feed, session_uid(booking.session_id)),
        event(alices_feed, booking_uid(booking)),
    )
    assert str(paid_team["STATUS"]) == str(paid_client["STATUS"]) == "CONFIRMED"
    assert "awaiting payment" not in str(paid_team["DESCRIPTION"])
    assert int(paid_team["SEQUENCE"]) == int(held_team["SEQUENCE"]) + 1
    assert int(paid_client["SEQUENCE"]) == int(held_client["SEQUENCE"]) + 1


def test_a_released_appointment_hold_is_cancelled_with_a_higher_sequence(studio, rinas_feed, paid_massage):
    start = (timezone.now() + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    booking, _ = hold_appointment(paid_massage, start)
    clients_feed = ensure_feed(kind=FeedKind.CLIENT, client=booking.client)
    held_team, held_client = (
        event(rinas_feed, session_uid(booking.session_id)),
        event(clients_feed, booking_uid(booking)),
    )

    assert payments.release_hold(booking_id=booking.pk, reason="expired")

    gone_team, gone_client = (
        event(rinas_feed, session_uid(booking.session_id)),
        event(clients_feed, booking_uid(booking)),
    )
    assert str(gone_team["STATUS"]) == str(gone_client["STATUS"]) == "CANCELLED"
    assert int(gone_team["SEQUENCE"]) == int(held_team["SEQUENCE"]) + 1
    assert int(gone_client["SEQUENCE"]) == int(held_client["SEQUENCE"]) + 1


def test_a_released_seat_hold_raises_the_class_and_booking_sequences(studio, rinas_feed, yoga_session):
    booking, _ = hold_seat(yoga_session, 1)
    clients_feed = ensure_feed(kind=FeedKind.CLIENT, client=booking.client)
    held_team, held_client = (
        event(rinas_feed, session_uid(yoga_session.pk)),
        event(clients_feed, booking_uid(booking)),
    )

    assert payments.release_hold(booking_id=booking.pk, reason="expired")

    gone_team, gone_client = (
        event(rinas_feed, session_uid(yoga_session.pk)),
        event(clients_feed, booking_uid(booking)),
    )
    assert "Client 1" not in str(gone_team["DESCRIPTION"])
    assert str(gone_client["STATUS"]) == "CANCELLED"
    assert int(gone_team["SEQUENCE"]) == int(held_team["SEQUENCE"]) + 1
    assert int(gone_client["SEQUENCE"]) == int(held_client["SEQUENCE"]) + 1


def test_a_staff_feed_without_client_names_still_says_a_place_is_held(studio, rinas_feed, yoga_session):
    set_feed_privacy(business=Business.current(), client_names=False, private_notes=False)
    hold_seat(yoga_session, 1)

    shown = str(event(rinas_feed, session_uid(yoga_session.pk))["DESCRIPTION"])
    assert "Client 1" not in shown and "A place held, awaiting payment" in shown


def test_a_waitlist_offer_taken_raises_the_sessions_sequence(studio, rinas_feed, rina, handed_over):
    yoga = factories.service(
        "Slow flow", kind=ServiceKind.CLASS, staff=[rina], capacity=1, waitlist_enabled=True
    )
    start = (timezone.now() + timedelta(days=4)).replace(minute=0, second=0, microsecond=0)
    session = factories.session(yoga, rina, start, capacity=1)
    first = book_class_seat(session=session, details=factories.racer(1))
    waiting = join_waitlist(session=session, details=factories.racer(2))
    cancel_booking(booking=first, by_client=False)  # the seat is offered to the line
    offered = sequence(rinas_feed, session_uid(session.pk))

    accept_offer(entry=WaitlistEntry.objects.get(pk=waiting.pk))

    after = event(rinas_feed, session_uid(session.pk))
    assert int(after["SEQUENCE"]) == offered + 1
    assert "Client 2" in str(after["DESCRIPTION"])


def test_a_changed_private_note_raises_the_sessions_sequence_and_the_same_note_does_not(studio):
    uid = session_uid(studio.ninas_massage.session_id)
    before = sequence(studio.business_feed, uid)

    set_booking_notes(booking=studio.ninas_massage, notes="Allergic to lavender and rosemary")
    set_booking_notes(booking=studio.ninas_massage, notes="Allergic to lavender and rosemary ")

    after = event(studio.business_feed, uid)
    assert int(after["SEQUENCE"]) == before + 1
    assert "rosemary" in str(after["DESCRIPTION"])


# -- renames: every event showing the name takes the new copy --


@pytest.fixture
def booked_yoga(studio, rina, yoga_session, handed_over):
    """Client 1's seat in Rina's yoga class, with the client's own feed."""
    booking = book_class_seat(session=yoga_session, details=factories.racer(1))
    return booking, ensure_feed(kind=FeedKind.CLIENT, client=booking.client)


def _sequences(rinas_feed, booking, clients_feed) -> tuple[int, int]:
    return sequence(rinas_feed, session_uid(booking.session_id)), sequence(clients_feed, booking_uid(booking))


def test_renaming_the_service_raises_both_feeds_sequences(rinas_feed, booked_yoga):
    booking, clients_feed = booked_yoga
    before = _sequences(rinas_feed, booking, clients_feed)

    update_service(service=booking.service, name="Slow flow")

    assert _sequences(rinas_feed, booking, clients_feed) == (before[0] + 1, before[1] + 1)
    assert "Slow flow" in str(event(clients_feed, booking_uid(booking))["SUMMARY"])


def test_renaming_the_staff_member_raises_both_feeds_sequences(rina, rinas_feed, booked_yoga):
    booking, clients_feed = booked_yoga
    before = _sequences(rinas_feed, booking, clients_feed)

    update_staff_member(staff_member=rina, name="Rina K.")

    assert _sequences(rinas_feed, booking, clients_feed) == (before[0] + 1, before[1] + 1)


def test_renaming_a_client_raises_the_team_event_only(rinas_feed, booked_yoga):
    booking, clients_feed = booked_yoga
    before = _sequences(rinas_feed, booking, clients_feed)
    client = booking.client

    update_client_details(
        client=client, first_name="Clara", last_name=client.last_name, email=client.email,
        phone=client.phone, language=client.language,
    )  # fmt: skip

    assert _sequences(rinas_feed, booking, clients_feed) == (before[0] + 1, before[1])
    assert "Clara" in str(event(rinas_feed, session_uid(booking.session_id))["DESCRIPTION"])


def test_renaming_the_business_raises_every_event_and_saving_the_same_name_none(rinas_feed, booked_yoga):
    booking, clients_feed = booked_yoga
    before = _sequences(rinas_feed, booking, clients_feed)
    business = Business.current()

    update_business_settings(business=business, name=business.name)
    assert _sequences(rinas_feed, booking, clients_feed) == before
    update_business_settings(business=business, name="Studio Lumière")

    assert _sequences(rinas_feed, booking, clients_feed) == (before[0] + 1, before[1] + 1)


def test_changing_what_no_feed_shows_raises_nothing(rina, rinas_feed, booked_yoga):
    booking, clients_feed = booked_yoga
    before = _sequences(rinas_feed, booking, clients_feed)

    update_service(service=booking.service, description="Bring a mat.")
    update_staff_member(staff_member=rina, email="rina@studio.test")

    assert _sequences(rinas_feed, booking, clients_feed) == before
