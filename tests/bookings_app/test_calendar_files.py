"""The .ics file and the "add to calendar" links put the booking at the right moment, in UTC."""

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from bookings_app.display.calendar_files import (
    booking_ics,
    bookings_ics,
    google_calendar_url,
    outlook_calendar_url,
)
from bookings_app.models import Booking, ServiceKind
from tests import factories

# 10:00 in Paris, where the studio is.
MASSAGE_AT = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def massage(db) -> Booking:
    """Alice's one-hour massage with Nina at Studio Lumen."""
    factories.business()
    nina = factories.staff_member("Nina")
    service = factories.service("Massage", staff=[nina])
    session = factories.session(service, nina, MASSAGE_AT)
    return Booking.objects.create(client=factories.client("Alice"), service=service, session=session)


def only_event(ics: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return event


def test_it_puts_the_massage_in_the_calendar_at_its_utc_time(massage):
    event = only_event(booking_ics(massage))

    assert event.decoded("DTSTART") == MASSAGE_AT
    assert event.decoded("DTEND") == MASSAGE_AT + timedelta(hours=1)
    assert event["DTSTART"].to_ical() == b"20270115T090000Z"
    assert str(event["SUMMARY"]) == "Massage"


def test_it_gives_the_booking_the_same_uid_in_every_file(massage):
    first, second = only_event(booking_ics(massage)), only_event(booking_ics(massage))

    assert str(first["UID"]) == str(second["UID"]) == f"booking-{massage.code}@rendez"


def test_it_publishes_the_file_with_rendezs_product_id(massage):
    calendar = icalendar.Calendar.from_ical(booking_ics(massage))

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Rendez" in str(calendar["PRODID"])


def test_it_tells_where_with_whom_and_how_to_change_it(massage):
    event = only_event(booking_ics(massage, manage_url="https://rendez.test/manage/abc"))

    assert str(event["LOCATION"]) == "Studio Lumen"
    assert "Nina" in str(event["DESCRIPTION"])
    assert "https://rendez.test/manage/abc" in str(event["DESCRIPTION"])


def test_it_puts_every_session_of_a_course_in_one_file(db):
    factories.business()
    nina = factories.staff_member("Nina")
    course = factories.service("Pottery course", kind=ServiceKind.COURSE, staff=[nina], capacity=8)
    alice, enrollment = factories.client("Alice"), uuid.uuid4()
    bookings = [
        Booking.objects.create(
            client=alice,
            service=course,
            enrollment=enrollment,
            session=factories.session(course, nina, MASSAGE_AT + timedelta(weeks=week)),
        )
        for week in range(3)
    ]

    events = icalendar.Calendar.from_ical(bookings_ics(bookings)).walk("VEVENT")

    weekly = [MASSAGE_AT + timedelta(weeks=week) for week in range(3)]
    assert [event.decoded("DTSTART") for event in events] == weekly
    assert len({str(event["UID"]) for event in events}) == 3


def test_it_opens_google_calendar_at_the_utc_time(massage):
    query = parse_qs(urlsplit(google_calendar_url(massage)).query)

    assert query["dates"] == ["20270115T090000Z/20270115T100000Z"]
    assert query["text"] == ["Massage"]
    assert query["location"] == ["Studio Lumen"]


def test_it_opens_outlook_at_the_utc_time(massage):
    url = outlook_calendar_url(massage, manage_url="https://rendez.test/manage/abc")
    query = parse_qs(urlsplit(url).query)

    assert url.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert query["startdt"] == ["2027-01-15T09:00:00Z"]
    assert query["enddt"] == ["2027-01-15T10:00:00Z"]
    assert "https://rendez.test/manage/abc" in query["body"][0]


def test_every_booking_status_has_a_calendar_status():
    from bookings_app.display.calendar_files import _ICS_STATUS
    from bookings_app.models import BookingStatus

    assert set(_ICS_STATUS) == set(BookingStatus.values)
