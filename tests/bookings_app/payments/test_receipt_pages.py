"""Who may download a receipt's PDF: the owner from the booking's page, the client from the
booking's signed manage link; anyone else, or any other number, gets 404."""

import pytest
from django.urls import reverse

from bookings_app.models import Receipt
from bookings_app.services import payments
from bookings_app.web import links
from tests.support.payments import deliver, hold_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(yoga_session):
    booking, payment = hold_seat(yoga_session, 1)
    deliver(payment)
    payment.refresh_from_db()
    return booking, payment


@pytest.fixture
def other(yoga_session):
    booking, payment = hold_seat(yoga_session, 2)
    deliver(payment)
    return booking


def _owner_url(booking, number: str = "R-000001") -> str:
    return reverse("dashboard:booking_receipt", args=[booking.pk, number])


def _client_url(booking, number: str = "R-000001", token: str | None = None) -> str:
    return reverse("public:receipt_pdf", args=[token or links.manage_token(booking), number])


def test_the_owner_downloads_the_pdf_from_the_booking_page(client, olivia, paid):
    booking, _ = paid
    client.force_login(olivia)
    page = client.get(reverse("dashboard:booking", args=[booking.pk])).content.decode()
    assert _owner_url(booking) in page and "Receipt R-000001 (PDF)" in page

    response = client.get(_owner_url(booking))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="R-000001.pdf"'


def test_the_client_downloads_the_pdf_from_the_manage_page(client, paid):
    booking, payment = paid
    refund = payments.request_refund(payment=payment, amount=payment.amount)
    payments.send_refund(refund_id=refund.pk)
    page = client.get(links.manage_path(booking)).content.decode()
    assert _client_url(booking) in page and _client_url(booking, "CN-000001") in page

    for number in ("R-000001", "CN-000001"):
        response = client.get(_client_url(booking, number))
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_a_manage_link_opens_only_its_own_bookings_receipts(client, paid, other):
    booking, _ = paid
    assert Receipt.objects.get(number=2).booking == other
    assert client.get(_client_url(booking, "R-000002")).status_code == 404
    assert client.get(_client_url(other, "R-000001")).status_code == 404


@pytest.mark.parametrize(
    "number", ["R-000009", "CN-000001", "X-000001", "R-", "R-abc", "R-١٢", "R-9999999999"]
)
def test_numbers_that_are_not_this_bookings_receipts_answer_404(client, olivia, paid, number):
    booking, _ = paid
    assert client.get(_client_url(booking, number)).status_code == 404
    client.force_login(olivia)
    assert client.get(_owner_url(booking, number)).status_code == 404


def test_a_tampered_manage_token_answers_404(client, paid):
    booking, _ = paid
    token = links.manage_token(booking)
    assert client.get(_client_url(booking, token=token[:-2] + "xx")).status_code == 404


def test_staff_and_anonymous_visitors_cannot_use_the_owners_link(client, sam, paid):
    booking, _ = paid
    assert client.get(_owner_url(booking)).status_code == 302  # to the sign-in page
    client.force_login(sam)
    assert client.get(_owner_url(booking)).status_code == 403


def test_the_booking_page_reads_its_receipts_in_a_fixed_number_of_queries(
    client, olivia, paid, django_assert_max_num_queries
):
    booking, payment = paid
    for amount in ("1.00", "2.00", "3.00"):
        payments.send_refund(refund_id=payments.request_refund(payment=payment, amount=amount).pk)
    client.force_login(olivia)
    client.get(reverse("dashboard:booking", args=[booking.pk]))
    with django_assert_max_num_queries(45) as counted:
        client.get(reverse("dashboard:booking", args=[booking.pk]))
    with_three_refunds = len(counted.captured_queries)

    payments.send_refund(refund_id=payments.request_refund(payment=payment, amount="4.00").pk)
    with django_assert_max_num_queries(with_three_refunds) as counted:
        client.get(reverse("dashboard:booking", args=[booking.pk]))
