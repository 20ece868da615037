"""In Chromium, on a phone: anyone buys a gift card on the public page and pays on the test
provider's page, for themselves or as a gift for a later day; a declined payment is tried again;
bad input is told next to its field. English and Hebrew, with axe on each page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Business
from loyalty.models import GiftCard, GiftCardOrder, GiftCardOrderStatus, GiftCardProduct, Program
from tests import factories as make
from tests.support.browser import PHONE, screenshot, serious_violations


@pytest.fixture
def shop(transactional_db) -> GiftCardProduct:
    make.business(currency="EUR")
    Program.objects.update_or_create(
        pk=1,
        defaults={
            "is_enabled": True,
            "sells_gift_cards": True,
            "gift_card_min_amount": Decimal("20.00"),
            "gift_card_max_amount": Decimal("300.00"),
        },
    )
    return GiftCardProduct.objects.create(name="Gift card 50", value=Decimal("50.00"), sold_for_money=True)


def _open_shop(page, live_server, language: str) -> None:
    page.goto(live_server.url + reverse("gift_shop:buy"))
    page.wait_for_selector("#gift-shop-title")
    assert page.locator("html").get_attribute("lang") == language


def _about_me(page, email: str) -> None:
    page.fill("#id_first_name", "Carla")
    page.fill("#id_last_name", "Diaz")
    page.fill("#id_email", email)


@pytest.mark.parametrize("language", ["en", "he"])
def test_anyone_buys_a_card_for_themselves(live_server, page_for, shop, language):
    page = page_for(viewport=PHONE, language=language)
    _open_shop(page, live_server, language)
    assert not page.locator(".gift-shop__gift").is_visible()  # "For me" is chosen: no gift fields
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/shop-{language}")

    page.check(f"input[name=card][value='{shop.pk}']")
    _about_me(page, "carla@example.test")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".payment--test")
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/test-page-{language}")
    page.click("button[value=pay]")
    page.wait_for_selector("#order-title")

    assert page.locator(".confirmation__mark").is_visible()
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/paid-{language}")
    order = GiftCardOrder.objects.get()
    assert order.status == GiftCardOrderStatus.PAID and order.gift_card.initial_value == Decimal("50.00")
    assert GiftCard.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_gift_for_a_later_day_is_paid_after_a_decline(live_server, page_for, shop, language):
    page = page_for(viewport=PHONE, language=language)
    _open_shop(page, live_server, language)
    page.check("input[name=card][value=custom]")
    page.fill("#id_amount", "42.50")
    page.check("input[name=for_whom][value=gift]")
    assert page.locator(".gift-shop__gift").is_visible()
    _about_me(page, "carla@example.test")
    day = timezone.localdate(timezone=Business.current().tz) + timedelta(days=5)
    page.fill("#id_recipient_name", "Dan Levi")
    page.fill("#id_recipient_email", "dan@example.test")
    page.fill("#id_message", "Happy birthday, Dan!")
    page.fill("#id_deliver_on", day.isoformat())
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/gift-form-{language}")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".payment--test")

    page.click("button[value=decline]")
    page.wait_for_selector("#order-title")
    assert page.locator("[role=alert]").is_visible()
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/declined-{language}")
    page.click("form button[type=submit].button--primary")
    page.wait_for_selector(".payment--test")
    page.click("button[value=pay]")
    page.wait_for_selector(".confirmation__mark")

    assert "dan@example.test" in page.locator("[role=status]").inner_text()
    screenshot(page, f"gift-cards/gift-paid-{language}")
    order = GiftCardOrder.objects.get()
    assert order.status == GiftCardOrderStatus.PAID and order.deliver_on == day and order.delivered_at is None
    assert (
        order.gift_card.initial_value == Decimal("42.50")
        and order.gift_card.owner.email == "dan@example.test"
    )


@pytest.mark.parametrize("language", ["en", "he"])
def test_bad_input_is_told_next_to_each_field(live_server, page_for, shop, language):
    page = page_for(viewport=PHONE, language=language)
    _open_shop(page, live_server, language)
    page.check("input[name=card][value=custom]")
    page.fill("#id_amount", "5")
    page.check("input[name=for_whom][value=gift]")
    _about_me(page, "carla@")
    page.fill("#id_recipient_email", "dan@example.test")
    page.fill("#id_deliver_on", "2020-01-01")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector(".form-error")

    for field in ("amount", "email", "deliver_on"):
        assert page.locator(f"#id_{field}_error").is_visible(), field
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/bad-input-{language}")
    assert not GiftCardOrder.objects.exists()


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_owner_sets_the_sales_and_sees_the_sold_card_with_its_payment(
    live_server, page_for, olivia, shop, language
):
    from tests.support.browser import TABLET, signed_in_page
    from tests.support.gift_sales import order_card
    from tests.support.payments import deliver

    Program.objects.filter(pk=1).update(
        sells_gift_cards=False, gift_card_min_amount=None, gift_card_max_amount=None
    )
    page = signed_in_page(page_for, live_server, olivia, language, viewport=TABLET)
    page.goto(f"{live_server.url}/dashboard/loyalty/settings/")
    page.check("#id_sells_gift_cards")
    page.fill("#id_gift_card_min_amount", "30")
    page.fill("#id_gift_card_max_amount", "20")
    page.click("form.form button[type=submit].button--primary")
    page.wait_for_selector(".field--invalid #id_gift_card_max_amount")
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/owner-settings-{language}")
    page.fill("#id_gift_card_max_amount", "300")
    page.click("form.form button[type=submit].button--primary")
    page.wait_for_selector(".message--success")
    assert Program.current().sells_online and Program.current().gift_card_min_amount == Decimal("30.00")

    order, payment = order_card("carla@example.test", product=shop)
    deliver(payment)
    page.goto(f"{live_server.url}/dashboard/loyalty/gift-cards/")
    sale = page.locator(".gift-card-sale").first.inner_text()
    assert "50.00 EUR (test)" in sale
    assert not serious_violations(page)
    screenshot(page, f"gift-cards/owner-list-{language}")
