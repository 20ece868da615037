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


def test_times_are_in_the_business_zone_with_its_vtimezone(studio):
    ics = fetch(studio.business_feed)
    calendar = icalendar.Calendar.from_ical(ics)
    (zone,) = calendar.walk("VTIMEZONE")
    event = events(ics)[f"session-{studio.ninas_massage.session_id}@rendez"]

    assert str(zone["TZID"]) == "Asia/Jerusalem"
    assert event["DTSTART"].params["TZID"] == "Asia/Jerusalem"
    assert event.decoded("DTSTART") == studio.ninas_massage.session.start
    assert (
        event.decoded("DTSTART").utcoffset()
        == studio.ninas_massage.session.start.astimezone(JERUSALEM).utcoffset()
    )
    assert b"DTSTAMP:" in ics


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
