"""Gift cards sold for money as tests drive them: an order, its checkout opened at the test
provider, and the provider's signed events (tests/loyalty/gift_sales, tests/e2e)."""

from datetime import date
from decimal import Decimal

from bookings_app.models import Payment
from bookings_app.services import payments
from bookings_app.services.client_matching import ClientDetails
from loyalty.models import GIFT_CARD_ORDER, GiftCardOrder
from loyalty.services import Gift, place_gift_card_order


def open_payment(order: GiftCardOrder) -> Payment:
    """The order's latest payment, its test checkout opened (as the buy page does)."""
    payment = Payment.objects.filter(purpose=GIFT_CARD_ORDER, purpose_key=order.token).order_by("-pk").first()
    payments.open_checkout(payment=payment, success_url="/ok", cancel_url="/no")
    payment.refresh_from_db()
    return payment


def order_card(
    email: str = "carla@example.test",
    *,
    product=None,
    amount: Decimal | None = None,
    gift_to: str = "",
    deliver_on: date | None = None,
    message: str = "",
) -> tuple[GiftCardOrder, Payment]:
    """Carla orders a card (a product, or an amount), for herself or as a gift."""
    gift = None
    if gift_to:
        gift = Gift(
            recipient_name="Dan Levi", recipient_email=gift_to, message=message, deliver_on=deliver_on
        )
    order = place_gift_card_order(
        buyer=ClientDetails(email=email, first_name="Carla", last_name="Diaz"),
        product=product,
        amount=amount,
        gift=gift,
        provider_name="test",
    )
    return order, open_payment(order)
