"""Each feed is valid iCalendar for two independent parsers (icalendar and vobject), holds what
its owner may see and nothing else, and keeps its events' identities from fetch to fetch."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.test import Client as Browser
from django.urls import reverse

from bookings_app.models import Business, Session
from bookings_app.services.calendar_feeds import set_feed_privacy
from bookings_app.services.changes import cancel_booking, reschedule_appointment


def feed_url(feed) -> str:
    return reverse("public:calendar_feed", args=[feed.token])


JERUSALEM = ZoneInfo("Asia/Jerusalem")


def fetch(feed) -> bytes:
    response = Browser().get(feed_url(feed))
    assert response.status_code == 200
    return response.content


def events(ics: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by UID, after checking a second parser reads the same events."""
    calendar = icalendar.Calendar.from_ical(ics)
    parsed = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    other = vobject.readOne(ics.decode("utf-8"))
    others = {event.uid.value: event for event in other.contents.get("vevent", [])}
    assert set(others) == set(parsed)
    for uid, event in others.items():
        assert event.dtstart.value == parsed[uid].decoded("DTSTART")
        assert event.dtstamp.value is not None
        assert int(event.sequence.value) == int(parsed[uid]["SEQUENCE"])
    return parsed


def test_the_business_feed_is_valid_icalendar_with_every_session_of_the_window(studio):
    ics = fetch(studio.business_feed)
    calendar = icalendar.Calendar.from_ical(ics)
    found = events(ics)

    assert str(calendar["VERSION"]) == "2.0"
    assert "Rendez" in str(calendar["PRODID"])
    assert found.keys() == {
        f"session-{studio.ninas_massage.session_id}@rendez",
        f"session-{studio.omars_massage.session_id}@rendez",
    }  # the session 42 days ago is out of the window
    assert "Alice Martin" in str(found[f"session-{studio.ninas_massage.session_id}@rendez"]["DESCRIPTION"])
    assert "lavender" in str(found[f"session-{studio.ninas_massage.session_id}@rendez"]["DESCRIPTION"])


def test_times_are_in_utc_and_the_business_zone_is_named(studio):
    ics = fetch(studio.business_feed)
    calendar = icalendar.Calendar.from_ical(ics)
    event = events(ics)[f"session-{studio.ninas_massage.session_id}@rendez"]

    assert calendar.walk("VTIMEZONE") == []
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Jerusalem"
    lines = event.to_ical().decode().split("\r\n")
    assert [line[-1] for line in lines if line.startswith(("DTSTART", "DTEND"))] == ["Z", "Z"]
    assert event.decoded("DTSTART") == studio.ninas_massage.session.start
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert b"DTSTAMP:" in ics


@pytest.mark.parametrize("months_ahead", [1, 4, 7, 10])
def test_every_season_reads_the_same_in_both_parsers(studio, months_ahead):
    """Summer time included whatever the day the tests run: a zone's VTIMEZONE written as RDATEs
    was read an hour off in summer by vobject (and by Outlook's desktop app)."""
    start = (studio.ninas_massage.session.start + timedelta(days=30 * months_ahead)).astimezone(JERUSALEM)
    start = start.replace(hour=10, minute=0)
    session = Session.objects.create(
        service=studio.ninas_massage.session.service,
        staff=studio.ninas_massage.session.staff,
        start=start,
        end=start + timedelta(hours=1),
        blocked_start=start,
        blocked_end=start + timedelta(hours=1),
        capacity=1,
    )

    event = events(fetch(studio.business_feed))[f"session-{session.pk}@rendez"]

    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").astimezone(JERUSALEM).hour == 10


def test_uids_and_sequences_are_the_same_across_two_fetches(studio):
    for feed in (studio.business_feed, studio.ninas_feed, studio.alices_feed):
        first, second = events(fetch(feed)), events(fetch(feed))

        assert first.keys() == second.keys()
        assert {uid: int(e["SEQUENCE"]) for uid, e in first.items()} == {
            uid: int(e["SEQUENCE"]) for uid, e in second.items()
        }


def test_sequence_grows_after_a_reschedule_in_every_feed(studio, handed_over):
    session_uid = f"session-{studio.ninas_massage.session_id}@rendez"
    booking_uid = f"booking-{studio.ninas_massage.code}@rendez"
    before_team = int(events(fetch(studio.ninas_feed))[session_uid]["SEQUENCE"])
    before_client = int(events(fetch(studio.alices_feed))[booking_uid]["SEQUENCE"])

    new_start = studio.ninas_massage.session.start + timedelta(hours=3)
    reschedule_appointment(booking=studio.ninas_massage, start=new_start, by_client=False, notify=False)

    team, client = (
        events(fetch(studio.ninas_feed))[session_uid],
        events(fetch(studio.alices_feed))[booking_uid],
    )
    assert int(team["SEQUENCE"]) > before_team
    assert int(client["SEQUENCE"]) > before_client
    assert team.decoded("DTSTART") == client.decoded("DTSTART") == new_start


def test_a_cancelled_booking_stays_in_the_feeds_as_cancelled(studio, handed_over):
    cancel_booking(booking=studio.ninas_massage, by_client=False)

    team = events(fetch(studio.ninas_feed))[f"session-{studio.ninas_massage.session_id}@rendez"]
    client = events(fetch(studio.alices_feed))[f"booking-{studio.ninas_massage.code}@rendez"]
    assert str(team["STATUS"]) == str(client["STATUS"]) == "CANCELLED"
    assert int(team["SEQUENCE"]) == int(client["SEQUENCE"]) == 1
    assert Session.objects.get(pk=studio.ninas_massage.session_id).status == "cancelled"


def test_a_staff_feed_holds_only_that_staff_members_sessions(studio):
    found = events(fetch(studio.ninas_feed))

    assert found.keys() == {f"session-{studio.ninas_massage.session_id}@rendez"}
    assert b"Bob" not in fetch(studio.ninas_feed)


def test_staff_feeds_show_client_names_but_not_notes_by_default(studio):
    (event,) = events(fetch(studio.ninas_feed)).values()

    assert "Alice Martin" in str(event["SUMMARY"])
    assert "lavender" not in str(event["DESCRIPTION"])


def test_the_owner_hides_client_names_and_shows_notes_in_staff_feeds(studio):
    set_feed_privacy(business=Business.current(), client_names=False, private_notes=True)
    ics = fetch(studio.ninas_feed)
    (event,) = events(ics).values()

    assert b"Alice" not in ics and b"Martin" not in ics
    assert str(event["SUMMARY"]) == "Massage"
    assert "lavender" in str(event["DESCRIPTION"])


def test_a_client_feed_holds_their_bookings_and_never_another_clients(studio):
    alices, bobs = fetch(studio.alices_feed), fetch(studio.bobs_feed)

    assert events(alices).keys() == {f"booking-{studio.ninas_massage.code}@rendez"}
    assert events(bobs).keys() == {f"booking-{studio.omars_massage.code}@rendez"}
    for secret in (b"Bob", b"Levi", b"Omar", studio.omars_massage.code.encode()):
        assert secret not in alices
    for secret in (b"Alice", b"lavender", studio.ninas_massage.code.encode()):
        assert secret not in bobs


@pytest.mark.parametrize("language, word", [("fr", "avec"), ("he", "עם")])
def test_a_client_feed_speaks_the_clients_language(studio, language, word):
    studio.alice.language = language
    studio.alice.save(update_fields=["language"])

    (event,) = events(fetch(studio.alices_feed)).values()
    assert word in str(event["DESCRIPTION"])
