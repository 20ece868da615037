"""The demo's loyalty program, found by ``seed_demo`` after the booking demo: the program on,
classes and massages connected, points earned for the past visits, a few changes by hand,
gift card products (some for points), cards issued, and one partly spent on a booking.

Everything goes through the loyalty services; it runs once (the products say it did).
"""

from datetime import datetime
from decimal import Decimal

from bookings_app.models import Booking, BookingStatus, Client, Service, User

from .errors import InsufficientPoints
from .models import GiftCardProduct, Program, ServicePoints
from .services.gift_cards import buy_gift_card_with_points, issue_gift_card
from .services.points import adjust_points, credit_points_for_ended_sessions
from .services.redemptions import apply_gift_card_to_booking

POINTS_PER_VISIT = {
    "vinyasa-yoga": 10,
    "morning-pilates": 10,
    "deep-tissue-massage": 30,
    "personal-training": 20,
}
PRODUCTS = [  # name, value, points price (None: not for points)
    ("Gift card €25", "25.00", 100),
    ("Gift card €50", "50.00", 180),
    ("Gift card €100", "100.00", None),
]


def seed_demo(*, now: datetime) -> int:
    """Create the demo's loyalty data unless it exists; returns how many records were new."""
    if GiftCardProduct.objects.exists():
        return 0
    owner = User.objects.get(email="owner@rendez.test")
    program = Program.current()
    program.is_enabled = True
    program.save()
    for slug, points in POINTS_PER_VISIT.items():
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            ServicePoints.objects.get_or_create(service=service, defaults={"points": points})
    made = credit_points_for_ended_sessions(now=now)
    clients = {client.email: client for client in Client.objects.all()}
    made += _adjustments(clients, owner)
    products = [
        GiftCardProduct.objects.create(name=name, value=Decimal(value), points_price=points)
        for name, value, points in PRODUCTS
    ]
    made += len(products)
    if "alice@example.com" in clients:
        buy_gift_card_with_points(client=clients["alice@example.com"], product=products[0])
        made += 1
    made += _issued_cards(clients, products, owner)
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
