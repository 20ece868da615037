"""With Redis refusing, or accepting and never answering, no request fails and none waits long:
changes commit once and their work waits for the sweeps, /healthz names the broker at once.

What a request may wait for is counted, not timed: a hung Redis costs at most ``REDIS_TIMEOUT``
(0.5 s) per connection it holds, never a retry, and the cache and the broker each give up on it
after the first, so one request holds at most ``WAITS`` connections. A refusing Redis holds none.
The clock only backs this up (``BACKSTOP``), far above what a busy CI machine adds and far below
the retries with back-off and gunicorn's 30 s that requests used to wait for.
"""

import time
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client as Browser
from django.urls import reverse
from redis.exceptions import RedisError

from bookings_app.models import Booking, BookingStatus, EmailStatus, OutgoingEmail, ServiceKind
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.event_outbox import unprocessed
from loyalty.models import GiftCard, Program
from loyalty.services import issue_gift_card
from tests import factories as f
from tests.support.redis_outage import OUTAGES, SilentServer, redis_at, redis_outage

# hand-overs happen after a real commit; before the fix a hung Redis held a request for ever
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(30)]

WAITS = 2  # the cache's first connection and the broker's, each at most REDIS_TIMEOUT
BACKSTOP = 6.0  # seconds
MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture(params=list(OUTAGES))
def outage(request) -> str:
    return request.param


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


@pytest.fixture
def studio(db):
    """Studio Lumen: Nina works weekdays; a massage and a 20 EUR yoga class on Monday."""
    f.business(name="Studio Lumen", currency="EUR")
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10, price=Decimal("20.00"))
    return {"nina": nina, "massage": massage, "yoga_session": f.session(yoga, nina, f.local(MONDAY, "18:00"))}


def alice_form(**fields) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Durand",
        "email": "alice@client.test",
        "request_key": "a" * 32,
        **fields,
    }


def test_it_books_once_and_answers_at_once(client, studio, outage):
    url = (
        reverse("public:book", args=[studio["massage"].slug])
        + "?"
        + urlencode({"start": f.local(MONDAY, "10:00").isoformat()})
    )

    with redis_outage(outage) as waits:
        response, took = timed(client.post, url, alice_form())

    assert response.status_code == 303, response.content.decode()[:500]
    assert took < BACKSTOP, f"the booking answered after {took:.2f} s"
    assert waits() <= WAITS, waits()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    # what the workers should have done waits, committed, for the sweeps
    assert OutgoingEmail.objects.get(booking=booking, kind="confirmation").status == EmailStatus.QUEUED
    assert unprocessed("automations").filter(event__booking=booking).count() == 1


def test_the_owner_cancels_and_the_answer_comes_at_once(client, olivia, studio, outage):
    booking = book_appointment(
        service=studio["massage"],
        start=f.local(MONDAY, "10:00"),
        details=ClientDetails(email="alice@client.test", first_name="Alice"),
    )
    client.force_login(olivia)

    with redis_outage(outage) as waits:
        response, took = timed(
            client.post, f"/dashboard/bookings/{booking.pk}/cancel/", headers={"HX-Request": "true"}
        )

    assert response.status_code == 200
    assert took < BACKSTOP, f"the cancel answered after {took:.2f} s"
    assert waits() <= WAITS, waits()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_healthz_answers_503_naming_the_broker_at_once(client, db, outage):
    with redis_outage(outage) as waits:
        response, took = timed(client.get, "/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "broker": "down"}
    assert took < BACKSTOP, f"/healthz answered after {took:.2f} s"
    assert waits() <= WAITS, waits()


def test_it_pays_a_seat_with_a_gift_card_and_answers_at_once(client, olivia, studio, outage):
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    card = issue_gift_card(value=Decimal("25.00"), by=olivia)
    session = studio["yoga_session"]

    with redis_outage(outage) as waits:
        response, took = timed(
            client.post,
            reverse("public:book_session", args=[session.service.slug, session.pk]),
            alice_form(gift_card_code=card.display_code),
        )

    assert response.status_code == 303, response.content.decode()[:500]
    assert took < BACKSTOP, f"the checkout answered after {took:.2f} s"
    assert waits() <= WAITS, waits()
    card.refresh_from_db()
    assert Booking.objects.get().prepaid_amount == Decimal("20.00")
    assert GiftCard.objects.get().remaining_value == Decimal("5.00")


def test_the_team_signs_in_and_the_answer_comes_at_once(olivia, outage):
    """Her own browser is let in; a browser never seen is told to wait (nothing counts guesses)."""
    her_laptop, stranger = Browser(), Browser()
    her_laptop.post("/dashboard/login/", {"username": olivia.email, "password": "s3cret-pass!"})
    her_laptop.cookies.pop(settings.SESSION_COOKIE_NAME)

    with redis_outage(outage) as waits:
        response, took = timed(
            her_laptop.post, "/dashboard/login/", {"username": olivia.email, "password": "s3cret-pass!"}
        )
        refused, refused_took = timed(
            stranger.post, "/dashboard/login/", {"username": olivia.email, "password": "s3cret-pass!"}
        )

    assert response.status_code == 302, response.content.decode()[:500]
    assert took < BACKSTOP, f"the sign-in answered after {took:.2f} s"
    assert waits() <= WAITS, waits()
    assert her_laptop.get(response["Location"]).wsgi_request.user == olivia
    assert refused.status_code == 503
    assert refused_took < BACKSTOP, f"the refusal came after {refused_took:.2f} s"
    assert waits() <= WAITS, waits()


def test_a_client_asks_for_a_sign_in_code_and_the_answer_comes_at_once(studio, outage, mailoutbox):
    """The request cannot be counted, so no code is sent; the client is told so at once."""
    book_appointment(
        service=studio["massage"],
        start=f.local(MONDAY, "10:00"),
        details=ClientDetails(email="alice@client.test", first_name="Alice"),
    )
    mailoutbox.clear()
    browser = Browser()

    with redis_outage(outage) as waits:
        response, took = timed(browser.post, "/account/login/code/", {"email": "alice@client.test"})

    assert response.status_code == 503
    assert took < BACKSTOP, f"the code request answered after {took:.2f} s"
    assert waits() <= WAITS, waits()
    assert mailoutbox == []


def test_a_hung_broker_holds_only_the_first_hand_over_for_a_while(client, studio):
    silent = SilentServer()
    url = reverse("public:book", args=[studio["massage"].slug]) + "?"
    try:
        with redis_at(silent.url):
            client.post(url + urlencode({"start": f.local(MONDAY, "10:00").isoformat()}), alice_form())
            tried = len(silent.accepted)
            client.post(
                url + urlencode({"start": f.local(MONDAY, "14:00").isoformat()}),
                alice_form(request_key="b" * 32, email="bob@client.test", first_name="Bob"),
            )
    finally:
        silent.close()

    assert Booking.objects.count() == 2
    assert tried >= 1 and len(silent.accepted) == tried  # the second booking did not even try


def test_a_hung_cache_holds_only_the_first_call_for_a_while(db):
    silent = SilentServer()
    try:
        with redis_at(silent.url):
            with pytest.raises(RedisError):
                caches["default"].get("sign-in-failures")
            tried = len(silent.accepted)
            with pytest.raises(RedisError):
                caches["default"].incr("sign-in-failures")
    finally:
        silent.close()

    assert tried == 1 and len(silent.accepted) == 1  # the second call did not even try
