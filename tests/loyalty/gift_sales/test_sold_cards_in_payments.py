"""A gift card sold for money is a payment without a booking: the owner's payments list, its
export and the home page's revenue show it as a gift card, never as a broken booking row."""

import csv
import io

import pytest
from django.utils import timezone

from bookings_app.models import Business
from bookings_app.selectors.revenue import recent_revenue
from tests.support.gift_sales import order_card
from tests.support.payments import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(card_50):
    _, payment = order_card(product=card_50)
    assert deliver(payment).code == "fulfilled"
    return payment


def test_the_payments_list_names_the_sale_a_gift_card(client, olivia, sold):
    client.force_login(olivia)
    response = client.get("/dashboard/payments/")
    assert response.status_code == 200
    (entry,) = response.context["page"].object_list
    assert entry.booking_id is None and entry.payment == sold
    row = response.content.decode().split("<tbody>")[-1].split("</tr>")[0]
    assert "Gift card" in row and "50.00" in row


def test_the_export_names_the_sale_a_gift_card_with_no_client_or_booking(client, olivia, sold):
    client.force_login(olivia)
    response = client.get("/dashboard/payments/export/csv/")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[1:10] == [
        "Client",
        "E-mail",
        "Service",
        "Booking",
        "Kind",
        "Amount",
        "Currency",
        "Provider",
        "Payment status",
    ]
    assert row[1:10] == ["", "", "Gift card", "", "Charge", "50.00", "EUR", "test", "Paid"]


def test_revenue_counts_the_sale_under_other_sales_and_no_staff_member(sold):
    (eur,) = recent_revenue(tz=Business.current().tz, now=timezone.now())
    assert sum(net for _, net in eur.days) == sold.amount
    assert [(share.name, share.net) for share in eur.by_service] == [("Other sales", sold.amount)]
    assert eur.by_staff == []
