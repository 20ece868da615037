"""The owner refunds the current period of a membership bought online: the first month's order or
that period's renewal is refunded in full through the payments ledger with its credit note, and
the membership ends now, in one transaction; refused while a session of the period is paid with
it, for a membership sold at the desk, and twice. A failed refund is shown and tried again."""

from datetime import timedelta
from decimal import Decimal

import pytest

from bookings_app.models import ClientPlan, MembershipStatus, PaymentLedgerEntry, Receipt, RefundStatus
from bookings_app.payments.ledger_check import check_payments_ledger
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.membership_renewals import renew_due_memberships
from bookings_app.services.payments import send_refund
from bookings_app.services.plan_refunds import MembershipRefundRefused, refund_online_membership
from bookings_app.services.plans import PlanCreditRefused, use_credit
from tests.support.memberships import member
from tests.support.payments import deliver
from tests.support.plan_sales import order_pack

pytestmark = pytest.mark.django_db


def plans_page(client_) -> str:
    return f"/dashboard/clients/{client_.pk}/plans/"


def refund_url(membership) -> str:
    return f"/dashboard/clients/{membership.client_id}/memberships/{membership.pk}/refund/"


@pytest.fixture
def joined(unlimited, alice):
    """Alice's "Unlimited" membership, bought online (89.00 EUR) with a card that renews."""
    _order, payment = order_pack(unlimited, alice)
    assert deliver(payment, saved_card="renews").code == "fulfilled"
    return ClientPlan.objects.get(client=alice)


def book_with(membership, session):
    details = ClientDetails(email=membership.client.email, first_name=membership.client.first_name)
    return book_and_pay(
        book=lambda: book_class_seat(session=session, details=details),
        pay=lambda bookings: use_credit(client_plan_id=membership.pk, bookings=bookings),
    )


def test_the_first_month_is_refunded_and_the_membership_ends(joined, olivia, yoga_sessions):
    refund = send_refund(refund_id=refund_online_membership(membership=joined, by=olivia).pk)

    assert refund.status == RefundStatus.SUCCEEDED and refund.amount == Decimal("89.00")
    assert refund.payment == joined.order.payment
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.CANCELLED and joined.next_renewal_at is None
    note = Receipt.objects.get(series="CN")
    assert note.ledger_entry == PaymentLedgerEntry.objects.get(kind="refund")
    assert check_payments_ledger() == []
    with pytest.raises(PlanCreditRefused, match="not active"):
        book_with(joined, yoga_sessions[0])
    with pytest.raises(MembershipRefundRefused, match="not active"):
        refund_online_membership(membership=joined)


def test_a_renewed_period_refunds_the_renewal_not_the_first_month(joined, olivia):
    renew_due_memberships(now=joined.period_end + timedelta(minutes=1))
    joined.refresh_from_db()
    renewal = joined.renewals.get()

    refund = send_refund(refund_id=refund_online_membership(membership=joined, by=olivia).pk)

    assert refund.payment == renewal.payment and refund.status == RefundStatus.SUCCEEDED
    assert not joined.order.payment.refunds.exists()
    assert Receipt.objects.get(series="CN").credits.payment == renewal.payment
    assert check_payments_ledger() == []


def test_a_period_with_a_session_paid_by_it_is_not_refunded(joined, yoga_sessions):
    book_with(joined, yoga_sessions[0])

    with pytest.raises(MembershipRefundRefused, match="cancel that booking first"):
        refund_online_membership(membership=joined)

    joined.refresh_from_db()
    assert joined.status == MembershipStatus.ACTIVE and not joined.order.payment.refunds.exists()


def test_a_membership_sold_at_the_desk_is_not_refunded_here(unlimited, alice):
    from django.utils import timezone

    desk = member(unlimited, alice, now=timezone.now())
    with pytest.raises(MembershipRefundRefused, match="bought online"):
        refund_online_membership(membership=desk)


def test_a_failed_refund_is_shown_and_tried_again(client, olivia, alice, joined, settings):
    settings.PAYMENT_TEST_REFUNDS_FAIL = True
    client.force_login(olivia)

    page = client.post(refund_url(joined), follow=True).content.decode()

    assert "The refund failed" in page and "Try the refund again" in page
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.CANCELLED
    settings.PAYMENT_TEST_REFUNDS_FAIL = False
    refund = joined.order.payment.refunds.get()
    retried = client.post(f"/dashboard/clients/{alice.pk}/plans/refunds/{refund.pk}/retry/", follow=True)
    assert "The period is refunded to the member, and the membership has ended." in retried.content.decode()
    assert check_payments_ledger() == []


def test_the_owner_refunds_from_the_clients_plans_page(client, olivia, alice, joined):
    client.force_login(olivia)
    before = client.get(plans_page(alice)).content.decode()
    assert "Gives back 89.00 EUR, what this period cost" in before

    page = client.post(refund_url(joined), follow=True).content.decode()

    assert "The period is refunded to the member, and the membership has ended." in page
    assert "Refund of 89.00 EUR: Refunded" in page
    assert "Refund this period and end the membership" not in page


def test_another_clients_membership_or_a_pack_is_404_and_staff_are_refused(
    client, olivia, sam, alice, joined, ten_classes
):
    bob = joined.client.__class__.objects.create(email="bob@client.test", first_name="Bob")
    client.force_login(olivia)
    assert client.post(f"/dashboard/clients/{bob.pk}/memberships/{joined.pk}/refund/").status_code == 404
    assert client.get(refund_url(joined)).status_code == 405
    client.force_login(sam)
    assert client.post(refund_url(joined)).status_code in (302, 403)
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.ACTIVE


@pytest.mark.parametrize("memberships", [1, 3])
def test_the_plans_page_costs_the_same_queries_for_1_and_3_memberships_bought_online(
    client, olivia, studio, alice, memberships, django_assert_num_queries
):
    from tests.support.memberships import membership_plan

    for number in range(memberships):
        _order, payment = order_pack(membership_plan([studio["yoga"]], name=f"Plan {number}"), alice)
        deliver(payment, saved_card="renews")
    client.force_login(olivia)
    with django_assert_num_queries(16):
        page = client.get(plans_page(alice)).content.decode()
    assert page.count("Refund this period and end the membership") == memberships
