"""The owner's Bookings pages: the filtered list, one booking, and its actions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings_app.models import (
    Attendance,
    Booking,
    BookingStatus,
    Client,
    DomainEvent,
    EventKind,
    OutgoingEmail,
    PaymentMethod,
    Session,
)
from bookings_app.selectors import bookings_for_list, bookings_list_page
from bookings_app.services.checkout import record_prepayment
from tests import factories
from tests.support.dashboard import appointment, bookings_studio

BOOKINGS = "/dashboard/bookings/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def studio(db):
    return bookings_studio()


def _many_bookings(studio, count: int) -> None:
    Client.objects.bulk_create([Client(first_name=f"C{n}", email=f"c{n}@client.test") for n in range(count)])
    yoga = studio["yoga"]
    session = factories.session(yoga, studio["nina"], timezone.now() + timedelta(days=1), capacity=2000)
    Booking.objects.bulk_create(
        [Booking(session=session, service=yoga, client=client) for client in Client.objects.all()]
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_it_lists_bookings_with_the_same_queries_for_10_and_1000(
    client, olivia, studio, django_assert_num_queries, count
):
    _many_bookings(studio, count)
    client.force_login(olivia)
    # session, user, groups, business, count, the page's ids, its rows, service and staff choices
    with django_assert_num_queries(9):
        response = client.get(BOOKINGS)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.parametrize(
    "wanted", [{}, {"status": BookingStatus.CONFIRMED}, {"paid": "unpaid"}, {"q": "c3"}], ids=str
)
def test_its_pages_follow_session_start_then_newest_booking_page_after_page(studio, wanted):
    """On SQLite the ids are read by walking the sessions (``CROSS JOIN``); on either backend
    every page holds what the one sorted query would, in its order, none twice, none left out."""
    yoga, nina = studio["yoga"], studio["nina"]
    now = timezone.now()
    sessions = [  # made out of start order, so ids and starts disagree
        factories.session(yoga, nina, now + timedelta(days=days), capacity=10) for days in (3, 1, 4, 2, -2)
    ]
    clients = Client.objects.bulk_create(
        [Client(first_name=f"C{n}", email=f"c{n}@client.test") for n in range(4)]
    )
    for session in sessions:
        Booking.objects.bulk_create([Booking(session=session, service=yoga, client=c) for c in clients])
    every_third = list(Booking.objects.order_by("pk").values_list("pk", flat=True))[::3]
    Booking.objects.filter(pk__in=every_third).update(status=BookingStatus.CANCELLED)
    tz = factories.business().tz

    with CaptureQueriesContext(connection) as queries:
        pages = [
            [b.pk for b in bookings_list_page(wanted, tz=tz, number=n, per_page=3).object_list]
            for n in range(1, 9)
        ]
    sorted_ids = list(bookings_for_list(wanted, tz=tz).values_list("pk", flat=True))

    assert sum(pages, [])[: len(sorted_ids)] == sorted_ids and sorted_ids
    walked = any("CROSS JOIN" in query["sql"] for query in queries)
    assert walked == (connection.vendor == "sqlite" and "q" not in wanted)


def test_it_filters_by_session_date_in_the_business_time_zone(client, olivia, studio):
    soon, later = appointment(studio, days=2), appointment(studio, days=5, first_name="Bob")
    day = soon.session.start.astimezone(factories.business().tz).date()
    client.force_login(olivia)
    response = client.get(BOOKINGS, {"date_from": day.isoformat(), "date_to": day.isoformat()})
    assert [b.pk for b in response.context["page"]] == [soon.pk]
    assert later


def test_it_filters_by_status_attendance_payment_and_client(client, olivia, studio):
    alice, bob = appointment(studio), appointment(studio, at="14:00", first_name="Bob")
    Booking.objects.filter(pk=bob.pk).update(paid_at=timezone.now())
    client.force_login(olivia)
    assert [b.pk for b in client.get(BOOKINGS, {"paid": "paid"}).context["page"]] == [bob.pk]
    assert [b.pk for b in client.get(BOOKINGS, {"paid": "unpaid"}).context["page"]] == [alice.pk]
    assert [b.pk for b in client.get(BOOKINGS, {"q": "bob"}).context["page"]] == [bob.pk]
    assert len(client.get(BOOKINGS, {"attendance": "none", "status": "confirmed"}).context["page"]) == 2
    assert len(client.get(BOOKINGS, {"attendance": Attendance.CHECKED_IN}).context["page"]) == 0
    by_staff_and_service = {"staff": studio["nina"].pk, "service": studio["massage"].pk}
    assert len(client.get(BOOKINGS, by_staff_and_service).context["page"]) == 2


def test_a_reversed_date_range_is_shown_next_to_the_field(client, olivia, studio):
    client.force_login(olivia)
    response = client.get(BOOKINGS, {"date_from": "2030-01-10", "date_to": "2030-01-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_it_shows_a_booking_with_its_emails_and_events(client, olivia, studio):
    booking = appointment(studio)
    client.force_login(olivia)
    response = client.get(f"{BOOKINGS}{booking.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/dashboard/clients/{booking.client_id}/" in body
    assert f"/dashboard/emails/{OutgoingEmail.objects.get(booking=booking).pk}/" in body
    assert "Booking created" in body


def test_it_marks_a_booking_paid_and_unpaid(client, olivia, studio):
    booking = appointment(studio)
    client.force_login(olivia)
    response = client.post(f"{BOOKINGS}{booking.pk}/paid/", {"paid": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert "Mark as not paid" in response.content.decode()
    booking.refresh_from_db()
    assert booking.paid_at is not None
    client.post(f"{BOOKINGS}{booking.pk}/paid/", {"paid": "0"}, headers=HTMX)
    booking.refresh_from_db()
    assert booking.paid_at is None


def test_it_asks_before_cancelling_then_cancels(client, olivia, studio):
    booking = appointment(studio)
    client.force_login(olivia)
    confirm = client.get(f"{BOOKINGS}{booking.pk}/cancel/", headers=HTMX)
    assert "Yes, cancel the booking" in confirm.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    response = client.post(f"{BOOKINGS}{booking.pk}/cancel/", headers=HTMX)
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert DomainEvent.objects.filter(booking=booking, kind=EventKind.BOOKING_CANCELLED).exists()


def test_cancelling_twice_is_a_409_with_the_message(client, olivia, studio):
    booking = appointment(studio)
    client.force_login(olivia)
    client.post(f"{BOOKINGS}{booking.pk}/cancel/", headers=HTMX)
    response = client.post(f"{BOOKINGS}{booking.pk}/cancel/", headers=HTMX)
    assert response.status_code == 409
    assert "cannot be changed that way any more" in response.content.decode()


def test_it_saves_private_notes(client, olivia, studio):
    booking = appointment(studio)
    client.force_login(olivia)
    client.post(f"{BOOKINGS}{booking.pk}/notes/", {"notes": "Bring a towel"}, headers=HTMX)
    booking.refresh_from_db()
    assert booking.notes == "Bring a towel"


def test_it_offers_free_slots_and_moves_an_appointment(client, olivia, studio):
    booking = appointment(studio, at="10:00")
    day = booking.session.start.astimezone(factories.business().tz).date()
    client.force_login(olivia)
    fragment = client.get(f"{BOOKINGS}{booking.pk}/reschedule/", {"day": day.isoformat()}, headers=HTMX)
    assert "<html" not in fragment.content.decode() and 'name="start"' in fragment.content.decode()
    response = client.get(f"{BOOKINGS}{booking.pk}/reschedule/", {"day": day.isoformat()})
    starts = [slot.start for slot, _name in response.context["slots"]]
    new_start = factories.local(day, "15:00")
    assert new_start in starts and booking.session.start not in starts
    response = client.post(
        f"{BOOKINGS}{booking.pk}/reschedule/",
        {"start": new_start.isoformat(), "staff": studio["nina"].pk, "confirm": "1", "notify": "1"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.session.start == new_start


def test_moving_to_a_taken_time_is_a_409(client, olivia, studio):
    booking = appointment(studio, at="10:00")
    other = appointment(studio, at="13:00", first_name="Bob")
    client.force_login(olivia)
    response = client.post(
        f"{BOOKINGS}{booking.pk}/reschedule/",
        {"start": other.session.start.isoformat(), "staff": studio["nina"].pk},
    )
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()


def test_it_moves_a_class_seat_to_another_session(client, olivia, studio):
    first = factories.session(studio["yoga"], studio["nina"], timezone.now() + timedelta(days=2), capacity=5)
    second = factories.session(studio["yoga"], studio["nina"], timezone.now() + timedelta(days=4), capacity=5)
    booking = factories.booking(first, factories.client("Alice"))
    client.force_login(olivia)
    response = client.get(f"{BOOKINGS}{booking.pk}/reschedule/")
    assert [s.pk for s in response.context["class_sessions"]] == [second.pk]
    client.post(f"{BOOKINGS}{booking.pk}/reschedule/", {"session": second.pk, "confirm": "1"})
    booking.refresh_from_db()
    assert booking.session_id == second.pk
    assert Session.objects.get(pk=first.pk).seats_taken == 0


def test_a_booking_partly_paid_online_shows_what_is_left_to_pay(client, olivia, studio):
    booking = appointment(studio)
    Booking.objects.filter(pk=booking.pk).update(price=Decimal("60.00"))
    record_prepayment(booking=booking, amount=Decimal("25.00"), method=PaymentMethod.GIFT_CARD)
    client.force_login(olivia)

    body = client.get(f"{BOOKINGS}{booking.pk}/").content.decode()

    assert "25.00 EUR paid online (Gift card), 35.00 EUR to pay in person" in body
    assert "Partly paid" in body and "Not paid" not in body and "Unpaid" not in body
    assert "Partly paid" in client.get(BOOKINGS).content.decode()
