"""The owner gives the details receipts print and the VAT rate; a bad rate stays next to its field."""

from decimal import Decimal

import pytest

from bookings_app.models import Business


def _valid(**changes) -> dict:
    data = {
        "name": "Studio Lumen",
        "time_zone": "Europe/Paris",
        "currency": "EUR",
        "language": "en",
        "sender_email": "hello@lumen.test",
        "min_notice_minutes": 60,
        "max_advance_days": 90,
        "cancel_window_hours": 12,
        "slot_step_minutes": 15,
    }
    return {**data, **changes}


def test_the_owner_saves_the_legal_details_and_vat_rate(client, olivia):
    client.force_login(olivia)
    response = client.post(
        "/dashboard/settings/",
        _valid(
            legal_name="Lumen SARL",
            legal_address="12 rue des Lilas\r\n75011 Paris",
            tax_number="FR 12 345678901",
            vat_rate="5.5",
        ),
    )
    assert response.status_code == 302
    business = Business.current()
    assert (business.legal_name, business.tax_number, business.vat_rate) == (
        "Lumen SARL",
        "FR 12 345678901",
        Decimal("5.50"),
    )
    assert business.legal_address.splitlines() == ["12 rue des Lilas", "75011 Paris"]


def test_an_empty_vat_rate_means_none(client, olivia):
    client.force_login(olivia)
    assert client.post("/dashboard/settings/", _valid(vat_rate="")).status_code == 302
    assert Business.current().vat_rate == Decimal("0")


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("100.01", "less than or equal to 100"),
        ("-1", "greater than or equal to 0"),
        ("twenty", "Enter a number."),
        ("NaN", "Enter a number."),
        ("Infinity", "Enter a number."),
        ("20.123", "no more than 2 decimal places"),
        ("1e400", "no more than 5 digits"),
    ],
)
def test_a_vat_rate_that_is_not_a_percentage_is_refused_next_to_its_field(client, olivia, rate, message):
    client.force_login(olivia)
    response = client.post("/dashboard/settings/", _valid(vat_rate=rate))
    assert response.status_code == 400
    page = response.content.decode()
    field = page[page.index('id="id_vat_rate"') :]
    assert message in field[: field.index("</div>")]
    assert Business.current().vat_rate == Decimal("0")


def test_the_settings_page_shows_the_receipt_fields(client, olivia):
    client.force_login(olivia)
    page = client.get("/dashboard/settings/").content.decode()
    for label in ("Legal name", "Address", "Tax number", "VAT rate (%)"):
        assert label in page
