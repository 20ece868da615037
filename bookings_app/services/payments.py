"""Online payments: hold a place while the client pays, take the provider's word once, refund.

Each verb is one transaction guarded by the database:
- a held booking (``awaiting_payment``) is confirmed or released by a conditional UPDATE on
  its status, so a late payment and the release task never both win;
- locks, always in this order: the booking, then its payment (``select_for_update``);
- a provider event is stored (``ProcessedProviderEvent``, unique provider + id) in the
  transaction that processes it: a replay finds it and changes nothing;
- every charge and refund is one ``PaymentLedgerEntry`` (a charge once per payment, a
  refund once per ``PaymentRefund``: unique constraints).

Provider calls (opening a checkout, refunding) never run inside a transaction: the row
saying what is asked is committed first, the call made, its outcome recorded after.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError
from ..core.events import record_event
from ..core.hand_over import after_commit
from ..models import (
    Actor,
    Booking,
    BookingStatus,
    Business,
    EventKind,
    Payment,
    PaymentLedgerEntry,
    PaymentMethod,
    PaymentPolicy,
    PaymentRefund,
    PaymentStatus,
    ProcessedProviderEvent,
    RefundPolicy,
    RefundStatus,
    ServiceKind,
    Session,
    SessionStatus,
    StaffMember,
)
from ..models.payments import CHARGED_STATUSES, IN_PERSON_PROVIDERS, LedgerKind, RefundReason
from ..payments import ProviderError, ProviderEvent, provider
from ..payments.base import ABANDONED, FAILED, PAID
from ..plug_ins.payment_purposes import purpose_of
from ..selectors import availability
from .bookings import announce_confirmed
from .checkout import record_prepayment, record_prepayment_refund
from .discounts import give_back_use, take_use_again
from .earlier_times import appointment_freed
from .fees import FEE_TASK
from .purpose_payments import process_purpose_event
from .receipts import issue_receipt
from .waitlist import accept_offer, fill_freed_seats

log = logging.getLogger("rendez.payments")

CENT = Decimal("0.01")
RELEASE_BATCH = 500
REFUND_RETRY_AFTER = timedelta(minutes=2)  # a refund claimed this long ago and not finished is retried
REFUND_TASK = "bookings_app.tasks.send_refund"


class PaymentError(BookingError):
    default_message = _("This payment could not be made.")


class RefundRefused(PaymentError):
    default_message = _("This refund is not possible.")


# --- What is owed online ---------------------------------------------------------------------


def deposit_for(service, price: Decimal) -> Decimal:
    if service.deposit_amount is not None:
        return min(service.deposit_amount, price)
    percent = Decimal(service.deposit_percent or 0)
    return (price * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def online_amount_due(booking: Booking) -> Decimal:
    """What the client pays online now: the policy's share, after a gift card paid its part."""
    service = booking.service
    rest = max(booking.price - booking.prepaid_amount, Decimal("0.00"))
    if service.payment_policy == PaymentPolicy.FULL:
        return rest
    if service.payment_policy == PaymentPolicy.DEPOSIT:
        return min(deposit_for(service, booking.price), rest)
    return Decimal("0.00")


def hold_deadline(*, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + Business.current().payment_hold


def hold_for(service, *, now: datetime | None = None) -> datetime | None:
    """Until when a new booking of ``service`` is held for its online payment; None when it takes none."""
    return hold_deadline(now=now) if service.takes_online_payment else None


# --- Checkout --------------------------------------------------------------------------------


def start_payment(*, booking: Booking, provider_name: str, now: datetime | None = None) -> Payment | None:
    """For a just-held ``booking`` (inside its transaction, after a gift card paid its part):
    the pending Payment for what is owed online, or None when nothing is (the booking is then
    confirmed at once)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("service", "session")
            .get(pk=booking.pk)
        )
        if booking.status != BookingStatus.AWAITING_PAYMENT:
            return booking.payments.filter(status=PaymentStatus.PENDING).first()
        due = online_amount_due(booking)
        if due <= 0:
            _confirm(booking, now=now)
            return None
        pending = booking.payments.filter(status=PaymentStatus.PENDING).first()
        if pending is not None:
            return pending
        return Payment.objects.create(
            booking=booking,
            amount=due,
            currency=Business.current().currency.upper(),
            provider=provider_name,
            created_at=now,
        )


def open_checkout(*, payment: Payment, success_url: str, cancel_url: str) -> str:
    """Ask the provider for its checkout page (outside any transaction); its address.

    A payment whose checkout is already open gives its address again. Raises PaymentError when
    the provider refuses: the place is then given back at once."""
    payment = Payment.objects.select_related("booking__service", "booking__client").get(pk=payment.pk)
    if payment.checkout_url:
        return payment.checkout_url
    try:
        checkout = provider(payment.provider).create_checkout(
            payment, success_url=success_url, cancel_url=cancel_url
        )
    except ProviderError as error:
        if payment.booking_id is None:  # an order's payment: the client may try again
            Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
                status=PaymentStatus.ABANDONED
            )
        else:
            release_hold(booking_id=payment.booking_id, reason="provider_refused")
        raise PaymentError(error.message) from error
    Payment.objects.filter(pk=payment.pk, provider_reference="").update(
        provider_reference=checkout.reference, checkout_url=checkout.url
    )
    payment.refresh_from_db(fields=["provider_reference", "checkout_url"])
    return payment.checkout_url


def accept_offer_and_pay(*, entry, provider_name: str, now: datetime | None = None) -> Booking:
    """A waitlist offer accepted (``services.waitlist.accept_offer``) and, for a service paid
    online, its payment started, in one transaction: the seat the offer held becomes a held
    booking, and the caller opens the checkout as after booking."""
    with transaction.atomic():
        booking = accept_offer(entry=entry, now=now)
        if booking.status == BookingStatus.AWAITING_PAYMENT:
            start_payment(booking=booking, provider_name=provider_name, now=now)
            booking.refresh_from_db()
    return booking


def retry_payment(*, booking: Booking, provider_name: str, now: datetime | None = None) -> Payment:
    """After a declined payment, while the place is still held: a new payment to try again.

    Raises PaymentError when the hold ran out (or the booking is no longer waiting)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.AWAITING_PAYMENT or booking.hold_until <= now:
            raise PaymentError(_("Your place is no longer held. Please book again."))
        payment = start_payment(booking=booking, provider_name=provider_name, now=now)
        if payment is None:
            raise PaymentError(_("Nothing is left to pay online."))
        return payment


# --- Confirming and releasing --------------------------------------------------------------


def _confirm(booking: Booking, *, now: datetime) -> bool:
    """The held (locked) ``booking`` becomes confirmed and is announced once; False if it was not held."""
    if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.AWAITING_PAYMENT).update(
        status=BookingStatus.CONFIRMED, sequence=F("sequence") + 1
    ):
        return False
    # The held place shows in the team's feeds as awaiting payment: no longer.
    Session.objects.filter(pk=booking.session_id).update(sequence=F("sequence") + 1)
    booking.refresh_from_db()
    announce_confirmed(booking, now=now)
    return True


def release_hold(
    *, booking_id: int, reason: str, now: datetime | None = None, expired_only: bool = False
) -> bool:
    """Give back the place of a booking still awaiting payment; False when it was not (any more).

    The conditional UPDATE on its status decides: a payment confirming it at the same time
    holds the booking's row, and whichever commits first wins. The seat (or the appointment's
    session) is freed, open payments are marked abandoned, and the event
    ``booking.hold_released`` lets loyalty give a gift card's part back to the card."""
    now = now or timezone.now()
    with transaction.atomic():
        held = Booking.objects.filter(pk=booking_id, status=BookingStatus.AWAITING_PAYMENT)
        if expired_only:
            held = held.filter(hold_until__lte=now)
        if not held.update(status=BookingStatus.RELEASED, cancelled_at=now, sequence=F("sequence") + 1):
            return False
        booking = Booking.objects.select_related("session", "service").get(pk=booking_id)
        _free_place(booking)
        Payment.objects.filter(booking_id=booking_id, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.ABANDONED
        )
        give_back_use(booking=booking, now=now)
        record_event(
            EventKind.BOOKING_HOLD_RELEASED, booking=booking, payload={"reason": reason}, actor=Actor.SYSTEM
        )
    return True


def _free_place(booking: Booking) -> None:
    if booking.service.kind == ServiceKind.APPOINTMENT:
        Session.objects.filter(pk=booking.session_id).update(
            status=SessionStatus.CANCELLED, seats_taken=0, sequence=F("sequence") + 1
        )
        appointment_freed(booking=booking)  # a client waiting for an earlier time is told
    else:
        Session.objects.filter(pk=booking.session_id, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1, sequence=F("sequence") + 1
        )
        fill_freed_seats(session_id=booking.session_id)  # the waitlist takes it in this transaction


def release_expired_holds(*, now: datetime | None = None) -> int:
    """Beat, every minute: release the holds whose time ran out; returns how many."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(status=BookingStatus.AWAITING_PAYMENT, hold_until__lte=now)
        .order_by("hold_until")
        .values_list("pk", flat=True)[:RELEASE_BATCH]
    )
    return sum(release_hold(booking_id=pk, reason="expired", now=now, expired_only=True) for pk in ids)


def _take_place_again(booking: Booking) -> bool:
    """A released booking paid late: take its place again if it is still free."""
    session = booking.session
    if booking.service.kind == ServiceKind.APPOINTMENT:
        StaffMember.objects.select_for_update().filter(pk=session.staff_id).first()
        clash = Session.objects.filter(
            availability.blocking_sessions(),
            staff_id=session.staff_id,
            blocked_start__lt=session.blocked_end,
            blocked_end__gt=session.blocked_start,
        ).exclude(pk=session.pk)
        if clash.exists():
            return False
        try:
            with transaction.atomic():
                return bool(
                    Session.objects.filter(pk=session.pk, status=SessionStatus.CANCELLED).update(
                        status=SessionStatus.SCHEDULED, seats_taken=1, sequence=F("sequence") + 1
                    )
                )
        except IntegrityError:  # session_staff_no_overlap on PostgreSQL
            return False
    return bool(
        Session.objects.filter(
            pk=session.pk, status=SessionStatus.SCHEDULED, seats_taken__lt=F("capacity")
        ).update(seats_taken=F("seats_taken") + 1, sequence=F("sequence") + 1)
    )


def _reconfirm_released(booking: Booking, *, now: datetime) -> bool:
    if booking.session.start <= now:
        return False
    try:
        with transaction.atomic():
            if not _take_place_again(booking):
                return False
            if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.RELEASED).update(
                status=BookingStatus.CONFIRMED, cancelled_at=None, sequence=F("sequence") + 1
            ):
                raise IntegrityError("released booking changed")
            take_use_again(booking=booking)
    except IntegrityError:  # the client booked this session again meanwhile (one live booking each)
        return False
    booking.refresh_from_db()
    announce_confirmed(booking, now=now)
    return True


# --- Provider events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: str  # what happened, for the log and the webhook's answer
    payment_id: int | None = None


def process_provider_event(event: ProviderEvent, *, now: datetime | None = None) -> Outcome:
    """Process a verified provider event once; a replay changes nothing (``duplicate``).

    ``paid``: the charge is entered (once per payment), then the held booking confirmed; a
    booking released meanwhile takes its place again if it is free, else the payment is
    refunded automatically. An amount or currency that is not what is owed confirms nothing.
    ``failed``: the payment is declined, the place stays held for another try.
    ``abandoned``: the place is given back now.
    """
    now = now or timezone.now()
    refund_ids: list[int] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ProcessedProviderEvent.objects.create(
                    provider=event.provider, event_id=event.event_id, kind=event.raw_kind, received_at=now
                )
        except IntegrityError:
            return Outcome("duplicate")
        found = Payment.objects.filter(provider=event.provider, provider_reference=event.reference).first()
        if found is not None and found.booking_id is None and event.kind in (PAID, FAILED, ABANDONED):
            outcome = Outcome(*process_purpose_event(found, event, now=now, refund_ids=refund_ids))
        elif found is None or event.kind not in (PAID, FAILED, ABANDONED):
            outcome = Outcome(
                "ignored" if found is None or event.kind not in (PAID, FAILED, ABANDONED) else ""
            )
        else:
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("service", "session", "client")
                .get(pk=found.booking_id)
            )
            payment = Payment.objects.select_for_update().get(pk=found.pk)
            if event.kind == PAID:
                outcome = _paid(payment, booking, event, now=now, refund_ids=refund_ids)
            else:
                outcome = _unpaid(payment, booking, event, now=now)
        ProcessedProviderEvent.objects.filter(pk=record.pk).update(outcome=outcome.code)
    for refund_id in refund_ids:
        after_commit(REFUND_TASK, refund_id)
    log.info("payment event %s %s (%s): %s", event.provider, event.event_id, event.raw_kind, outcome.code)
    return outcome


def _paid(payment: Payment, booking: Booking, event: ProviderEvent, *, now, refund_ids) -> Outcome:
    if event.amount != payment.amount or event.currency.upper() != payment.currency.upper():
        log.warning(
            "payment %s: provider says %s %s was paid, %s %s is owed; not confirmed",
            payment.pk,
            event.amount,
            event.currency,
            payment.amount,
            payment.currency,
        )
        return Outcome("amount_mismatch", payment.pk)
    if payment.status in CHARGED_STATUSES:
        return Outcome("already_paid", payment.pk)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.PAID,
        paid_at=now,
        provider_payment_reference=event.payment_reference or payment.provider_payment_reference,
    )
    entry = PaymentLedgerEntry.objects.create(
        payment=payment,
        booking=booking,
        kind=LedgerKind.CHARGE,
        amount=payment.amount,
        currency=payment.currency,
        provider=payment.provider,
        provider_reference=event.payment_reference or payment.provider_reference,
        at=now,
    )
    _announce(EventKind.PAYMENT_RECEIVED, payment, booking, key=f"payment.received:{payment.pk}", now=now)
    after_commit(FEE_TASK, payment.pk)  # the provider's fee, asked once the charge is committed
    outcome = _place_paid_booking(payment, booking, now=now, refund_ids=refund_ids)
    issue_receipt(entry=entry, now=now)  # last: the receipt counter stays locked until commit
    return outcome


def _place_paid_booking(payment: Payment, booking: Booking, *, now, refund_ids) -> Outcome:
    if booking.status == BookingStatus.AWAITING_PAYMENT:
        _count_payment(booking, payment)
        _confirm(booking, now=now)
        return Outcome("confirmed", payment.pk)
    if booking.status == BookingStatus.RELEASED and _reconfirm_released(booking, now=now):
        _count_payment(booking, payment)
        return Outcome("confirmed_late", payment.pk)
    payment.refresh_from_db()
    refund = _ask_refund(payment, amount=payment.amount, reason=RefundReason.LATE_PAYMENT, by=None)
    refund_ids.append(refund.pk)
    return Outcome("refunding", payment.pk)


def _count_payment(booking: Booking, payment: Payment) -> None:
    record_prepayment(booking=booking, amount=payment.amount, method=PaymentMethod.ONLINE)


def _unpaid(payment: Payment, booking: Booking, event: ProviderEvent, *, now) -> Outcome:
    status = PaymentStatus.FAILED if event.kind == FAILED else PaymentStatus.ABANDONED
    if not Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(status=status):
        return Outcome("already_closed", payment.pk)
    if event.kind == ABANDONED:
        release_hold(booking_id=booking.pk, reason="abandoned", now=now)
        return Outcome("released", payment.pk)
    _announce(EventKind.PAYMENT_FAILED, payment, booking, key=f"payment.failed:{payment.pk}", now=now)
    return Outcome("declined", payment.pk)


def _announce(kind: str, payment: Payment, booking: Booking, *, key: str, now: datetime, **extra) -> None:
    """The outbox event of money moving (or failing to), in the caller's transaction; its
    ``key`` makes it exist once whatever retries."""
    payload = {
        "payment_id": payment.pk,
        "amount": str(extra.pop("amount", payment.amount)),
        "currency": payment.currency,
        "provider": payment.provider,
        **extra,
    }
    record_event(kind, booking=booking, payload=payload, key=key, occurred_at=now, actor=Actor.SYSTEM)


# --- Refunds ---------------------------------------------------------------------------------


def _reserved(payment: Payment) -> Decimal:
    """What refunds already took or may still take from ``payment`` (all but the succeeded ones
    are counted in ``refunded_amount`` once they succeed)."""
    open_refunds = payment.refunds.exclude(status=RefundStatus.SUCCEEDED).aggregate(total=Sum("amount"))
    return payment.refunded_amount + (open_refunds["total"] or Decimal("0.00"))


def _ask_refund(payment: Payment, *, amount: Decimal, reason: str, by) -> PaymentRefund:
    """The refund row, inside the caller's transaction with the payment locked."""
    if payment.status not in CHARGED_STATUSES:
        raise RefundRefused(_("Only a payment that was taken can be refunded."))
    if amount <= 0 or amount > payment.amount - _reserved(payment):
        raise RefundRefused(
            _("At most %(amount)s %(currency)s can still be refunded.")
            % {
                "amount": max(payment.amount - _reserved(payment), Decimal("0.00")),
                "currency": payment.currency,
            }
        )
    return PaymentRefund.objects.create(payment=payment, amount=amount, reason=reason, requested_by=by)


def request_refund(
    *, payment: Payment, amount: Decimal, by=None, reason: str = RefundReason.OWNER
) -> PaymentRefund:
    """Ask for ``amount`` of ``payment`` back; the provider is called by ``send_refund``.

    Raises RefundRefused for nothing to refund, or more than is left."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    with transaction.atomic():
        Booking.objects.select_for_update().filter(pk=payment.booking_id).first()
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        return _ask_refund(payment, amount=amount, reason=reason, by=by)


def send_refund(*, refund_id: int, now: datetime | None = None) -> PaymentRefund:
    """Ask the provider for a pending refund (outside any transaction) and record the answer.

    Claimed by a conditional UPDATE, so two workers never ask twice at once; a claim left by a
    dead worker is taken again after ``REFUND_RETRY_AFTER`` (the provider's idempotency key
    per attempt keeps a retry from refunding twice)."""
    now = now or timezone.now()
    claimed = (
        PaymentRefund.objects.filter(pk=refund_id, status=RefundStatus.PENDING)
        .filter(Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - REFUND_RETRY_AFTER))
        .update(attempted_at=now, attempts=F("attempts") + 1)
    )
    refund = PaymentRefund.objects.select_related("payment").get(pk=refund_id)
    if not claimed:
        return refund
    payment = refund.payment
    try:
        reference = provider(payment.provider).refund(payment, refund)
    except ProviderError as error:
        PaymentRefund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, error=str(error.message)[:500]
        )
        log.warning("refund %s of payment %s failed: %s", refund.pk, payment.pk, error.message)
        refund.refresh_from_db()
        return refund
    _refund_succeeded(refund_id=refund.pk, reference=reference, now=now)
    refund.refresh_from_db()
    return refund


def _refund_succeeded(*, refund_id: int, reference: str, now: datetime) -> None:
    with transaction.atomic():
        refund = PaymentRefund.objects.select_related("payment").get(pk=refund_id)
        Booking.objects.select_for_update().filter(pk=refund.payment.booking_id).first()
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        if not PaymentRefund.objects.filter(pk=refund_id, status=RefundStatus.PENDING).update(
            status=RefundStatus.SUCCEEDED, completed_at=now, provider_reference=reference, error=""
        ):
            return
        entry = PaymentLedgerEntry.objects.create(
            payment=payment,
            booking_id=payment.booking_id,
            refund=refund,
            kind=LedgerKind.REFUND,
            amount=refund.amount,
            currency=payment.currency,
            provider=payment.provider,
            provider_reference=reference,
            at=now,
        )
        refunded = payment.refunded_amount + refund.amount
        Payment.objects.filter(pk=payment.pk).update(
            refunded_amount=refunded,
            status=PaymentStatus.REFUNDED if refunded >= payment.amount else PaymentStatus.PARTLY_REFUNDED,
        )
        if payment.booking_id is None:
            purpose = purpose_of(payment)
            if purpose is not None and purpose.refunded is not None:
                purpose.refunded(payment, now)  # what was sold is taken back with the money
            issue_receipt(entry=entry, now=now)
            return
        booking = Booking.objects.select_related("client", "service", "session").get(pk=payment.booking_id)
        if booking.prepaid_amount >= refund.amount:
            record_prepayment_refund(booking=booking, amount=refund.amount)
        _announce(
            EventKind.REFUND_ISSUED,
            payment,
            booking,
            key=f"payment.refunded:{refund.pk}",
            now=now,
            amount=refund.amount,
            refund_id=refund.pk,
            reason=refund.reason,
        )
        issue_receipt(entry=entry, now=now)  # last: the credit note counter stays locked until commit


def retry_refund(*, refund: PaymentRefund, now: datetime | None = None) -> PaymentRefund:
    """A failed refund asked again (the owner's "Try again")."""
    if not PaymentRefund.objects.filter(pk=refund.pk, status=RefundStatus.FAILED).update(
        status=RefundStatus.PENDING, attempted_at=None
    ):
        raise RefundRefused(_("This refund is not waiting to be tried again."))
    return send_refund(refund_id=refund.pk, now=now)


def send_pending_refunds(*, now: datetime | None = None) -> int:
    """The sweep (beat, every minute): pending refunds whose task was lost."""
    now = now or timezone.now()
    ids = list(
        PaymentRefund.objects.filter(status=RefundStatus.PENDING)
        .filter(
            Q(attempted_at__isnull=True, created_at__lt=now - timedelta(seconds=30))
            | Q(attempted_at__lt=now - REFUND_RETRY_AFTER)
        )
        .values_list("pk", flat=True)[:100]
    )
    for refund_id in ids:
        send_refund(refund_id=refund_id, now=now)
    return len(ids)


def refund_for_cancellation(*, booking: Booking, by_client: bool) -> list[PaymentRefund]:
    """What a cancelled booking's online payments give back: everything when the team
    cancels; the service's policy (full, deposit kept, none) when the client does. Money taken
    at the desk is not refunded here: the owner gives it back by hand from the booking's page."""
    policy = booking.service.refund_policy if by_client else RefundPolicy.FULL
    refunds = []
    with transaction.atomic():
        Booking.objects.select_for_update().filter(pk=booking.pk).first()
        for payment in (
            Payment.objects.select_for_update()
            .filter(booking=booking, status__in=CHARGED_STATUSES)
            .exclude(provider__in=IN_PERSON_PROVIDERS)  # money taken at the desk is given back there
        ):
            left = _policy_refund(payment, booking, policy)
            if left > 0:
                refunds.append(_ask_refund(payment, amount=left, reason=RefundReason.CANCELLED, by=None))
        for refund in refunds:
            after_commit(REFUND_TASK, refund.pk)
    return refunds


def _policy_refund(payment: Payment, booking: Booking, policy: str) -> Decimal:
    """What ``policy`` gives back of ``payment`` (what refunds have not taken already)."""
    left = payment.amount - _reserved(payment)
    if policy == RefundPolicy.NONE:
        return Decimal("0.00")
    if policy == RefundPolicy.DEPOSIT_KEPT:
        keep = deposit_for(booking.service, booking.price)
        left = min(left, max(payment.amount - keep, Decimal("0.00")))
    return max(left, Decimal("0.00"))


def refund_if_client_cancels(booking: Booking) -> tuple[Decimal, Decimal]:
    """(paid online, given back) were the client to cancel now: what the cancel page tells. Reads only."""
    paid = given = Decimal("0.00")
    online = Payment.objects.filter(booking=booking, status__in=CHARGED_STATUSES).exclude(
        provider__in=IN_PERSON_PROVIDERS
    )
    for payment in online:
        paid += payment.amount - payment.refunded_amount
        given += _policy_refund(payment, booking, booking.service.refund_policy)
    return paid, given
