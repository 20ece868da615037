"""Expanding a calendar file into busy spans: recurring events with moved and cancelled
occurrences, all-day events, daylight-saving changes, free and cancelled events, Google's
X-WR-TIMEZONE."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bookings_app.core.outside_calendars import FetchFailed, busy_spans
from tests.support.calendar_server import ics

PARIS = ZoneInfo("Europe/Paris")
SINCE, UNTIL = datetime(2027, 3, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_weekly_meeting_keeps_its_moved_occurrence_and_drops_the_cancelled_one():
    spans = busy_spans(ics("work"), since=SINCE, until=UNTIL, tz=PARIS)

    assert spans == [
        (utc(2027, 3, 1, 9), utc(2027, 3, 1, 10)),  # Monday stand-up, 10:00 Paris winter time
        (utc(2027, 3, 1, 23), utc(2027, 3, 2, 23)),  # the all-day offsite: Tuesday, midnight to midnight
        (utc(2027, 3, 9, 13), utc(2027, 3, 9, 14)),  # the 8th moved to Tuesday 14:00 (RECURRENCE-ID)
        # the 15th is cancelled (EXDATE); the transparent lunch and the cancelled event block nothing
        (utc(2027, 3, 22, 9), utc(2027, 3, 22, 10)),
        (utc(2027, 3, 29, 8), utc(2027, 3, 29, 9)),  # still 10:00 in Paris, now summer time
        (utc(2027, 4, 5, 8), utc(2027, 4, 5, 9)),
    ]


def test_events_across_the_daylight_saving_changes_keep_their_real_length():
    spans = busy_spans(ics("dst"), since=SINCE, until=UNTIL, tz=PARIS)

    assert spans == [
        (utc(2027, 3, 26, 7, 30), utc(2027, 3, 26, 8, 15)),  # daily yoga at 08:30 Paris, winter
        (utc(2027, 3, 27, 7, 30), utc(2027, 3, 27, 8, 15)),
        (utc(2027, 3, 27, 22), utc(2027, 3, 28, 2)),  # 23:00 → 04:00 wall clock is four hours in spring
        (utc(2027, 3, 28, 6, 30), utc(2027, 3, 28, 7, 15)),  # 08:30 summer time, the day of the change
        (utc(2027, 3, 29, 6, 30), utc(2027, 3, 29, 7, 15)),
        # autumn: the night shift (21:00–03:00 UTC, six hours) runs into the all-day Sunday the 31st,
        # a 25-hour day from 22:00 UTC the 30th to 23:00 UTC the 31st
        (utc(2027, 10, 30, 21), utc(2027, 10, 31, 23)),
    ]


def test_googles_x_wr_timezone_places_floating_times_in_the_calendars_zone():
    spans = busy_spans(ics("google_x_wr_timezone"), since=SINCE, until=UNTIL, tz=ZoneInfo("Asia/Tokyo"))

    assert spans == [(utc(2027, 3, 3, 8), utc(2027, 3, 3, 8, 30)), (utc(2027, 3, 3, 13), utc(2027, 3, 3, 14))]


def test_only_the_window_is_expanded():
    spans = busy_spans(ics("work"), since=utc(2027, 3, 20), until=utc(2027, 3, 30), tz=PARIS)

    assert spans == [(utc(2027, 3, 22, 9), utc(2027, 3, 22, 10)), (utc(2027, 3, 29, 8), utc(2027, 3, 29, 9))]


@pytest.mark.parametrize(
    "body", [b"", b"<html>Sign in</html>", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n"]
)
def test_a_file_that_is_not_a_calendar_fails_with_a_reason(body):
    with pytest.raises(FetchFailed) as failure:
        busy_spans(body, since=SINCE, until=UNTIL, tz=PARIS)

    assert failure.value.code == "not_calendar"


def test_an_event_repeating_every_minute_is_refused_not_expanded_for_ever(settings):
    settings.OUTSIDE_CALENDAR_MAX_OCCURRENCES = 2_000  # the default's 20,000 take seconds to read
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//EN\r\nBEGIN:VEVENT\r\nUID:flood@example.com\r\n"
        b"DTSTAMP:20270201T120000Z\r\nDTSTART:20270301T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    with pytest.raises(FetchFailed) as failure:
        busy_spans(body, since=SINCE, until=UNTIL, tz=PARIS)

    assert failure.value.code == "too_many:2000"
