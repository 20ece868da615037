"""Discount codes as the owner's list shows them, and the discount a booking got (receipts read it)."""

from django.db.models import Prefetch, QuerySet

from ..models import Booking, DiscountCode, DiscountRedemption, Service


def discount_codes_for_list(*, q: str = "", archived: bool = False) -> QuerySet[DiscountCode]:
    """Codes matching ``q`` (part of the code), newest first, with their services in one query."""
    codes = DiscountCode.objects.filter(archived_at__isnull=not archived)
    if q:
        codes = codes.filter(code__icontains=q.strip())
    return codes.prefetch_related(Prefetch("services", queryset=Service.objects.order_by("name")))


def discount_of(booking: Booking) -> DiscountRedemption | None:
    """The code ``booking`` used and what it took off (``code``, ``amount``, ``currency``,
    ``price_before``), or None. ``booking.price`` is already the price after it."""
    return DiscountRedemption.objects.filter(booking_id=booking.pk).first()
