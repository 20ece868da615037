"""The printable gift card: a real PDF whose text carries the code, the value and the last day."""

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

from loyalty.pdf import gift_card_pdf, render_gift_card
from loyalty.services import issue_gift_card


def page_text(document) -> str:
    """The text WeasyPrint laid out on the card's pages, in reading order."""

    def texts(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    return " ".join(text for page in document.pages for text in texts(page._page_box))


@pytest.fixture
def card(voucher, alice, olivia):
    return issue_gift_card(product=voucher, client=alice, by=olivia)


def test_it_makes_a_one_page_pdf(card):
    pdf = gift_card_pdf(card)

    assert pdf.startswith(b"%PDF-")
    assert len(render_gift_card(card).pages) == 1


def test_it_shows_the_code_value_business_and_last_day(card):
    text = page_text(render_gift_card(card))

    assert card.display_code in text
    assert "25.00 EUR" in text
    assert "Studio Lumen" in text
    assert f"Valid until {date_format(card.last_valid_day(ZoneInfo('Europe/Paris')), 'DATE_FORMAT')}" in text


def test_it_prints_the_date_in_the_clients_language(studio, bob, olivia):
    card = issue_gift_card(value=Decimal("40"), client=bob, by=olivia)

    with translation.override("fr"):
        text = page_text(render_gift_card(card))

    french_months = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    assert any(month in text for month in french_months)
    assert card.display_code in text


def _text_box(document, text: str):
    def boxes(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    return next(box for box in boxes(document.pages[0]._page_box) if getattr(box, "text", None) == text)


def test_it_prints_the_hebrew_card_right_aligned_without_a_warning(card, caplog):
    with translation.override("he"), caplog.at_level("WARNING", logger="weasyprint"):
        document = render_gift_card(card)

    assert not [r for r in caplog.records if r.name.startswith("weasyprint")], caplog.text
    code = _text_box(document, card.display_code)
    page_width = document.pages[0].width
    assert code.position_x > page_width / 3  # the code sits on the right, with the Hebrew text
