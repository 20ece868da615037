"""In Chromium: a client books a yoga class with a discount code on a phone (a wrong code first),
a pilates class paid online with one; the owner creates a code on a tablet. English and Hebrew,
axe on every page, screenshots under var/screenshots/discounts/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, DiscountCode, DiscountKind, PaymentPolicy, ServiceKind
from bookings_app.services.discounts import create_discount_code
from tests import factories as make
from tests.support.browser import PHONE, TABLET, screenshot, serious_violations, signed_in_page


@pytest.fixture
def studio(transactional_db):
    make.business(currency="EUR")
    nina = make.staff_member("Nina")
    start = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    yoga = make.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=8, price=Decimal("20.00"))
    pilates = make.service(
        "Pilates",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=8,
        price=Decimal("40.00"),
        payment_policy=PaymentPolicy.FULL,
    )
    create_discount_code(code="WELCOME10", kind=DiscountKind.PERCENT, percent=Decimal("10"), max_uses=100)
    return make.session(yoga, nina, start), make.session(pilates, nina, start + timedelta(hours=2))


def _fill(page, live_server, session, code: str) -> None:
    page.goto(live_server.url + reverse("public:book_session", args=[session.service.slug, session.pk]))
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_email", "alice@client.test")
    page.fill("#id_discount_code", code)


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_client_books_with_a_code_after_a_wrong_one(live_server, page_for, studio, language):
    yoga_session, _ = studio
    page = page_for(viewport=PHONE, language=language)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")

    _fill(page, live_server, yoga_session, "WELCOME11")
    page.click("button[type=submit].button--primary")
    error = page.locator("#id_discount_code_error")
    assert error.is_visible()
    assert ("does not exist" in error.inner_text()) if language == "en" else ("לא קיים" in error.inner_text())
    assert not serious_violations(page)
    screenshot(page, f"discounts/wrong-code-{language}")
    assert not Booking.objects.exists()

    page.fill("#id_discount_code", "welcome10")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".confirmation")
    assert "WELCOME10" in page.inner_text("main") and "2.00" in page.inner_text("main")
    assert not serious_violations(page)
    screenshot(page, f"discounts/confirmation-{language}")
    booking = Booking.objects.get()
    assert booking.price == Decimal("18.00") and booking.discount.code == "WELCOME10"


def test_a_client_pays_online_the_discounted_price(live_server, page_for, studio):
    _, pilates_session = studio
    page = page_for(viewport=PHONE, language="en")
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    _fill(page, live_server, pilates_session, "Welcome10")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".payment--test")
    assert "36.00" in page.inner_text("main")
    page.click("button[value=pay]")
    page.wait_for_selector(".confirmation")
    screenshot(page, "discounts/paid-online-en")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and booking.payments.get().amount == Decimal("36.00")


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_creates_a_code_for_yoga(live_server, page_for, studio, olivia, language):
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(live_server.url + reverse("dashboard:discount_codes"))
    assert page.locator(".catalog-table").is_visible() and "WELCOME10" in page.inner_text("main")
    assert not serious_violations(page)
    screenshot(page, f"discounts/owner-list-{language}")

    page.goto(live_server.url + reverse("dashboard:discount_code_new"))
    page.fill("#id_code", "yoga5")
    page.check("input[name=kind][value=amount]")
    page.fill("#id_amount", "-5")
    page.check("input[name=services] >> nth=1")
    page.click("button[type=submit].button--primary")
    assert page.locator(".field-error").first.is_visible()
    assert not serious_violations(page)
    screenshot(page, f"discounts/owner-form-error-{language}")

    page.fill("#id_amount", "5")
    page.fill("#id_max_uses", "20")
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{live_server.url}{reverse('dashboard:discount_codes')}")
    assert "YOGA5" in page.inner_text("main")
    screenshot(page, f"discounts/owner-created-{language}")
    saved = DiscountCode.objects.get(code="YOGA5")
    assert (saved.amount, saved.currency, saved.max_uses) == (Decimal("5.00"), "EUR", 20)
    assert [s.name for s in saved.services.all()] == ["Yoga"]
