"""Busy times from an outside calendar block availability exactly like time off: the slots they
overlap go, the others stay, a booking in one is refused, and the queries stay the same."""

from datetime import UTC, timedelta

import pytest

from bookings_app.core.errors import SlotUnavailable
from bookings_app.models import BusyTime, OutsideCalendar
from bookings_app.selectors.availability import free_slots
from bookings_app.services.bookings import book_appointment
from bookings_app.services.busy_times import refresh_outside_calendar
from tests import factories
from tests.support.calendar_server import NOW, ics

TUESDAY = NOW.date() + timedelta(days=8)  # 9 March: the moved stand-up, 14:00–15:00 in Paris


def starts(slots) -> list[str]:
    return [f"{slot.start:%H:%M}" for slot in slots]


@pytest.fixture
def massage(nina):
    return factories.service("Massage", staff=[nina], duration_minutes=60)


def test_a_busy_time_removes_exactly_the_slots_it_overlaps(nina, massage, calendar_server):
    before = free_slots(service=massage, start_date=TUESDAY, end_date=TUESDAY, now=NOW)
    calendar = OutsideCalendar.objects.create(
        staff=nina, name="Work", url=calendar_server.serve("/work.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)

    after = free_slots(service=massage, start_date=TUESDAY, end_date=TUESDAY, now=NOW)

    # a one-hour massage on the half-hour grid overlaps 14:00–15:00 when it starts at 13:30, 14:00 or 14:30
    assert sorted(set(starts(before)) - set(starts(after))) == ["13:30", "14:00", "14:30"]
    assert set(starts(after)) < set(starts(before))


def test_an_all_day_event_takes_the_whole_local_day(nina, massage, calendar_server):
    calendar = OutsideCalendar.objects.create(
        staff=nina, name="Work", url=calendar_server.serve("/work.ics", ics("work"))
    )
    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)
    offsite = NOW.date() + timedelta(days=1)

    assert free_slots(service=massage, start_date=offsite, end_date=offsite, now=NOW) == []
    assert free_slots(
        service=massage, start_date=offsite + timedelta(days=1), end_date=offsite + timedelta(days=1), now=NOW
    )


def test_another_staff_members_busy_time_blocks_only_them(nina, calendar_server):
    omar = factories.staff_member("Omar")
    massage = factories.service("Massage", staff=[nina, omar])
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/x.ics")
    start = factories.local(TUESDAY, "10:00")
    BusyTime.objects.create(staff=nina, calendar=calendar, start=start, end=start + timedelta(hours=1))

    at_ten = [
        s.staff_id
        for s in free_slots(service=massage, start_date=TUESDAY, end_date=TUESDAY, now=NOW)
        if s.start.astimezone(UTC) == start.astimezone(UTC)
    ]

    assert at_ten == [omar.pk]


def test_booking_a_slot_that_became_busy_is_refused(nina, massage):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/x.ics")
    start = factories.local(TUESDAY, "10:00")
    BusyTime.objects.create(staff=nina, calendar=calendar, start=start, end=start + timedelta(minutes=30))

    with pytest.raises(SlotUnavailable):
        book_appointment(service=massage, start=start, staff=nina, details=factories.racer(1), now=NOW)


def test_busy_times_and_time_off_share_one_query(nina, massage, django_assert_num_queries):
    calendar = OutsideCalendar.objects.create(staff=nina, name="Work", url="https://calendar.example/x.ics")
    for day in range(28):
        start = factories.local(TUESDAY + timedelta(days=day), "12:00")
        BusyTime.objects.create(staff=nina, calendar=calendar, start=start, end=start + timedelta(hours=1))

    # business, staff, working hours, date overrides, time off with busy times, sessions: as before
    with django_assert_num_queries(6):
        slots = free_slots(
            service=massage, start_date=TUESDAY, end_date=TUESDAY + timedelta(days=27), now=NOW
        )

    assert slots and not any(f"{slot.start:%H:%M}" in {"11:30", "12:00", "12:30"} for slot in slots)
