"""In Chromium, on a phone: a client books a class paid online, pays on the test provider's page
and is booked; a declined payment says so. English and Hebrew, with axe on the payment pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, PaymentPolicy, PaymentRefund, ServiceKind, Session
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.payments import release_expired_holds
from tests import factories as make
from tests.support.browser import PHONE, screenshot, serious_violations


@pytest.fixture
def pilates(transactional_db):
    make.business(currency="EUR")
    nina = make.staff_member("Nina")
    service = make.service(
        "Pilates",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=8,
        price=Decimal("20.00"),
        payment_policy=PaymentPolicy.FULL,
    )
    start = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    return make.session(service, nina, start)


def _book(page, live_server, session, email: str) -> None:
    page.goto(live_server.url + reverse("public:book_session", args=[session.service.slug, session.pk]))
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_email", email)
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".payment--test")


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_client_pays_a_class_on_the_test_page_and_is_booked(live_server, page_for, pilates, language):
    page = page_for(viewport=PHONE, language=language)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    _book(page, live_server, pilates, "alice@client.test")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".test-payment__badge").is_visible()
    assert not serious_violations(page)
    screenshot(page, f"payments/test-page-{language}")
    page.click("button[value=pay]")
    page.wait_for_selector(".confirmation")
    assert page.locator(".payments-record").is_visible()
    assert not serious_violations(page)
    screenshot(page, f"payments/confirmation-{language}")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and booking.paid_at is not None


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_declined_payment_says_so_and_keeps_the_place_for_another_try(
    live_server, page_for, pilates, language
):
    page = page_for(viewport=PHONE, language=language)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    _book(page, live_server, pilates, "bob@client.test")
    page.click("button[value=decline]")
    page.wait_for_selector("#payment-title")
    alert = page.locator("[role=alert]").first.inner_text()
    assert ("No money was taken" in alert) if language == "en" else ("לא נגבה כסף" in alert)
    assert not serious_violations(page)
    screenshot(page, f"payments/declined-{language}")
    page.click("form button[type=submit].button--primary")
    page.wait_for_selector(".payment--test")
    page.click("button[value=pay]")
    page.wait_for_selector(".confirmation")
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_client_who_abandons_is_told_nothing_is_booked_and_comes_back_to_pay(
    live_server, page_for, pilates, language
):
    page = page_for(viewport=PHONE, language=language)
    _book(page, live_server, pilates, "carla@client.test")
    page.click("button[value=abandon]")
    page.wait_for_selector(".confirmation__mark--closed")
    assert not serious_violations(page)
    screenshot(page, f"payments/abandoned-{language}")
    abandoned = Booking.objects.get()
    assert abandoned.status == BookingStatus.RELEASED
    pilates.refresh_from_db()
    assert pilates.seats_taken == 0

    page.click(".actions a.button--primary")  # "Choose another time": back to the service
    page.wait_for_load_state("networkidle")
    _book(page, live_server, pilates, "carla@client.test")
    page.click("button[value=pay]")
    page.wait_for_selector(".confirmation")
    again = Booking.objects.exclude(pk=abandoned.pk).get()
    assert again.status == BookingStatus.CONFIRMED and again.paid_at is not None
    pilates.refresh_from_db()
    assert pilates.seats_taken == 1


def _hold_runs_out() -> None:
    assert release_expired_holds(now=timezone.now() + timedelta(hours=1)) == 1


def test_a_payment_after_the_hold_ran_out_still_books_a_place_that_is_free(live_server, page_for, pilates):
    page = page_for(viewport=PHONE, language="en")
    _book(page, live_server, pilates, "dan@client.test")
    _hold_runs_out()
    page.click("button[value=pay]")
    page.wait_for_selector(".confirmation")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and booking.paid_at is not None
    pilates.refresh_from_db()
    assert pilates.seats_taken == 1


def test_a_payment_after_the_hold_ran_out_and_the_place_went_is_refunded_in_full(
    live_server, page_for, pilates
):
    Session.objects.filter(pk=pilates.pk).update(capacity=1)
    page = page_for(viewport=PHONE, language="en")
    _book(page, live_server, pilates, "erin@client.test")
    _hold_runs_out()
    taker = book_class_seat(session=pilates, details=ClientDetails(email="fay@client.test", first_name="Fay"))
    page.click("button[value=pay]")
    page.wait_for_selector("#payment-title")
    assert "arrived too late" in page.locator("#payment-title").inner_text()
    assert not serious_violations(page)
    screenshot(page, "payments/too-late-en")
    late = Booking.objects.exclude(pk=taker.pk).get()
    assert late.status == BookingStatus.RELEASED
    assert PaymentRefund.objects.filter(payment__booking=late, amount=Decimal("20.00")).count() == 1
    pilates.refresh_from_db()
    assert pilates.seats_taken == 1
