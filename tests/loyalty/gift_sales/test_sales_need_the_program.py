"""Gift cards are sold only while the loyalty program is on (a card pays at checkout only then):
the owner is told why the page is closed, and how to sell cards without points."""

import pytest

from loyalty.models import Program

pytestmark = pytest.mark.django_db


def test_the_owner_is_told_why_gift_cards_are_not_on_sale(client, olivia, selling):
    Program.objects.filter(pk=1).update(is_enabled=False)
    client.force_login(olivia)

    page = client.get("/dashboard/loyalty/settings/").content.decode()

    assert "Gift cards are not on sale now" in page
    assert client.get("/gift-cards/").status_code == 404


def test_with_the_program_on_and_no_points_the_cards_are_on_sale(client, olivia, card_50):
    client.force_login(olivia)
    page = client.get("/dashboard/loyalty/settings/").content.decode()
    assert "Gift cards are not on sale now" not in page and "without points" in page
    assert Program.current().points_per_currency_unit == 0
    assert client.get("/gift-cards/").status_code == 200
