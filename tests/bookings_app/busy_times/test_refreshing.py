"""Refreshing an outside calendar from a loopback server: busy times replaced on success, kept
on every kind of failure (too big, hanging, 500), kept on a 304; the errors recorded."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings_app.models import BusyTime, OutsideCalendar
from bookings_app.services.busy_times import queue_all_refreshes, refresh_outside_calendar
from tests.support.calendar_server import NOW, ics

FIVE_MB = b"BEGIN:VCALENDAR\r\n" + b"X-FILLER:" + b"x" * (5 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"


def spans(calendar: OutsideCalendar) -> list[tuple[datetime, datetime]]:
    rows = BusyTime.objects.filter(calendar=calendar).order_by("start")
    return [(row.start.astimezone(UTC), row.end.astimezone(UTC)) for row in rows]


def a_calendar(nina, url: str) -> OutsideCalendar:
    return OutsideCalendar.objects.create(staff=nina, name="Work", url=url)


def test_a_fetch_stores_the_busy_times_of_the_booking_window(nina, calendar_server):
    calendar = a_calendar(nina, calendar_server.serve("/work.ics", ics("work"), etag='"v1"'))

    assert refresh_outside_calendar(calendar_id=calendar.pk, now=NOW) == "saved"

    calendar.refresh_from_db()
    assert calendar.last_success_at == NOW and calendar.etag == '"v1"' and calendar.last_error == ""
    # today (from midnight in Paris) to the 60-day window and a day: the six busy spans of work.ics
    assert len(spans(calendar)) == 6
    assert set(BusyTime.objects.values_list("staff_id", flat=True)) == {nina.pk}


def test_the_fetch_names_itself_and_asks_for_the_path_given(nina, calendar_server):
    url = calendar_server.serve("/work.ics", ics("work"))
    calendar = a_calendar(nina, url)

    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)

    assert calendar_server.requests[0][0] == "/work.ics"
    assert calendar_server.requests[0][1]["User-Agent"] == "Rendez busy times reader"


def test_a_304_keeps_the_busy_times_and_counts_as_a_success(nina, calendar_server):
    calendar = a_calendar(nina, calendar_server.serve("/work.ics", ics("work"), etag='"v1"'))
    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)
    before = spans(calendar)

    later = NOW + timedelta(minutes=15)
    assert refresh_outside_calendar(calendar_id=calendar.pk, now=later) == "not modified"

    assert calendar_server.requests[1][1]["If-None-Match"] == '"v1"'
    calendar.refresh_from_db()
    assert calendar.last_success_at == later and spans(calendar) == before


def test_once_the_window_has_moved_a_day_the_whole_file_is_asked_for_again(nina, calendar_server):
    calendar = a_calendar(nina, calendar_server.serve("/work.ics", ics("work"), etag='"v1"'))
    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)

    assert refresh_outside_calendar(calendar_id=calendar.pk, now=NOW + timedelta(days=2)) == "saved"

    assert "If-None-Match" not in calendar_server.requests[1][1]
    assert len(spans(calendar)) == 4  # Monday the 1st and Tuesday's offsite have passed


def test_a_changed_file_replaces_the_busy_times_all_together(nina, calendar_server):
    calendar = a_calendar(nina, calendar_server.serve("/cal.ics", ics("work"), etag='"v1"'))
    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)
    calendar_server.serve("/cal.ics", ics("google_x_wr_timezone"), etag='"v2"')

    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW + timedelta(minutes=15))

    assert spans(calendar) == [
        (datetime(2027, 3, 3, 8, tzinfo=UTC), datetime(2027, 3, 3, 8, 30, tzinfo=UTC)),
        (datetime(2027, 3, 3, 13, tzinfo=UTC), datetime(2027, 3, 3, 14, tzinfo=UTC)),
    ]


@pytest.mark.parametrize(
    ("make_failure", "code", "shown"),
    [
        (lambda server: server.serve("/big.ics", FIVE_MB), "too_big:2.0", "larger than 2.0 MB"),
        (
            lambda server: server.serve("/big.ics", FIVE_MB, streamed=True),
            "too_big:2.0",
            "larger than 2.0 MB",
        ),
        (lambda server: server.hang("/slow.ics"), "timeout", "did not answer in time"),
        (lambda server: server.fail("/broken.ics", 500), "status:500", "answered with error 500"),
        (lambda server: server.fail("/gone.ics", 404), "status:404", "answered with error 404"),
        (lambda server: server.serve("/page.ics", b"<html>Sign in</html>"), "not_calendar", "not a calendar"),
    ],
)
def test_a_failing_fetch_records_why_and_keeps_the_last_good_copy(
    nina, calendar_server, make_failure, code, shown
):
    calendar = a_calendar(nina, calendar_server.serve("/work.ics", ics("work")))
    refresh_outside_calendar(calendar_id=calendar.pk, now=NOW)
    good = spans(calendar)
    OutsideCalendar.objects.filter(pk=calendar.pk).update(url=make_failure(calendar_server))

    later = NOW + timedelta(minutes=15)
    assert refresh_outside_calendar(calendar_id=calendar.pk, now=later) == "failed"

    calendar.refresh_from_db()
    assert (calendar.last_error, calendar.last_error_at, calendar.last_success_at) == (code, later, NOW)
    assert calendar.is_failing and shown in calendar.error_message
    assert spans(calendar) == good and len(good) == 6


def test_a_server_that_is_not_there_is_an_error_too(nina, calendar_server):
    calendar = a_calendar(nina, "http://127.0.0.1:9/cal.ics")  # the discard port: nobody listens

    assert refresh_outside_calendar(calendar_id=calendar.pk, now=NOW) == "failed"

    calendar.refresh_from_db()
    assert calendar.last_error == "unreachable" and calendar.last_success_at is None


def test_a_redirect_is_followed_and_checked_like_the_first_address(nina, calendar_server):
    calendar_server.serve("/work.ics", ics("work"))
    moved = a_calendar(nina, calendar_server.redirect("/old.ics", "/work.ics"))
    inside = a_calendar(nina, calendar_server.redirect("/in.ics", "http://10.0.0.7/cal.ics"))
    to_ftp = a_calendar(nina, calendar_server.redirect("/ftp.ics", "ftp://calendar.example/cal.ics"))
    loop = a_calendar(nina, calendar_server.redirect("/loop.ics", "/loop.ics"))

    outcomes = [refresh_outside_calendar(calendar_id=c.pk, now=NOW) for c in (moved, inside, to_ftp, loop)]

    assert outcomes == ["saved", "failed", "failed", "failed"]
    assert len(spans(moved)) == 6
    assert [OutsideCalendar.objects.get(pk=c.pk).last_error for c in (inside, to_ftp, loop)] == [
        "refused",
        "redirects",
        "redirects",
    ]
    assert [path for path, _headers in calendar_server.requests].count(
        "/loop.ics"
    ) == 4  # 3 redirects at most


def test_this_machine_is_refused_at_fetch_time_when_the_setting_forbids_it(nina, calendar_server, settings):
    calendar = a_calendar(nina, calendar_server.serve("/work.ics", ics("work")))
    settings.OUTSIDE_CALENDAR_ALLOW_LOOPBACK = False

    assert refresh_outside_calendar(calendar_id=calendar.pk, now=NOW) == "failed"

    calendar.refresh_from_db()
    assert calendar.last_error == "refused" and calendar_server.requests == []


def test_a_disabled_or_removed_calendar_is_not_fetched(nina, calendar_server):
    calendar = a_calendar(nina, calendar_server.serve("/work.ics", ics("work")))
    OutsideCalendar.objects.filter(pk=calendar.pk).update(is_enabled=False)

    assert refresh_outside_calendar(calendar_id=calendar.pk, now=NOW) == "gone"
    assert refresh_outside_calendar(calendar_id=calendar.pk + 1, now=NOW) == "gone"
    assert calendar_server.requests == []


def test_the_beat_hands_each_enabled_calendar_to_a_refresh(nina, handed_over):
    first, second, off = (a_calendar(nina, f"https://calendar.example/{n}.ics") for n in range(3))
    OutsideCalendar.objects.filter(pk=off.pk).update(is_enabled=False)

    assert queue_all_refreshes() == 2

    assert handed_over["bookings_app.tasks.refresh_outside_calendar"] == [first.pk, second.pk]
