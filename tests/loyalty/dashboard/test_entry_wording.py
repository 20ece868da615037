"""Ledger entries store what happened and are worded in the reader's language, not the client's."""

from django.utils import translation

from loyalty.models import LedgerEntry
from loyalty.services import adjust_points, buy_gift_card_with_points, credit_points_for_ended_sessions
from tests.factories import visit

REPORT = "/dashboard/loyalty/points/"


def test_it_words_a_french_clients_visit_in_the_owners_english_report(as_olivia, program, bob, yoga, nina):
    visit(yoga, nina, bob)
    credit_points_for_ended_sessions()

    page = as_olivia.get(REPORT, headers={"Accept-Language": "en"}).content.decode()

    assert "Yoga on " in page and "Yoga le " not in page


def test_it_words_the_same_entry_in_hebrew_for_a_hebrew_reader(as_olivia, program, alice, yoga, nina):
    visit(yoga, nina, alice)
    credit_points_for_ended_sessions()

    page = as_olivia.get(REPORT, headers={"Accept-Language": "he"}).content.decode()

    assert "Yoga בתאריך" in page and "Yoga on " not in page


def test_it_words_a_gift_card_bought_with_points_in_the_readers_language(program, bob, voucher, olivia):
    adjust_points(client=bob, points=150, description="Welcome", by=olivia)
    buy_gift_card_with_points(client=bob, product=voucher)
    entry = LedgerEntry.objects.filter(gift_card__isnull=False).get()

    with translation.override("en"):
        assert entry.wording == "Gift card: Voucher 25"
    assert entry.reason["product"] == "Voucher 25"


def test_an_entry_from_before_reasons_keeps_its_stored_text(program, alice):
    entry = LedgerEntry.objects.create(
        client=alice, points=5, kind="manual", description="Carte cadeau : X", balance_after=5
    )

    with translation.override("en"):
        assert entry.wording == "Carte cadeau : X"
