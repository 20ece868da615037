"""What the demo business shows: seeded once for this module (each test runs in a savepoint of
the transaction that holds it, rolled back at the end), as seeding takes seconds. The tests that
watch the seeding itself are in test_seed_demo.py."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from bookings_app.models import Business, User
from bookings_app.web.roles import is_owner, is_staff_member


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """The demo, once; the debug switch on while it loads (it refuses without)."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("seed_demo", "--quiet-summary")
        yield
        transaction.set_rollback(True)


def test_it_creates_the_owner_and_the_staff_member_who_can_sign_in(db):
    owner = User.objects.get(email="owner@rendez.test")
    staff = User.objects.get(email="staff@rendez.test")
    assert owner.check_password("rendez-demo") and is_owner(owner)
    assert staff.check_password("rendez-demo") and is_staff_member(staff) and not is_owner(staff)


def test_it_shows_automations_that_have_run_through_the_engine(db):
    from automations.models import Automation, Run, RunReason, RunStatus, Task

    assert Automation.objects.filter(is_active=True).count() >= 5
    assert set(Run.objects.values_list("status", flat=True)) == {
        RunStatus.DONE,
        RunStatus.SKIPPED,
        RunStatus.FAILED,
        RunStatus.SCHEDULED,
    }
    assert {RunReason.FREQUENCY_LIMIT, RunReason.CONDITION_FALSE} <= set(
        Run.objects.filter(status=RunStatus.SKIPPED).values_list("reason", flat=True)
    )
    assert Run.objects.get(status=RunStatus.FAILED).detail  # says why
    assert Task.objects.filter(run__isnull=False).exists() and Task.objects.filter(run__isnull=True).exists()


def test_it_shows_a_loyalty_program_in_use(db):
    from loyalty.models import EntryKind, GiftCard, GiftCardProduct, LedgerEntry, Program, ServicePoints

    assert Program.current().is_enabled and ServicePoints.objects.count() >= 3
    assert {EntryKind.EARNED, EntryKind.MANUAL, EntryKind.REDEEMED} <= set(
        LedgerEntry.objects.values_list("kind", flat=True)
    )
    assert GiftCardProduct.objects.filter(points_price__isnull=False).count() >= 2
    assert GiftCardProduct.objects.filter(points_price__isnull=True).exists()
    cards = GiftCard.objects.all()
    assert cards.count() >= 3
    assert any(0 < card.remaining_value < card.initial_value for card in cards)  # one partly spent


def test_it_shows_a_gift_card_sold_online(db):
    from bookings_app.payments.ledger_check import check_payments_ledger
    from loyalty.models import GiftCardOrder, Program

    assert Program.current().sells_gift_cards
    order = GiftCardOrder.objects.get(is_gift=True)
    assert order.status == "paid" and order.delivered_at is not None
    assert order.payment.status == "paid" and order.payment.ledger_entries.filter(kind="charge").count() == 1
    assert order.gift_card.owner.email == order.recipient_email
    refunded = GiftCardOrder.objects.get(is_gift=False)  # Henry's, refunded unused: the card voided
    assert refunded.payment.status == "refunded" and refunded.gift_card.voided_at is not None
    assert refunded.payment.receipts.count() == 2  # its receipt and credit note
    assert check_payments_ledger() == []


def test_it_shows_a_fee_and_a_payment_at_the_desk(db):
    from bookings_app.models import PaymentLedgerEntry, Receipt

    assert PaymentLedgerEntry.objects.filter(kind="fee").count() == 1
    assert Receipt.objects.filter(payment__provider="cash", series="R").count() == 1


def test_it_leaves_a_request_the_owner_answers_from_the_calendar(client, db):
    from bookings_app.models import Booking, BookingStatus, User

    pending = Booking.objects.filter(status=BookingStatus.REQUESTED).order_by("session__start").first()
    client.force_login(User.objects.get(email="owner@rendez.test"))

    panel = client.get(f"/dashboard/calendar/bookings/{pending.pk}/").content.decode()

    assert f"/dashboard/requests/{pending.pk}/approve/" in panel


def test_nina_has_an_outside_calendar_whose_stored_busy_times_show(db):
    from bookings_app.models import OutsideCalendar

    calendar = OutsideCalendar.objects.get(staff__name="Nina")
    assert calendar.last_success_at is not None and calendar.busy_times.count() == 7
    assert calendar.url.startswith("http://127.0.0.1:9/")  # nothing listens: the demo reads no internet


def test_it_lets_a_local_website_frame_the_booking_pages(db, client):
    assert Business.current().embed_origins == ["http://localhost:8001"]
    response = client.get("/embed/")
    assert response["Content-Security-Policy"] == "frame-ancestors 'self' http://localhost:8001"
    assert "Studio Lumen" in response.content.decode()


def test_it_shows_a_full_class_with_three_clients_in_line_one_holding_an_offer(db):
    from bookings_app.models import WaitlistEntry, WaitlistStatus

    live = WaitlistEntry.objects.filter(status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED])
    assert sorted(live.values_list("status", flat=True)) == ["offered", "waiting", "waiting"]
    session = live.first().session
    assert session.service.waitlist_enabled
    assert session.seats_taken == session.capacity


def test_it_shows_a_class_the_owner_cancelled_with_her_message(db):
    from bookings_app.models import Booking, OutgoingEmail, SessionStatus

    told = OutgoingEmail.objects.filter(kind="cancellation", about__message__startswith="Our teacher is ill")
    assert told.count() == 2
    assert {email.booking.session.status for email in told} == {SessionStatus.CANCELLED}
    assert not Booking.objects.filter(session=told.first().booking.session, status="confirmed").exists()


def test_it_shows_a_discount_code_in_use(db):
    from bookings_app.models import DiscountCode, DiscountRedemption

    welcome = DiscountCode.objects.get(code="WELCOME10")
    live = DiscountRedemption.objects.filter(discount_code=welcome, given_back_at__isnull=True)
    assert welcome.uses == live.count() >= 3
    assert live.filter(booking__payments__status="paid").exists()  # a discount before an online payment
    assert DiscountCode.objects.filter(archived_at__isnull=False).exists()


def test_it_shows_a_client_waiting_for_an_earlier_massage(db, client):
    from bookings_app.models import EarlierTimeRequest
    from bookings_app.web.links import manage_token

    wish = EarlierTimeRequest.objects.get(status="waiting")
    assert wish.service.slug == "deep-tissue-massage" and wish.staff is None
    page = client.get(f"/manage/{manage_token(wish.booking)}/").content.decode()
    assert "Stop telling me" in page


def test_it_shows_a_ten_class_pack_that_clients_book_with(db):
    from bookings_app.models import ClientPlan, PlanCreditUse

    alices = ClientPlan.objects.get(client__email="alice@example.com", plan__name="10 classes")
    assert (alices.credits_total, alices.credits_used) == (10, 2)
    assert PlanCreditUse.objects.filter(client_plan=alices, return_reason="cancelled").count() == 1
    assert ClientPlan.objects.filter(client__email="emma@example.com", source="given").exists()


def test_it_shows_packs_at_the_desk_and_an_automation_on_their_end(db):
    from automations.models import Automation
    from bookings_app.models import Attendance, BookingSource, Client, PlanCreditUse, Session

    assert Automation.objects.filter(trigger="plan_expires", trigger_params__days=7).exists()
    walk_ins = PlanCreditUse.objects.filter(
        booking__source=BookingSource.WALK_IN, booking__attendance=Attendance.CHECKED_IN
    ).select_related("booking__session", "client_plan__client")
    tz = Business.current().tz
    today = timezone.localdate(timezone=tz)
    emma = Client.objects.get(email="emma@example.com")
    seats_for_emma = [
        s
        for s in Session.objects.filter(service__plans__name="10 classes", status="scheduled")
        if timezone.localdate(s.start, tz) == today
        and (s.seats_left > 0 or s.bookings.filter(client=emma, source=BookingSource.WALK_IN).exists())
        and not s.bookings.filter(client=emma, status="confirmed")
        .exclude(source=BookingSource.WALK_IN)
        .exists()
    ]
    assert walk_ins.count() == (1 if seats_for_emma else 0)
    for use in walk_ins:
        assert use.client_plan.client == emma
        assert timezone.localdate(use.booking.session.start, tz) == today


def test_it_shows_a_pack_bought_online_and_paid_with_the_test_provider(db):
    from bookings_app.models import ClientPlan, PlanOrder
    from bookings_app.payments.ledger_check import check_payments_ledger

    chloes = ClientPlan.objects.get(client__email="chloe@example.com", source="online")
    order = PlanOrder.objects.get(client_plan=chloes)
    assert order.status == "paid" and order.payment.status == "paid" and order.payment.purpose == "plan_order"
    assert chloes.plan.name == "10 classes" and chloes.price_paid == order.payment.amount
    assert check_payments_ledger() == []


def test_it_shows_paid_deposit_refunded_and_released_bookings(db):
    from bookings_app.models import Booking, BookingStatus, Payment, Service
    from bookings_app.payments.ledger_check import check_payments_ledger

    assert Service.objects.get(slug="morning-pilates").payment_policy == "full"
    massage = Service.objects.get(slug="deep-tissue-massage")
    assert (massage.payment_policy, massage.deposit_percent) == ("deposit", 30)
    statuses = set(Payment.objects.values_list("booking__service__slug", "status"))
    assert {
        ("morning-pilates", "paid"),
        ("morning-pilates", "refunded"),
        ("morning-pilates", "abandoned"),
    } <= statuses
    assert ("deep-tissue-massage", "paid") in statuses
    assert Booking.objects.filter(status=BookingStatus.RELEASED).count() == 1
    assert check_payments_ledger() == []


def test_the_owner_sees_its_payments_listed_and_its_revenue_on_the_home_page(db, client):
    from bookings_app.models import Payment

    client.force_login(User.objects.get(email="owner@rendez.test"))
    listed = client.get("/dashboard/payments/", {"kind": "refund"})
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count >= 1
    currency = Payment.objects.values_list("currency", flat=True).first()
    assert f"Net revenue in {currency}: " in client.get("/dashboard/").content.decode()


def test_it_has_a_receipt_per_charge_and_a_credit_note_per_refund(db):
    """A second seeding issues none: test_seed_demo.py counts every table across two runs."""
    from decimal import Decimal

    from bookings_app.models import OutgoingEmail, PaymentLedgerEntry, Receipt

    business = Business.current()
    assert business.legal_name and business.tax_number and business.vat_rate == Decimal("20.00")
    # Every charge and refund has its document: a booking's, online or at the desk, and a gift card sale's.
    charges = PaymentLedgerEntry.objects.filter(kind="charge").count()
    refunds = PaymentLedgerEntry.objects.filter(kind="refund").count()
    assert charges >= 3 and refunds >= 1
    assert sorted(Receipt.objects.filter(series="R").values_list("number", flat=True)) == list(
        range(1, charges + 1)
    )
    assert sorted(Receipt.objects.filter(series="CN").values_list("number", flat=True)) == list(
        range(1, refunds + 1)
    )
    assert Receipt.objects.filter(series="CN", credits__isnull=False).count() == refunds
    assert all(receipt.vat_rate == Decimal("20.00") for receipt in Receipt.objects.all())
    assert OutgoingEmail.objects.filter(kind="receipt").count() <= charges + refunds  # the desk may send none
    assert Receipt.objects.filter(booking__isnull=True).exists()  # the sold gift card's


def test_it_has_members_a_renewal_and_bookings_paid_by_a_membership(db):
    from bookings_app.models import ClientPlan, MembershipRenewal, MembershipStatus, PlanCreditUse, PlanKind
    from bookings_app.payments.ledger_check import check_payments_ledger

    members = ClientPlan.objects.filter(plan__kind=PlanKind.MEMBERSHIP)
    assert members.filter(plan__name="Unlimited monthly", plan__sessions_per_period=None).count() == 2
    renewal = MembershipRenewal.objects.get()
    assert renewal.status == "paid" and renewal.payment.ledger_entries.count() == 1
    assert renewal.client_plan.client.first_name == "Bruno"
    assert PlanCreditUse.objects.filter(client_plan=renewal.client_plan).count() >= 1
    assert members.filter(status=MembershipStatus.CANCELLING).count() == 1
    assert check_payments_ledger() == []


def test_it_shows_a_membership_bought_online_renewed_with_the_test_card(db):
    from bookings_app.models import ClientPlan, PlanOrder

    gals = ClientPlan.objects.get(client__email="gal@example.com", source="online")
    order = PlanOrder.objects.get(client_plan=gals)
    assert order.status == "paid" and gals.plan.name == "2 classes a week"
    assert (gals.status, gals.billing, gals.test_card) == ("active", "provider", "renews")
    assert gals.next_renewal_at is not None
