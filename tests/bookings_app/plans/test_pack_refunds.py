"""The owner refunds a pack bought online while no credit of it is used: the refund goes through
the payments ledger with its credit note, the pack is void in the same transaction, a refusal
says why, and a failed refund is shown and tried again."""

from decimal import Decimal

import pytest

from bookings_app.models import ClientPlan, PaymentLedgerEntry, Receipt, RefundStatus
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.selectors import plan_report, usable_plans
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.payments import retry_refund, send_refund
from bookings_app.services.plan_refunds import PackRefundRefused, refund_online_pack
from bookings_app.services.plans import PlanCreditRefused, give_plan, return_credit, use_credit
from tests import factories as f
from tests.support.payments import deliver
from tests.support.plan_sales import order_pack

pytestmark = pytest.mark.django_db


def plans_page(alice) -> str:
    return f"/dashboard/clients/{alice.pk}/plans/"


@pytest.fixture
def bought(ten_classes, alice):
    """Alice's pack, bought online and paid."""
    _order, payment = order_pack(ten_classes, alice)
    assert deliver(payment).code == "fulfilled"
    return ClientPlan.objects.get(client=alice)


def book_with(pack, session):
    details = ClientDetails(email=pack.client.email, first_name=pack.client.first_name)
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=details),
        pay=lambda bookings: use_credit(client_plan_id=pack.pk, bookings=bookings),
    )


def test_an_unused_pack_is_refunded_in_full_and_voided_with_its_credit_note(bought, olivia, yoga_sessions):
    refund = send_refund(refund_id=refund_online_pack(pack=bought, by=olivia).pk)

    assert refund.status == RefundStatus.SUCCEEDED and refund.amount == Decimal("150.00")
    bought.refresh_from_db()
    assert bought.voided_at is not None
    entry = PaymentLedgerEntry.objects.get(kind="refund")
    assert entry.payment == bought.order.payment and entry.booking is None
    note = Receipt.objects.get(series="CN")
    assert note.ledger_entry == entry and note.credits.payment == bought.order.payment
    assert check_payments_ledger() == []
    with pytest.raises(PlanCreditRefused, match="refunded"):
        book_with(bought, yoga_sessions[0])
    with pytest.raises(PackRefundRefused, match="refunded already"):
        refund_online_pack(pack=bought)


def test_a_pack_with_a_credit_used_is_not_refunded(bought, yoga_sessions):
    book_with(bought, yoga_sessions[0])
    with pytest.raises(PackRefundRefused, match="has been used"):
        refund_online_pack(pack=bought)
    assert not PaymentLedgerEntry.objects.filter(kind="refund").exists()


def test_a_pack_whose_credit_came_back_is_unused_again_and_refunded(bought, yoga_sessions):
    booking = book_with(bought, yoga_sessions[0])
    return_credit(booking=booking, reason="cancelled")
    assert send_refund(refund_id=refund_online_pack(pack=bought).pk).status == RefundStatus.SUCCEEDED


def test_a_pack_sold_at_the_desk_is_not_refunded_here(ten_classes, alice):
    pack = give_plan(plan=ten_classes, client=alice)
    with pytest.raises(PackRefundRefused, match="bought online"):
        refund_online_pack(pack=pack)


def test_a_failed_refund_keeps_the_pack_closed_and_is_tried_again(bought, settings, yoga_sessions, studio):
    settings.PAYMENT_TEST_REFUNDS_FAIL = True
    refund = send_refund(refund_id=refund_online_pack(pack=bought).pk)

    assert refund.status == RefundStatus.FAILED and "PAYMENT_TEST_REFUNDS_FAIL" in refund.error
    bought.refresh_from_db()
    assert bought.voided_at is None and bought.refund_asked_at is not None
    with pytest.raises(PlanCreditRefused, match="refunded"):  # while its refund is open it pays nothing
        book_with(bought, yoga_sessions[0])
    session = yoga_sessions[0]
    assert (
        usable_plans(client=bought.client, service=session.service, start=session.start, now=session.start)
        == []
    )
    with pytest.raises(PackRefundRefused, match="under way"):
        refund_online_pack(pack=bought)

    settings.PAYMENT_TEST_REFUNDS_FAIL = False
    assert retry_refund(refund=refund).status == RefundStatus.SUCCEEDED
    bought.refresh_from_db()
    assert bought.voided_at is not None and check_payments_ledger() == []


def test_a_refunded_pack_is_not_counted_as_sold_in_the_report(bought, ten_classes):
    send_refund(refund_id=refund_online_pack(pack=bought).pk)
    row = plan_report(
        start=bought.created_at,
        end=bought.created_at.replace(year=bought.created_at.year + 1),
        now=bought.created_at,
    ).get(pk=ten_classes.pk)
    assert (row.active_packs, row.credits_sold, row.revenue) == (0, 0, 0)


def test_the_owner_refunds_from_the_clients_plans_page(client, olivia, alice, bought):
    client.force_login(olivia)
    page = client.get(plans_page(alice)).content.decode()
    assert "Refund to the buyer" in page
    response = client.post(f"/dashboard/clients/{alice.pk}/plans/{bought.pk}/refund/", follow=True)
    page = response.content.decode()
    assert "The pack is refunded to its buyer and can no longer be used." in page
    assert "Refund of 150.00 EUR: Refunded" in page and "Refund to the buyer" not in page
    bought.refresh_from_db()
    assert bought.voided_at is not None


def test_the_owner_sees_a_failed_refund_and_tries_it_again(client, olivia, alice, bought, settings):
    settings.PAYMENT_TEST_REFUNDS_FAIL = True
    client.force_login(olivia)
    page = client.post(
        f"/dashboard/clients/{alice.pk}/plans/{bought.pk}/refund/", follow=True
    ).content.decode()
    assert "The refund failed" in page and "Try the refund again" in page
    refund = bought.order.payment.refunds.get()

    settings.PAYMENT_TEST_REFUNDS_FAIL = False
    page = client.post(
        f"/dashboard/clients/{alice.pk}/plans/refunds/{refund.pk}/retry/", follow=True
    ).content.decode()
    assert "The pack is refunded to its buyer" in page
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_a_used_pack_has_no_refund_button_and_a_forced_post_says_why(
    client, olivia, alice, bought, yoga_sessions
):
    book_with(bought, yoga_sessions[0])
    client.force_login(olivia)
    assert "Refund to the buyer" not in client.get(plans_page(alice)).content.decode()
    page = client.post(
        f"/dashboard/clients/{alice.pk}/plans/{bought.pk}/refund/", follow=True
    ).content.decode()
    assert "only an unused pack can be refunded" in page


def test_another_clients_pack_or_refund_and_a_desk_pack_are_404(client, olivia, alice, bought, ten_classes):
    bob = give_plan(plan=ten_classes, client=f.client("Bob"))
    client.force_login(olivia)
    assert client.post(f"/dashboard/clients/{bob.client_id}/plans/{bought.pk}/refund/").status_code == 404
    assert client.post(f"/dashboard/clients/{bob.client_id}/plans/{bob.pk}/refund/").status_code == 404
    assert client.post(f"/dashboard/clients/{alice.pk}/plans/refunds/999999/retry/").status_code == 404


def test_only_the_owner_refunds(client, sam, alice, bought):
    client.force_login(sam)
    assert client.post(f"/dashboard/clients/{alice.pk}/plans/{bought.pk}/refund/").status_code in (302, 403)
    bought.refresh_from_db()
    assert bought.refund_asked_at is None


def test_a_membership_bought_online_is_not_refunded_as_a_pack(client, olivia, alice, unlimited):
    _order, payment = order_pack(unlimited, alice)
    assert deliver(payment, saved_card="renews").code == "fulfilled"
    membership = ClientPlan.objects.get(client=alice)
    with pytest.raises(PackRefundRefused, match="bought online"):
        refund_online_pack(pack=membership)
    client.force_login(olivia)
    assert client.post(f"/dashboard/clients/{alice.pk}/plans/{membership.pk}/refund/").status_code == 404
    assert not membership.order.payment.refunds.exists()
