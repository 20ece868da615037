"""On her phone, Carol joins the waitlist of a full yoga class; Bob cancels; Carol opens the offer
link from the e-mail in the outbox, takes the seat and is booked. In English and in Hebrew, with
axe-core on each page she sees; the team sees the line in the calendar's session panel."""

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, OutgoingEmail, ServiceKind, WaitlistEntry
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.changes import cancel_booking
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f
from tests.support.browser import DESKTOP, PHONE, screenshot, serious_violations, signed_in_page

SHOTS = Path("/tmp/shots-waitlist")
JOIN = {"en": "Join the waitlist", "he": "הצטרפות לרשימת ההמתנה"}
PLACE = {"en": "Your place in line: 1", "he": "המקום שלך בתור: 1"}
TAKE = {"en": "Take the seat", "he": "לתפוס את המקום"}
BOOKED = {"en": "You're booked", "he": None}


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def full_yoga():
    f.business()
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=1, price=0, waitlist_enabled=True)
    session = f.session(yoga, nina, timezone.now() + timedelta(days=3))
    book_class_seat(session=session, details=ClientDetails(email="bob@client.test", first_name="Bob"))
    return session


@pytest.mark.parametrize("language", ["en", "he"])
def test_carol_joins_the_line_gets_the_offer_and_takes_the_seat(live_server, page_for, full_yoga, language):
    page = page_for(viewport=PHONE, language=language)
    page.goto(live_server.url + full_yoga.service.get_absolute_url())
    _shot(page, f"waitlist-service-full-{language}")
    page.get_by_role("link", name=JOIN[language]).click()

    page.fill("input[name=first_name]", "Carol")
    page.fill("input[name=last_name]", "Stone")
    page.fill("input[name=email]", "carol@client.test")
    assert serious_violations(page) == []
    _shot(page, f"waitlist-join-{language}")
    page.get_by_role("button", name=JOIN[language]).click()

    page.wait_for_url(re.compile(r"/waitlist/"))
    assert PLACE[language] in page.locator(".waitlist-place").inner_text()
    assert serious_violations(page) == []
    _shot(page, f"waitlist-place-in-line-{language}")

    cancel_booking(booking=Booking.objects.get(client__email="bob@client.test"), by_client=True)
    offer = OutgoingEmail.objects.get(kind="waitlist_offer", to="carol@client.test")
    assert offer.language == language
    path = re.search(r"https?://[^/\s]+(/waitlist/\S+)", offer.body_text).group(1)

    page.goto(live_server.url + path)
    assert serious_violations(page) == []
    _shot(page, f"waitlist-offer-{language}")
    page.get_by_role("button", name=TAKE[language]).click()

    page.wait_for_url(re.compile(r"/booked/"))
    booking = Booking.objects.get(client__email="carol@client.test")
    assert booking.status == BookingStatus.CONFIRMED
    if BOOKED[language]:
        assert BOOKED[language] in page.locator("h1").inner_text()
    _shot(page, f"waitlist-booked-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_olivia_sees_the_line_in_the_session_panel(live_server, page_for, olivia, full_yoga, language):
    for n in (2, 3, 4):
        join_waitlist(session=full_yoga, details=f.racer(n))
    cancel_booking(booking=Booking.objects.get(client__email="bob@client.test"), by_client=True)
    page = signed_in_page(page_for, live_server, olivia, language, DESKTOP)

    page.goto(live_server.url + reverse("dashboard:calendar_session", args=[full_yoga.pk]))
    assert page.locator(".waitlist li").count() == 3
    assert serious_violations(page) == []
    _shot(page, f"waitlist-dashboard-panel-{language}")
    with page.expect_response(lambda response: "/waitlist/" in response.url and response.status == 200):
        page.locator(".waitlist li").nth(2).get_by_role("button").first.click()
    order = list(
        WaitlistEntry.objects.filter(session=full_yoga, status="waiting")
        .order_by("position")
        .values_list("client__email", flat=True)
    )
    assert order == [f.racer(4).email, f.racer(3).email]


@pytest.mark.parametrize("language", ["en", "he"])
def test_sam_gives_a_no_shows_seat_to_the_client_waiting_at_the_door(live_server, page_for, sam, language):
    from bookings_app.models import Attendance
    from bookings_app.services.changes import record_attendance

    f.business()
    member = f.staff_member("Sam")
    member.user = sam
    member.save()
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[member], capacity=1, waitlist_enabled=True)
    session = f.session(yoga, member, f.later_today(minutes=30))
    booked = book_class_seat(session=session, details=f.racer(1), source="dashboard")
    join_waitlist(session=session, details=f.racer(2))
    record_attendance(booking=booked, attendance=Attendance.NO_SHOW, by=sam)
    from tests.support.browser import TABLET

    page = signed_in_page(page_for, live_server, sam, language, TABLET)
    page.goto(live_server.url + reverse("staff:today"))
    assert serious_violations(page) == []
    _shot(page, f"waitlist-tablet-{language}")
    page.locator(".tablet-waitlist button").click()
    page.wait_for_selector(".tablet-waitlist", state="detached")

    assert Booking.objects.get(client__email=f.racer(2).email).attendance == Attendance.CHECKED_IN
    _shot(page, f"waitlist-tablet-seated-{language}")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owners_settings_and_the_clients_places_in_line(
    live_server, page_for, olivia, carla, full_yoga, language
):
    from bookings_app.models import Client

    owner = signed_in_page(page_for, live_server, olivia, language, DESKTOP)
    owner.goto(live_server.url + reverse("dashboard:service", args=[full_yoga.service.pk]) + "?tab=details")
    assert owner.locator("input[name=waitlist_enabled]").is_checked()
    assert serious_violations(owner) == []
    _shot(owner, f"waitlist-service-settings-{language}")

    Client.objects.create(first_name="Carla", email=carla.email, user=carla)
    join_waitlist(session=full_yoga, details=ClientDetails(email=carla.email, first_name="Carla"))
    phone = signed_in_page(page_for, live_server, carla, language, PHONE)
    phone.goto(live_server.url + reverse("my_bookings"))
    assert phone.locator("#waitlist-heading").count() == 1
    assert serious_violations(phone) == []
    _shot(phone, f"waitlist-my-bookings-{language}")
