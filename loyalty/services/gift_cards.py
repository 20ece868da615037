"""Issuing gift cards: bought with points by a client, or issued by hand by the owner.

Buying takes the client's balance lock, writes the "redeemed" entry and creates the card in
one transaction, so the points and the card exist together or not at all. A repeated
``request_key`` (a double click, a browser retry) returns the card the first one bought.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bookings_app.core.events import record_event
from bookings_app.mail.recipients import language_for
from bookings_app.models import Actor, Business, Client, User

from ..codes import new_code
from ..entry_wording import gift_card_reason
from ..errors import InsufficientPoints, InvalidAmount, LoyaltyDisabled, LoyaltyError, NotForSale
from ..events import GIFT_CARD_ISSUED
from ..models import EntryKind, GiftCard, GiftCardProduct, Program
from ..notifications import queue_gift_card
from .ledger import locked_balance, post_entry

DEFAULT_VALIDITY_DAYS = 365
CODE_ATTEMPTS = 5  # 80 random bits: a second attempt is already a curiosity


def buy_gift_card_with_points(
    *, client: Client, product: GiftCardProduct, request_key: str | None = None
) -> GiftCard:
    """Exchange the product's points price for a new card owned by ``client``, e-mailed with its PDF.

    Raises LoyaltyDisabled, NotForSale (inactive, or no points price), InsufficientPoints;
    the balance and the ledger are unchanged when it raises.
    """
    if not Program.current().is_enabled:
        raise LoyaltyDisabled()
    if request_key and (earlier := _card_for_request(client, request_key)):
        return earlier
    with transaction.atomic():
        product = GiftCardProduct.objects.get(pk=product.pk)  # the price and switch as they are now
        if not product.sold_for_points:
            raise NotForSale()
        balance = locked_balance(client)
        if request_key and (earlier := _card_for_request(client, request_key)):
            return earlier  # the first click committed while this one waited for the lock
        if balance.points < product.points_price:
            raise InsufficientPoints(
                _("This gift card costs %(price)d points; you have %(balance)d.")
                % {
                    "price": product.points_price,
                    "balance": balance.points,
                }
            )
        card = _create_card(
            product=product,
            value=product.value,
            validity_days=product.validity_days,
            owner=client,
            by=None,
            request_key=request_key,
        )
        with translation.override(language_for(client, Business.current())):
            description = _("Gift card: %(name)s") % {"name": product.name}
        post_entry(
            balance=balance,
            points=-product.points_price,
            kind=EntryKind.REDEEMED,
            gift_card=card,
            description=description,
            reason=gift_card_reason(product),
        )
        _announce(card)
    return card


def issue_gift_card(
    *,
    product: GiftCardProduct | None = None,
    value: Decimal | str | None = None,
    client: Client | None = None,
    by: User | None,
    validity_days: int | None = None,
) -> GiftCard:
    """Issue a card by hand: from a product, or for a ``value`` (the product's value by default).

    With a ``client`` the card is theirs and e-mailed to them. Raises InvalidAmount for a
    missing, zero, negative or malformed value or validity.
    """
    card_value = _valid_value(value if value is not None else (product.value if product else None))
    validity = validity_days or (product.validity_days if product else DEFAULT_VALIDITY_DAYS)
    if isinstance(validity, bool) or not isinstance(validity, int) or validity < 1:
        raise InvalidAmount(_("A gift card stays valid for at least one day."))
    with transaction.atomic():
        card = _create_card(product=product, value=card_value, validity_days=validity, owner=client, by=by)
        _announce(card)
    return card


def _valid_value(value: Decimal | str | None) -> Decimal:
    message = _("Enter a value greater than zero, such as 25 or 25.50.")
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation as e:
        raise InvalidAmount(message) from e
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidAmount(message)
    return amount


def _card_for_request(client: Client, request_key: str) -> GiftCard | None:
    return GiftCard.objects.filter(request_key=request_key, owner=client).first()


def _create_card(
    *,
    product: GiftCardProduct | None,
    value: Decimal,
    validity_days: int,
    owner: Client | None,
    by: User | None,
    request_key: str | None = None,
) -> GiftCard:
    """A new card with a fresh code, valid until midnight after its last day (business time)."""
    business = Business.current()
    now = timezone.now()
    last_day = timezone.localtime(now, business.tz).date() + timedelta(days=validity_days)
    expires_at = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=business.tz)
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return GiftCard.objects.create(
                    code=new_code(),
                    product=product,
                    initial_value=value,
                    remaining_value=value,
                    currency=business.currency,
                    expires_at=expires_at,
                    owner=owner,
                    issued_by=by,
                    request_key=request_key or None,
                    created_at=now,
                )
        except IntegrityError:
            if request_key and GiftCard.objects.filter(request_key=request_key).exists():
                raise LoyaltyError() from None  # someone else's request key: refuse rather than guess
    raise LoyaltyError()


def _announce(card: GiftCard) -> None:
    """The "gift card issued" event, and the e-mail with the PDF when the card has an owner."""
    record_event(
        GIFT_CARD_ISSUED,
        client=card.owner,
        payload={"gift_card_id": card.pk, "value": str(card.initial_value)},
        actor=Actor.TEAM if card.issued_by_id else Actor.CLIENT,
        actor_user=card.issued_by,
    )
    if card.owner is not None:
        queue_gift_card(gift_card=card, client=card.owner)
