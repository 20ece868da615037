"""In Chromium, on a phone: a client exchanges points for a gift card and pays part of a massage with it."""

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as DjangoClient
from django.urls import reverse

from bookings_app.models import Booking
from loyalty.models import GiftCard, GiftCardProduct, Program
from loyalty.selectors import balance_of
from loyalty.services import adjust_points
from tests import factories as make
from tests.factories import make_person
from tests.support.browser import PHONE, screenshot

MONDAY = make.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.fixture
def studio(transactional_db):
    """Alice has 150 points; a 25 EUR card costs 100; Nina gives 50 EUR massages."""
    cache.clear()
    make.business(currency="EUR")
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    nina = make.staff_member("Nina")
    massage = make.service("Massage", staff=[nina], price=Decimal("50.00"))
    GiftCardProduct.objects.create(name="Voucher 25", value=Decimal("25.00"), points_price=100)
    alice = make.client("Alice", last_name="Martin", email="alice@client.test", time_zone="Europe/Paris")
    alice.user = make_person(alice.email, "Alice", password=None)
    alice.save(update_fields=["user"])
    adjust_points(client=alice, points=150, description="Welcome bonus", by=None)
    return alice, massage


def signed_in_as(page, user, live_server) -> None:
    browser = DjangoClient()
    browser.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": browser.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_client_buys_a_gift_card_with_points_and_pays_part_of_a_massage(
    live_server, page_for, studio, language
):
    alice, massage = studio
    page = page_for(viewport=PHONE, language=language)
    signed_in_as(page, alice.user, live_server)
    page.goto(f"{live_server.url}/")  # the first visit reloads once to tell the server the phone's time zone
    page.wait_for_load_state("networkidle")

    page.goto(live_server.url + reverse("loyalty:my_points"))
    assert page.locator(".points-balance__value").inner_text() == "150"
    screenshot(page, f"h4/my-points-{language}")

    page.goto(live_server.url + reverse("loyalty:gift_cards"))
    page.click(".gift-product__form button[type=submit]")
    page.wait_for_selector(".gift-card__code")
    code = page.locator(".gift-card__code").first.inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    assert balance_of(alice) == 50
    screenshot(page, f"h4/gift-cards-{language}")

    start = make.local(MONDAY, "10:00")
    page.goto(
        live_server.url
        + reverse("public:book", args=[massage.slug])
        + "?"
        + urlencode({"start": start.isoformat()})
    )
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_email", alice.email)
    page.fill("#id_gift_card_code", code.lower())
    screenshot(page, f"h4/checkout-with-code-{language}")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".confirmation")
    screenshot(page, f"h4/checkout-confirmation-{language}")

    booking = Booking.objects.get(client=alice)
    assert booking.prepaid_amount == Decimal("25.00") and booking.due_in_person == Decimal("25.00")
    assert GiftCard.objects.get(owner=alice).remaining_value == 0


def test_a_wrong_code_shows_its_message_next_to_the_field(live_server, page_for, studio):
    alice, massage = studio
    page = page_for(viewport=PHONE, language="en")
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    start = make.local(MONDAY, "11:00")
    page.goto(
        live_server.url
        + reverse("public:book", args=[massage.slug])
        + "?"
        + urlencode({"start": start.isoformat()})
    )
    page.fill("#id_first_name", "Alice")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_email", alice.email)
    page.fill("#id_gift_card_code", "ABCD-EFGH-JKLM-NPQR")
    page.click("button[type=submit].button--primary")

    assert "not valid" in page.locator("#id_gift_card_code_error").inner_text()
    screenshot(page, "h4/checkout-wrong-code-en")
    assert not Booking.objects.exists()
