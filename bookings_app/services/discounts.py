"""Discount codes: the owner's codes, and a client's use of one at checkout (docs/payments.md).

A use is counted race-free in the booking's transaction, locks in this order: the booking's
session or slot (taken by the booking itself), then the code's row (``select_for_update``),
under which the per-client limit is counted; the total limit is a conditional UPDATE
(``uses < max_uses``). A use is given back when its booking ends unpaid (a released hold, a
cancellation with nothing charged online), and taken again if a late payment brings it back.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..core.errors import BookingError, PaymentRefused
from ..models import Booking, Business, DiscountCode, DiscountKind, DiscountRedemption, Service, ServiceKind
from ..models.payments import CHARGED_STATUSES

log = logging.getLogger("rendez.payments")

CENT = Decimal("0.01")
FIELD = "discount_code"
MAX_AMOUNT = Decimal("9999999.99")


class DiscountError(BookingError):
    """The owner's code cannot be saved as given; ``field`` names the form field at fault."""

    default_message = _("This discount code cannot be saved.")

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class DiscountRefused(PaymentRefused):
    """A code the client typed does not apply; the booking is rolled back with it."""

    default_message = _("This discount code does not exist.")

    def __init__(self, message=None):
        super().__init__(message, field=FIELD)


def normalise(code: str) -> str:
    return (code or "").strip().upper()


# --- The owner's codes -------------------------------------------------------------------------


def _checked(fields: dict) -> dict:
    """The fields as stored: one of percent or amount, within bounds; raises DiscountError."""
    fields = dict(fields)
    fields["code"] = normalise(fields.get("code", ""))
    if not fields["code"] or len(fields["code"]) > 32:
        raise DiscountError(_("Enter a code of 1 to 32 characters."))
    if fields.get("kind") == DiscountKind.PERCENT:
        percent = fields.get("percent")
        if percent is None or not Decimal(0) < percent <= 100:
            raise DiscountError(_("A percentage is more than 0 and at most 100."))
        fields.update(amount=None, currency="")
    elif fields.get("kind") == DiscountKind.AMOUNT:
        amount = fields.get("amount")
        if amount is None or not Decimal(0) < amount <= MAX_AMOUNT:
            raise DiscountError(_("An amount is more than 0."))
        fields.update(percent=None, currency=Business.current().currency.upper())
    else:
        raise DiscountError(_("Choose a percentage or a fixed amount."))
    start, end = fields.get("valid_from"), fields.get("valid_until")
    if start and end and start > end:
        raise DiscountError(_("The last valid day comes before the first."))
    for limit in ("max_uses", "max_uses_per_client"):
        if fields.get(limit) is not None and fields[limit] < 1:
            raise DiscountError(_("A limit is at least 1; leave it empty for no limit."))
    return fields


def _saved(code: DiscountCode, services: Iterable[Service]) -> DiscountCode:
    try:
        with transaction.atomic():
            code.save()
    except IntegrityError as error:  # discount_code_unique_ci, or the total below the uses so far
        if DiscountCode.objects.filter(code__iexact=code.code).exclude(pk=code.pk).exists():
            raise DiscountError(
                _("Another discount code is already called “%(code)s”.") % {"code": code.code}, field="code"
            ) from error
        raise DiscountError(
            _("The total uses cannot be fewer than the uses so far."), field="max_uses"
        ) from error
    code.services.set(services)
    return code


def create_discount_code(*, services: Iterable[Service] = (), **fields) -> DiscountCode:
    """A new code (``code``, ``kind``, ``percent`` or ``amount``, dates, limits); raises DiscountError."""
    with transaction.atomic():
        return _saved(DiscountCode(**_checked(fields)), services)


def update_discount_code(
    *, discount_code: DiscountCode, services: Iterable[Service] = (), **fields
) -> DiscountCode:
    """Change a code's terms; uses already made stay. Raises DiscountError (a total below the uses so far)."""
    with transaction.atomic():
        code = DiscountCode.objects.select_for_update().get(pk=discount_code.pk)
        checked = _checked(fields)
        if checked.get("max_uses") is not None and checked["max_uses"] < code.uses:
            raise DiscountError(
                _("The total uses cannot be fewer than the uses so far (%(uses)d).") % {"uses": code.uses},
                field="max_uses",
            )
        for name, value in checked.items():
            setattr(code, name, value)
        return _saved(code, services)


def archive_discount_code(*, discount_code: DiscountCode, now: datetime | None = None) -> None:
    """Clients can no longer use it; its uses stay on their bookings."""
    DiscountCode.objects.filter(pk=discount_code.pk, archived_at__isnull=True).update(
        archived_at=now or timezone.now()
    )


def restore_discount_code(*, discount_code: DiscountCode) -> None:
    DiscountCode.objects.filter(pk=discount_code.pk).update(archived_at=None)


# --- A client's use at checkout ------------------------------------------------------------------


def discount_for(code: DiscountCode, price: Decimal) -> Decimal:
    """What ``code`` takes off ``price``: never more than the price."""
    if code.kind == DiscountKind.PERCENT:
        off = (price * code.percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        off = code.amount
    return min(off, price)


def _short(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _refuse_unusable(code: DiscountCode, booking: Booking, today: date) -> None:
    if code.is_archived:
        raise DiscountRefused(_("This discount code is no longer valid."))
    if code.valid_from and today < code.valid_from:
        raise DiscountRefused(
            _("This discount code is valid from %(day)s.") % {"day": _short(code.valid_from)}
        )
    if code.valid_until and today > code.valid_until:
        raise DiscountRefused(_("This discount code expired on %(day)s.") % {"day": _short(code.valid_until)})
    if booking.service.kind == ServiceKind.COURSE:
        raise DiscountRefused(_("Discount codes do not apply to courses."))
    if code.services.exists() and not code.services.filter(pk=booking.service_id).exists():
        raise DiscountRefused(
            _("This discount code does not apply to “%(service)s”.") % {"service": booking.service.name}
        )
    if code.kind == DiscountKind.AMOUNT and code.currency != Business.current().currency.upper():
        raise DiscountRefused(_("This discount code is in another currency."))
    if booking.price <= 0:
        raise DiscountRefused(_("This booking is free; a discount code does not apply."))


def redeem_discount(*, code: str, bookings: list[Booking], now: datetime | None = None) -> DiscountRedemption:
    """Take ``code`` off the price of the just-made booking, inside its transaction.

    The same form sent twice finds the booking's use and takes nothing more. Raises
    DiscountRefused (unknown, archived, not yet or no longer valid, not for this service,
    used up, used up by this client), which rolls the booking back.
    """
    now = now or timezone.now()
    if len(bookings) != 1:
        raise DiscountRefused(_("Discount codes do not apply to courses."))
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",)).select_related("service").get(pk=bookings[0].pk)
        )
        existing = DiscountRedemption.objects.filter(booking=booking).first()
        if existing is not None:
            return existing
        discount_code = DiscountCode.objects.select_for_update().filter(code__iexact=normalise(code)).first()
        if discount_code is None:
            raise DiscountRefused()
        _refuse_unusable(discount_code, booking, timezone.localdate(now, Business.current().tz))
        _take_use(discount_code, client_id=booking.client_id)
        off = discount_for(discount_code, booking.price)
        redemption = DiscountRedemption.objects.create(
            discount_code=discount_code,
            booking=booking,
            client_id=booking.client_id,
            code=discount_code.code,
            price_before=booking.price,
            amount=off,
            currency=Business.current().currency.upper(),
            created_at=now,
        )
        Booking.objects.filter(pk=booking.pk).update(price=F("price") - off)
        for made in bookings:
            made.refresh_from_db(fields=["price"])
    return redemption


def _take_use(discount_code: DiscountCode, *, client_id: int) -> None:
    """Count one use of the locked code: the client's limit under the lock, the total by a
    conditional UPDATE. Raises DiscountRefused when either is reached."""
    if discount_code.max_uses_per_client is not None:
        used = DiscountRedemption.objects.filter(
            discount_code=discount_code, client_id=client_id, given_back_at__isnull=True
        ).count()
        if used >= discount_code.max_uses_per_client:
            raise DiscountRefused(_("You have already used this discount code."))
    counted = DiscountCode.objects.filter(pk=discount_code.pk).filter(
        Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
    )
    if not counted.update(uses=F("uses") + 1):
        raise DiscountRefused(_("This discount code has been used up."))


def give_back_use(*, booking: Booking, now: datetime | None = None) -> bool:
    """The booking ended unpaid: its use counts no more. False when there was none (or already given back)."""
    with transaction.atomic():
        redemption = DiscountRedemption.objects.filter(
            booking_id=booking.pk, given_back_at__isnull=True
        ).first()
        if redemption is None:
            return False
        if not DiscountRedemption.objects.filter(pk=redemption.pk, given_back_at__isnull=True).update(
            given_back_at=now or timezone.now()
        ):
            return False
        DiscountCode.objects.filter(pk=redemption.discount_code_id, uses__gt=0).update(uses=F("uses") - 1)
    return True


def give_back_unless_charged(*, booking: Booking, now: datetime | None = None) -> bool:
    """A cancelled booking gives its use back unless the client paid online for it."""
    if booking.payments.filter(status__in=CHARGED_STATUSES).exists():
        return False
    return give_back_use(booking=booking, now=now)


def take_use_again(*, booking: Booking) -> None:
    """A released booking paid late takes its place again: its use counts again, once (the
    conditional UPDATE on the redemption decides, under the code's lock).

    The client paid the discounted price, so this use is counted even past the total limit
    (the one case the database's ``uses <= max_uses`` is kept by raising the limit)."""
    with transaction.atomic():
        redemption = DiscountRedemption.objects.filter(
            booking_id=booking.pk, given_back_at__isnull=False
        ).first()
        if redemption is None:
            return
        code = DiscountCode.objects.select_for_update().get(pk=redemption.discount_code_id)
        if not DiscountRedemption.objects.filter(pk=redemption.pk, given_back_at__isnull=False).update(
            given_back_at=None
        ):
            return  # counted again by another delivery of the same late payment
        if code.max_uses is not None and code.uses >= code.max_uses:
            log.warning(
                "discount code %s: a late payment took a use past its limit of %d", code.code, code.max_uses
            )
            code.max_uses = code.uses + 1
        code.uses += 1
        code.save(update_fields=["uses", "max_uses"])
