"""The gift cards the owner offers, and cards issued by hand to a client or an e-mail address."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bookings_app.models import Business, Client, User
from bookings_app.services.client_matching import ClientDetails, find_or_create_client

from ..errors import InvalidAmount
from ..models import GiftCard, GiftCardProduct
from .gift_cards import _valid_value, issue_gift_card

NO_FREE_CARDS = _(
    "A points price must be at least 1 point. Leave it empty if the card cannot be bought with points."
)


def save_gift_card_product(
    *,
    product: GiftCardProduct | None = None,
    name: str,
    description: str = "",
    value: Decimal,
    validity_days: int,
    is_active: bool = True,
    points_price: int | None = None,
    sold_for_money: bool = False,
) -> GiftCardProduct:
    """Create (no ``product``) or update a product.

    ``points_price`` None means clients cannot buy it with points; zero or less is refused
    (InvalidAmount): a card for no points would be free money. InvalidAmount too for a value
    or validity below the minimum. Cards already issued keep their value.
    """
    value = _valid_value(value)
    if isinstance(validity_days, bool) or not isinstance(validity_days, int) or validity_days < 1:
        raise InvalidAmount(_("A gift card stays valid for at least one day."))
    if points_price is not None and (isinstance(points_price, bool) or points_price < 1):
        raise InvalidAmount(NO_FREE_CARDS)
    fields = {
        "name": name.strip(),
        "description": description.strip(),
        "value": value,
        "validity_days": validity_days,
        "is_active": is_active,
        "points_price": points_price,
        "sold_for_money": sold_for_money,
    }
    with transaction.atomic():
        if product is None:
            return GiftCardProduct.objects.create(**fields)
        product = GiftCardProduct.objects.select_for_update().get(pk=product.pk)
        for field, given in fields.items():
            setattr(product, field, given)
        product.save()
    return product


def issue_gift_card_by_hand(
    *,
    by: User,
    product: GiftCardProduct | None = None,
    value: Decimal | None = None,
    validity_days: int | None = None,
    client: Client | None = None,
    email: str = "",
    name: str = "",
) -> GiftCard:
    """Issue a card to ``client``, or to the client with ``email`` (created if new), e-mailed with its PDF.

    Raises InvalidAmount (see ``issue_gift_card``), and for neither a client nor an address.
    """
    if client is None and not email.strip():
        raise InvalidAmount(_("Choose a client or enter an e-mail address."))
    with transaction.atomic():
        if client is None:
            first_name = name.strip() or email.split("@")[0]
            details = ClientDetails(email=email, first_name=first_name, language=Business.current().language)
            client = find_or_create_client(details=details)
        return issue_gift_card(
            product=product, value=value, client=client, by=by, validity_days=validity_days
        )
