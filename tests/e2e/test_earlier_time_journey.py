"""On his phone, Bob asks to be told if an earlier massage opens; Alice cancels; Bob opens the link
from the e-mail in the outbox and moves to her time. Dora comes too late for a time someone else
booked. In English and in Hebrew, with axe-core on each page they see."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, OutgoingEmail
from bookings_app.services.bookings import book_appointment
from bookings_app.services.changes import cancel_booking
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.earlier_time_moves import ask_for_earlier_time
from bookings_app.web.links import manage_token
from tests import factories as f
from tests.support.browser import PHONE, screenshot, serious_violations

SHOTS = Path("/tmp/shots-earlier-time")
ASK = {"en": "Tell me if an earlier time opens", "he": "לעדכן אותי אם יתפנה מועד מוקדם יותר"}
STOP = {"en": "Stop telling me", "he": "להפסיק לעדכן אותי"}
MOVE = {"en": "Move to this time", "he": "לעבור למועד הזה"}
TAKEN = {"en": "taken by someone else", "he": "נתפס על ידי מישהו אחר"}


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def busy_monday():
    """Nina's massages: Alice at 10:00, Bob at 15:00."""
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    monday = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))

    def book(first_name: str, at: str, language: str = "en") -> Booking:
        details = ClientDetails(
            email=f"{first_name.lower()}@client.test", first_name=first_name, language=language
        )
        return book_appointment(service=massage, start=f.local(monday, at), details=details)

    return book


def _link_in_mail(to: str) -> str:
    mail = OutgoingEmail.objects.get(kind="earlier_time", to=to)
    return re.search(r"https?://[^/\s]+(/earlier/\S+)", mail.body_text).group(1)


@pytest.mark.parametrize("language", ["en", "he"])
def test_bob_asks_for_an_earlier_time_and_moves_to_the_one_alice_freed(
    live_server, page_for, busy_monday, language
):
    alice = busy_monday("Alice", "10:00")
    bob = busy_monday("Bob", "15:00", language)
    page = page_for(viewport=PHONE, language=language)

    page.goto(live_server.url + reverse("public:confirmation", args=[manage_token(bob)]))
    page.get_by_role("button", name=ASK[language]).click()
    page.wait_for_url(re.compile(r"/booked/"))
    assert page.get_by_role("button", name=STOP[language]).is_visible()
    assert serious_violations(page) == []
    _shot(page, f"earlier-asked-{language}")

    cancel_booking(booking=alice, by_client=True)
    page.goto(live_server.url + _link_in_mail("bob@client.test"))
    assert serious_violations(page) == []
    _shot(page, f"earlier-offer-{language}")
    page.get_by_role("button", name=MOVE[language]).click()

    page.wait_for_url(re.compile(r"/manage/"))
    bob.refresh_from_db()
    assert bob.session.start == alice.session.start
    assert page.get_by_role("status").first.is_visible()
    assert serious_violations(page) == []
    _shot(page, f"earlier-moved-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_dora_is_told_the_time_was_taken_when_someone_booked_it_first(
    live_server, page_for, busy_monday, language
):
    alice = busy_monday("Alice", "10:00")
    dora = busy_monday("Dora", "15:00", language)
    ask_for_earlier_time(booking=dora)
    cancel_booking(booking=alice, by_client=True)
    busy_monday("Eve", "10:00")
    page = page_for(viewport=PHONE, language=language)

    page.goto(live_server.url + _link_in_mail("dora@client.test"))
    page.get_by_role("button", name=MOVE[language]).click()

    assert TAKEN[language] in page.get_by_role("alert").inner_text()
    assert page.get_by_role("button", name=MOVE[language]).count() == 0
    assert serious_violations(page) == []
    _shot(page, f"earlier-taken-{language}")
