"""Writing to the ledger: the one place a balance changes, always beside its entry.

Every caller holds a transaction. The client's ``Balance`` row is locked first
(``select_for_update``), so two writers for one client queue up and each sees the other's
result; the entry records the balance it leaves. Locks are taken in one order everywhere:
balance, then gift card.
"""

from django.db import transaction

from bookings_app.models import Booking, Client, Payment, User

from ..errors import InsufficientPoints
from ..models import Balance, GiftCard, LedgerEntry


def locked_balance(client: Client) -> Balance:
    """The client's balance row, created at zero if need be, locked until the transaction ends."""
    Balance.objects.get_or_create(client=client)
    return Balance.objects.select_for_update().get(client=client)


def post_entry(
    *,
    balance: Balance,
    points: int,
    kind: str,
    description: str,
    reason: dict | None = None,
    booking: Booking | None = None,
    gift_card: GiftCard | None = None,
    by: User | None = None,
    payment: Payment | None = None,
) -> LedgerEntry:
    """Write one entry and move the locked ``balance`` by ``points`` (and its running totals).

    Raises InsufficientPoints when the balance would go below zero, and IntegrityError
    (inside a savepoint, so the caller's transaction survives) when a unique guard refuses
    the entry — a booking already credited or already reversed.
    """
    balance_after = balance.points + points
    if balance_after < 0:
        raise InsufficientPoints()
    with transaction.atomic():
        entry = LedgerEntry.objects.create(
            client_id=balance.client_id,
            points=points,
            kind=kind,
            description=description[:255],
            reason=reason or {},
            booking=booking,
            service_id=booking.service_id if booking else None,
            gift_card=gift_card,
            payment=payment,
            created_by=by,
            balance_after=balance_after,
        )
    balance.points = balance_after
    balance.entries += 1
    balance.added += max(points, 0)
    balance.deducted += max(-points, 0)
    balance.save(update_fields=["points", "entries", "added", "deducted", "updated_at"])
    return entry


def entry_exists(*, booking: Booking, kind: str) -> bool:
    return LedgerEntry.objects.filter(booking=booking, kind=kind).exists()
