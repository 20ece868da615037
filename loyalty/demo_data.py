"""The demo's loyalty program, found by ``seed_demo`` after the booking demo: the program on,
classes and massages connected, points earned for the past visits, a few changes by hand,
gift card products (some for points, some sold online), cards issued, one partly spent on a
booking, and one sold online as a gift.

Everything goes through the loyalty services; it runs once (the products say it did).
"""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from bookings_app.models import Booking, BookingStatus, Business, Client, Payment, Service, User
from bookings_app.payments import provider
from bookings_app.payments.testing import event_body, sign
from bookings_app.services import payments
from bookings_app.services.client_matching import ClientDetails

from .errors import InsufficientPoints
from .models import GIFT_CARD_ORDER, GiftCardProduct, Program, ServicePoints
from .services.gift_card_orders import Gift, place_gift_card_order
from .services.gift_card_refunds import refund_sold_gift_card
from .services.gift_cards import buy_gift_card_with_points, issue_gift_card
from .services.points import adjust_points, credit_points_for_ended_sessions
from .services.redemptions import apply_gift_card_to_booking

DEMO_PROVIDER = "test"  # the demo's sold card was paid on the test provider's page
POINTS_PER_VISIT = {
    "vinyasa-yoga": 10,
    "morning-pilates": 10,
    "deep-tissue-massage": 30,
    "personal-training": 20,
}
PRODUCTS = [  # name, value, points price (None: not for points), sold online for its value
    ("Gift card €25", "25.00", 100, False),
    ("Gift card €50", "50.00", 180, True),
    ("Gift card €100", "100.00", None, True),
]


def seed_demo(*, now: datetime) -> int:
    """Create the demo's loyalty data unless it exists; returns how many records were new."""
    if GiftCardProduct.objects.exists():
        return 0
    owner = User.objects.get(email="owner@rendez.test")
    program = Program.current()
    program.is_enabled = True
    program.sells_gift_cards = True
    program.gift_card_min_amount, program.gift_card_max_amount = Decimal("20.00"), Decimal("300.00")
    program.save()
    for slug, points in POINTS_PER_VISIT.items():
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            ServicePoints.objects.get_or_create(service=service, defaults={"points": points})
    made = credit_points_for_ended_sessions(now=now)
    clients = {client.email: client for client in Client.objects.all()}
    made += _adjustments(clients, owner)
    products = [
        GiftCardProduct.objects.create(
            name=name, value=Decimal(value), points_price=points, sold_for_money=online
        )
        for name, value, points, online in PRODUCTS
    ]
    made += len(products)
    if "alice@example.com" in clients:
        buy_gift_card_with_points(client=clients["alice@example.com"], product=products[0])
        made += 1
    made += _issued_cards(clients, products, owner)
    made += _sold_online(products[1], now=now)
    made += _sold_and_refunded(products[1], now=now)
    return made


def _adjustments(clients: dict[str, Client], owner: User) -> int:
    """The owner's hand: a welcome gift, a birthday, a correction."""
    made = 0
    for email, points, description in (
        ("alice@example.com", 100, "Welcome gift for joining the loyalty program"),
        ("emma@example.com", 25, "Happy birthday from Studio Lumen"),
        ("bruno@example.com", -5, "Correction: a class counted twice"),
    ):
        if email in clients:
            try:
                adjust_points(client=clients[email], points=points, description=description, by=owner)
            except InsufficientPoints:  # a deduction larger than the balance: the demo goes on without it
                continue
            made += 1
    return made


def _issued_cards(clients: dict[str, Client], products: list[GiftCardProduct], owner: User) -> int:
    """A card sold at the desk to Emma, partly spent on her next massage; one bought for a friend."""
    issue_gift_card(value=Decimal("40.00"), client=None, by=owner)
    emma = clients.get("emma@example.com")
    if emma is None:
        return 1
    card = issue_gift_card(product=products[2], client=emma, by=owner)
    booking = (
        Booking.objects.filter(client=emma, status=BookingStatus.CONFIRMED, paid_at__isnull=True, price__gt=0)
        .order_by("session__start")
        .last()
    )
    if booking is not None:
        apply_gift_card_to_booking(booking=booking, code=card.code)
    return 2


def _sold_and_refunded(product: GiftCardProduct, *, now: datetime) -> int:
    """Henry buys the €50 card for himself, then changes his mind: the owner refunds it unused,
    through the test provider, and the card is voided (its receipt and credit note issued)."""
    order = place_gift_card_order(
        buyer=ClientDetails(email="henry@example.com", first_name="Henry", last_name="Ford"),
        product=product,
        provider_name=DEMO_PROVIDER,
        now=now,
    )
    _pay(order)
    order.refresh_from_db()
    payments.send_refund(refund_id=refund_sold_gift_card(order=order).pk)
    return 1


def _pay(order) -> None:
    """The buyer presses Pay on the test page: its signed event, through the webhook's processing."""
    payment = Payment.objects.get(purpose=GIFT_CARD_ORDER, purpose_key=order.token)
    payments.open_checkout(payment=payment, success_url="/", cancel_url="/")
    payment.refresh_from_db()
    body = event_body(
        kind="payment.succeeded",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
    )
    payments.process_provider_event(
        provider(DEMO_PROVIDER).parse_webhook(body, {"Rendez-Signature": sign(body)})
    )


def _sold_online(product: GiftCardProduct, *, now: datetime) -> int:
    """A card sold on the public page: Grace buys the €50 card as a gift for her sister, paid with
    the test provider (its signed event through the webhook's processing), e-mailed today."""
    order = place_gift_card_order(
        buyer=ClientDetails(email="grace@example.com", first_name="Grace", last_name="Hopper"),
        product=product,
        gift=Gift(
            recipient_name="Rose Hopper",
            recipient_email="rose@example.com",
            message="Happy birthday! Treat yourself to a massage.",
            deliver_on=timezone.localtime(now, Business.current().tz).date(),
        ),
        provider_name=DEMO_PROVIDER,
        now=now,
    )
    _pay(order)
    return 1
