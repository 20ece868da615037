"""Free appointment slots: working hours minus sessions, buffers, time off and the booking policy."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.models import DateOverride, ServiceKind, Session, SessionStatus, TimeOff
from bookings_app.selectors.availability import Slot, available_days, free_slots, is_slot_free
from tests import factories as make

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)
SATURDAY = MONDAY + timedelta(days=5)
NOW = make.local(MONDAY - timedelta(days=7), "08:00")  # a week before: notice and window stay out of the way
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def studio():
    return make.business()


@pytest.fixture
def nina(studio):
    """Nina works Monday to Friday, 09:00–17:00."""
    return make.staff_member("Nina")


@pytest.fixture
def massage(nina):
    return make.service("Massage", staff=[nina])


def wall_starts(slots: list[Slot]) -> list[str]:
    return [f"{slot.start:%H:%M}" for slot in slots]


def utc_starts(slots: list[Slot]) -> list[str]:
    return [f"{slot.start.astimezone(UTC):%m-%d %H:%M}" for slot in slots]


def every(first: str, last: str, minutes: int = 30) -> list[str]:
    """Wall times from first to last inclusive, every ``minutes``."""
    day = datetime(2000, 1, 1)
    at, until = (
        day.replace(hour=int(first[:2]), minute=int(first[3:])),
        day.replace(hour=int(last[:2]), minute=int(last[3:])),
    )
    times = []
    while at <= until:
        times.append(f"{at:%H:%M}")
        at += timedelta(minutes=minutes)
    return times


def slots_on(day: date, service, studio, **options) -> list[Slot]:
    return free_slots(
        service=service, start_date=day, end_date=day, now=options.pop("now", NOW), business=studio, **options
    )


# --- A working day -----------------------------------------------------------------------------


def test_it_offers_every_step_of_a_plain_working_day(studio, nina, massage):
    slots = slots_on(MONDAY, massage, studio)

    assert wall_starts(slots) == every("09:00", "16:00")
    assert slots[0] == Slot(
        start=make.local(MONDAY, "09:00"), end=make.local(MONDAY, "10:00"), staff_id=nina.pk
    )
    assert all(slot.start.tzinfo == PARIS for slot in slots)


def test_it_offers_nothing_on_a_day_without_working_hours(studio, nina, massage):
    assert slots_on(SATURDAY, massage, studio) == []


def test_it_offers_slots_in_each_interval_of_a_split_shift(studio):
    nina = make.staff_member("Nina", hours={0: [("09:00", "12:00"), ("14:00", "18:00")]})
    massage = make.service("Massage", staff=[nina])

    assert wall_starts(slots_on(MONDAY, massage, studio)) == every("09:00", "11:00") + every("14:00", "17:00")


def test_it_joins_touching_or_overlapping_intervals_into_one_shift(studio):
    nina = make.staff_member("Nina", hours={0: [("09:00", "12:00"), ("12:00", "13:00"), ("12:30", "14:00")]})
    massage = make.service("Massage", staff=[nina])

    assert wall_starts(slots_on(MONDAY, massage, studio)) == every("09:00", "13:00")  # 11:30 spans noon


def test_it_steps_from_each_interval_start_by_the_business_slot_step(studio):
    studio = make.business(slot_step_minutes=45)
    nina = make.staff_member("Nina", hours={0: [("09:00", "12:00"), ("13:10", "15:00")]})
    massage = make.service("Massage", staff=[nina])

    assert wall_starts(slots_on(MONDAY, massage, studio)) == ["09:00", "09:45", "10:30", "13:10", "13:55"]


# --- Sessions and buffers ----------------------------------------------------------------------


def test_it_keeps_the_buffers_clear_around_an_existing_session(studio, nina):
    massage = make.service("Massage", staff=[nina], buffer_before_minutes=30, buffer_after_minutes=15)
    make.session(massage, nina, make.local(MONDAY, "11:00"))  # blocks 10:30–12:15

    # A start s blocks [s - 30, s + 75): 09:00 frees 10:15, 13:00 needs 12:30; 09:30 and 12:30 clash.
    assert wall_starts(slots_on(MONDAY, massage, studio)) == ["09:00"] + every("13:00", "16:00")


def test_it_allows_a_slot_that_only_touches_a_session(studio, nina, massage):
    make.session(massage, nina, make.local(MONDAY, "10:00"))

    assert wall_starts(slots_on(MONDAY, massage, studio)) == ["09:00"] + every("11:00", "16:00")


def test_it_offers_the_hour_left_exactly_between_two_sessions(studio, nina, massage):
    make.session(massage, nina, make.local(MONDAY, "10:00"))
    make.session(massage, nina, make.local(MONDAY, "12:00"))

    assert wall_starts(slots_on(MONDAY, massage, studio)) == ["09:00", "11:00"] + every("13:00", "16:00")


def test_it_reads_a_session_of_another_service_through_its_own_blocked_span(studio, nina, massage):
    facial = make.service("Facial", staff=[nina], duration_minutes=30, buffer_after_minutes=30)
    make.session(facial, nina, make.local(MONDAY, "13:00"))  # blocks 13:00–14:00

    assert wall_starts(slots_on(MONDAY, massage, studio)) == every("09:00", "12:00") + every("14:00", "16:00")


def test_it_ignores_a_cancelled_session(studio, nina, massage):
    make.session(massage, nina, make.local(MONDAY, "10:00"), status=SessionStatus.CANCELLED)

    assert wall_starts(slots_on(MONDAY, massage, studio)) == every("09:00", "16:00")


# --- Date overrides and time off ---------------------------------------------------------------


def test_it_replaces_the_weekly_hours_with_the_date_overrides_of_that_date(studio, nina, massage):
    DateOverride.objects.create(staff=nina, date=MONDAY, start=time(7), end=time(9))
    DateOverride.objects.create(staff=nina, date=MONDAY, start=time(18), end=time(19, 30))

    assert wall_starts(slots_on(MONDAY, massage, studio)) == ["07:00", "07:30", "08:00", "18:00", "18:30"]
    assert wall_starts(slots_on(TUESDAY, massage, studio)) == every("09:00", "16:00")


def test_it_opens_a_day_off_with_a_date_override(studio, nina, massage):
    DateOverride.objects.create(staff=nina, date=SATURDAY, start=time(10), end=time(12))

    assert wall_starts(slots_on(SATURDAY, massage, studio)) == ["10:00", "10:30", "11:00"]


def test_it_skips_time_off_during_part_of_a_day_even_around_a_session(studio, nina, massage):
    TimeOff.objects.create(
        staff=nina, start=make.local(MONDAY, "12:00"), end=make.local(MONDAY, "14:30"), reason="Dentist"
    )
    make.session(massage, nina, make.local(MONDAY, "12:30"))  # booked before the time off was entered

    assert wall_starts(slots_on(MONDAY, massage, studio)) == every("09:00", "11:00") + every("14:30", "16:00")


def test_it_skips_every_day_of_a_time_off_over_several_days(studio, nina, massage):
    TimeOff.objects.create(
        staff=nina, start=make.local(MONDAY, "00:00"), end=make.local(WEDNESDAY, "12:00"), reason="Holiday"
    )

    slots = free_slots(service=massage, start_date=MONDAY, end_date=WEDNESDAY, now=NOW, business=studio)

    assert {slot.start.date() for slot in slots} == {WEDNESDAY}
    assert wall_starts(slots) == every("12:00", "16:00")


# --- Booking policy ----------------------------------------------------------------------------


def test_it_offers_nothing_sooner_than_the_minimum_notice(nina, massage):
    studio = make.business(min_notice_minutes=120)

    slots = slots_on(MONDAY, massage, studio, now=make.local(MONDAY, "09:10"))

    assert wall_starts(slots) == every("11:30", "16:00")


def test_it_offers_nothing_beyond_the_booking_window(nina, massage):
    studio = make.business(max_advance_days=1)
    now = make.local(MONDAY, "10:00")

    slots = free_slots(service=massage, start_date=MONDAY, end_date=WEDNESDAY, now=now, business=studio)

    assert [f"{slot.start:%a %H:%M}" for slot in slots] == (
        [f"Mon {at}" for at in every("10:00", "16:00")] + [f"Tue {at}" for at in every("09:00", "10:00")]
    )


@pytest.mark.parametrize(
    "change", [{"kind": ServiceKind.CLASS, "capacity": 12}, {"is_online": False}, {"is_archived": True}]
)
def test_it_offers_no_slots_for_a_class_or_an_unbookable_service(studio, nina, change):
    service = make.service("Yoga", staff=[nina], **change)

    assert slots_on(MONDAY, service, studio) == []


# --- Time zones and daylight saving time -------------------------------------------------------


@pytest.mark.parametrize(
    ("tz_name", "day", "first_utc", "count"),
    [
        ("Europe/Paris", date(2027, 3, 28), "03-27 23:00", 9),  # 02:00 → 03:00: a 5-hour night
        ("Europe/Paris", date(2027, 10, 31), "10-30 22:00", 13),  # 03:00 → 02:00: a 7-hour night
        ("Asia/Jerusalem", date(2027, 3, 26), "03-25 22:00", 9),
        ("Asia/Jerusalem", date(2027, 10, 31), "10-30 21:00", 13),
    ],
)
def test_it_steps_through_a_dst_night_in_absolute_time(tz_name, day, first_utc, count):
    studio = make.business(time_zone=tz_name)
    nina = make.staff_member("Nina", hours={day.weekday(): [("00:00", "06:00")]})
    massage = make.service("Massage", staff=[nina])

    slots = slots_on(day, massage, studio)

    assert len(slots) == count
    assert utc_starts(slots)[0] == first_utc
    assert all(
        b.start.astimezone(UTC) - a.start.astimezone(UTC) == timedelta(minutes=30)
        for a, b in zip(slots, slots[1:], strict=False)
    )
    assert all(slot.end.astimezone(UTC) - slot.start.astimezone(UTC) == timedelta(hours=1) for slot in slots)
    assert slots[-1].end == make.local(day, "06:00", tz_name)


def test_it_skips_the_missing_hour_of_the_spring_forward_night_in_paris(studio):
    sunday = date(2027, 3, 28)
    nina = make.staff_member("Nina", hours={6: [("00:00", "06:00")]})
    massage = make.service("Massage", staff=[nina])

    slots = slots_on(sunday, massage, studio)

    assert wall_starts(slots) == ["00:00", "00:30", "01:00", "01:30"] + every("03:00", "05:00")
    assert utc_starts(slots)[3:5] == ["03-28 00:30", "03-28 01:00"]
    assert f"{slots[2].end:%H:%M%z}" == "03:00+0200"  # 01:00 + 1 hour of real time


def test_it_offers_the_repeated_hour_of_the_autumn_night_twice_in_order_in_paris(studio):
    sunday = date(2027, 10, 31)
    nina = make.staff_member("Nina", hours={6: [("01:00", "04:00")]})
    massage = make.service("Massage", staff=[nina])

    slots = slots_on(sunday, massage, studio)

    assert [f"{slot.start:%H:%M%z}" for slot in slots] == [
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "02:00+0100",
        "02:30+0100",
        "03:00+0100",
    ]
    assert utc_starts(slots) == [f"10-30 {at}" for at in ("23:00", "23:30")] + [
        f"10-31 {at}" for at in ("00:00", "00:30", "01:00", "01:30", "02:00")
    ]


def test_it_reads_hours_that_start_in_a_gap_or_a_fold_without_crashing(studio, nina, massage):
    spring, autumn = date(2027, 3, 28), date(2027, 10, 31)
    DateOverride.objects.create(staff=nina, date=spring, start=time(2, 30), end=time(5))  # no 02:30 then
    DateOverride.objects.create(staff=nina, date=spring, start=time(2, 30), end=time(3))  # wholly in the gap
    DateOverride.objects.create(staff=nina, date=autumn, start=time(2, 30), end=time(4))  # 02:30 comes twice

    # 02:30 reads as 02:30+01:00, i.e. 03:30 summer time; the first 02:30 (summer time) of the fold wins.
    assert utc_starts(slots_on(spring, massage, studio)) == ["03-28 01:30", "03-28 02:00"]
    assert utc_starts(slots_on(autumn, massage, studio)) == [
        "10-31 00:30",
        "10-31 01:00",
        "10-31 01:30",
        "10-31 02:00",
    ]


def test_it_shows_a_client_in_new_york_the_same_instants_over_their_own_day(studio):
    # Paris Tuesday 01:00–04:00 is still Monday evening in New York.
    nina = make.staff_member("Nina", hours={0: [("09:00", "17:00")], 1: [("01:00", "04:00")]})
    massage = make.service("Massage", staff=[nina])
    in_paris = slots_on(MONDAY, massage, studio)

    in_new_york = slots_on(MONDAY, massage, studio, tz=NEW_YORK)

    assert in_new_york[:15] == in_paris  # the same instants (aware datetimes compare by instant)
    assert wall_starts(in_new_york) == every("03:00", "10:00") + every("19:00", "21:00")
    assert {slot.start.utcoffset() for slot in in_new_york} == {timedelta(hours=-5)}
    assert {slot.start.date() for slot in in_new_york} == {MONDAY}


# --- Staff -------------------------------------------------------------------------------------


def test_it_lists_every_active_staff_member_sorted_by_start_then_staff(studio):
    nina, omar = make.staff_member("Nina"), make.staff_member("Omar", hours={0: [("10:00", "12:00")]})
    make.staff_member("Paul")  # works, but not this service
    retired = make.staff_member("Rita")
    retired.is_active = False
    retired.save()
    massage = make.service("Massage", staff=[omar, nina, retired])

    slots = slots_on(MONDAY, massage, studio)

    assert [(f"{slot.start:%H:%M}", slot.staff_id) for slot in slots[:5]] == [
        ("09:00", nina.pk),
        ("09:30", nina.pk),
        ("10:00", nina.pk),
        ("10:00", omar.pk),
        ("10:30", nina.pk),
    ]
    assert {slot.staff_id for slot in slots} == {nina.pk, omar.pk}


def test_it_offers_only_the_chosen_staff_member_when_one_is_given(studio, nina):
    omar = make.staff_member("Omar", hours={0: [("10:00", "12:00")]})
    massage = make.service("Massage", staff=[nina, omar])

    slots = slots_on(MONDAY, massage, studio, staff=omar)

    assert wall_starts(slots) == ["10:00", "10:30", "11:00"]
    assert {slot.staff_id for slot in slots} == {omar.pk}


def test_it_offers_nothing_with_a_staff_member_who_does_not_give_the_service_or_left(studio, nina, massage):
    paul = make.staff_member("Paul")
    nina.is_active = False
    nina.save()

    assert slots_on(MONDAY, massage, studio, staff=paul) == []
    assert slots_on(MONDAY, massage, studio, staff=nina) == []


# --- The month calendar and the booking re-check -----------------------------------------------


def test_it_lists_the_days_with_at_least_one_free_slot(studio, nina, massage):
    TimeOff.objects.create(
        staff=nina, start=make.local(WEDNESDAY, "00:00"), end=make.local(WEDNESDAY, "23:00")
    )
    for at in every("09:00", "16:00", 60):
        make.session(massage, nina, make.local(TUESDAY, at))

    days = available_days(
        service=massage, start_date=MONDAY, end_date=SATURDAY + timedelta(days=1), now=NOW, business=studio
    )

    assert days == {MONDAY, MONDAY + timedelta(days=3), MONDAY + timedelta(days=4)}


def test_it_confirms_a_free_slot_given_in_any_time_zone(studio, nina, massage):
    assert is_slot_free(
        service=massage, staff=nina, start=make.local(MONDAY, "10:30"), now=NOW, business=studio
    )
    assert is_slot_free(
        service=massage,
        staff=nina,
        start=make.local(MONDAY, "04:30", "America/New_York"),
        now=NOW,
        business=studio,
    )
    assert is_slot_free(service=massage, staff=nina, start=make.local(MONDAY, "10:30"), now=NOW)


def test_it_refuses_a_start_that_is_booked_off_the_step_outside_hours_or_too_soon(studio, nina, massage):
    make.session(massage, nina, make.local(MONDAY, "14:00"))
    refused = [
        make.local(MONDAY, "14:30"),
        make.local(MONDAY, "10:10"),
        make.local(MONDAY, "16:30"),
        make.local(SATURDAY, "10:00"),
    ]

    assert not any(
        is_slot_free(service=massage, staff=nina, start=start, now=NOW, business=studio) for start in refused
    )
    assert not is_slot_free(
        service=massage,
        staff=nina,
        start=make.local(MONDAY, "10:00"),
        now=make.local(MONDAY, "10:00") + timedelta(milliseconds=1),
        business=studio,
    )


def test_it_tells_the_two_half_past_twos_of_the_autumn_night_apart(studio, nina, massage):
    sunday = date(2027, 10, 31)
    DateOverride.objects.create(staff=nina, date=sunday, start=time(1), end=time(3, 30))
    summer_two_thirty = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    make.session(massage, nina, summer_two_thirty)  # the first 02:30, summer time

    winter_two_thirty = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=PARIS)

    assert not is_slot_free(service=massage, staff=nina, start=summer_two_thirty, now=NOW, business=studio)
    assert is_slot_free(service=massage, staff=nina, start=winter_two_thirty, now=NOW, business=studio)


# --- The sweep against the plain rule ----------------------------------------------------------


def one_by_one(shifts, busy, *, duration, before, after, step, earliest) -> list[datetime]:
    """The rule read literally: try every step of every shift against every busy span."""
    free = []
    for shift_start, shift_end in shifts:
        start = shift_start
        while start + duration <= shift_end:
            blocked = (start - before, start + duration + after)
            if start >= earliest and not any(b0 < blocked[1] and blocked[0] < b1 for b0, b1 in busy):
                free.append(start)
            start += step
    return free


minutes = st.integers(min_value=0, max_value=12 * 60).map(lambda n: timedelta(minutes=n))


@settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gaps=st.lists(st.tuples(minutes, st.sampled_from([15, 20, 45, 60, 75, 90, 120])), max_size=8),
    days_off=st.lists(st.tuples(minutes, st.integers(min_value=1, max_value=240)), max_size=3),
    duration=st.sampled_from([15, 30, 45, 50, 60, 90]),
    before=st.sampled_from([0, 5, 10, 15, 30]),
    after=st.sampled_from([0, 5, 10, 15, 30]),
    step=st.sampled_from([5, 10, 15, 20, 30, 45, 60]),
    notice=st.integers(min_value=0, max_value=10 * 60),
)
def test_it_agrees_with_trying_every_step_one_by_one(
    studio, nina, gaps, days_off, duration, before, after, step, notice
):
    """Busy days with split shifts: the sweep must free exactly the starts the plain rule frees."""
    shifts = [
        (make.local(MONDAY, "08:00"), make.local(MONDAY, "12:00")),
        (make.local(MONDAY, "13:10"), make.local(MONDAY, "19:00")),
    ]
    now = make.local(MONDAY, "07:00")
    with transaction.atomic():
        studio = make.business(slot_step_minutes=step, min_notice_minutes=notice)
        nina.working_hours.all().delete()
        for shift_start, shift_end in shifts:
            nina.working_hours.create(weekday=0, start=shift_start.time(), end=shift_end.time())
        massage = make.service(
            "Massage",
            staff=[nina],
            duration_minutes=duration,
            buffer_before_minutes=before,
            buffer_after_minutes=after,
        )
        busy, cursor = [], make.local(MONDAY, "06:00")
        for gap, length in gaps:  # one after another, as the no-overlap guard demands
            cursor += gap
            busy.append((cursor, cursor + timedelta(minutes=length)))
            Session.objects.create(
                service=massage,
                staff=nina,
                start=cursor,
                end=busy[-1][1],
                blocked_start=cursor,
                blocked_end=busy[-1][1],
            )
            cursor = busy[-1][1]
        for offset, length in days_off:
            busy.append(
                (
                    make.local(MONDAY, "06:00") + offset,
                    make.local(MONDAY, "06:00") + offset + timedelta(minutes=length),
                )
            )
            TimeOff.objects.create(staff=nina, start=busy[-1][0], end=busy[-1][1])

        slots = slots_on(MONDAY, massage, studio, now=now)
        transaction.set_rollback(True)

    expected = one_by_one(
        shifts,
        busy,
        duration=timedelta(minutes=duration),
        before=timedelta(minutes=before),
        after=timedelta(minutes=after),
        step=timedelta(minutes=step),
        earliest=now + timedelta(minutes=notice),
    )
    assert [slot.start for slot in slots] == expected


# --- Query count -------------------------------------------------------------------------------


@pytest.mark.parametrize("staff_count", [1, 50])
def test_it_loads_a_month_with_the_same_queries_for_one_or_fifty_staff(
    studio, staff_count, django_assert_num_queries
):
    team = [make.staff_member(f"Staff {n}") for n in range(staff_count)]
    massage = make.service("Massage", staff=team, buffer_after_minutes=15)
    for n, member in enumerate(team):
        make.session(massage, member, make.local(MONDAY + timedelta(days=n % 28), "10:00"))
        DateOverride.objects.create(staff=member, date=SATURDAY, start=time(10), end=time(12))
        TimeOff.objects.create(
            staff=member, start=make.local(WEDNESDAY, "12:00"), end=make.local(WEDNESDAY, "14:00")
        )

    # business, staff, working hours, date overrides, time off, sessions
    with django_assert_num_queries(6):
        slots = free_slots(service=massage, start_date=MONDAY, end_date=MONDAY + timedelta(days=29), now=NOW)

    assert len({slot.staff_id for slot in slots}) == staff_count
