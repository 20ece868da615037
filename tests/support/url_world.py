"""The URL walk's world: two clients who must never see each other's things, the team, and one
of every object a URL can name (tests/security, and the accessibility walk in tests/e2e).

Every object a URL points at belongs to Bob (client B); Alice (client A) is the neighbour who
tries Bob's ids.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from automations.models import Automation, Task
from automations.unsubscribe import unsubscribe_token
from bookings_app.models import (
    Booking,
    Client,
    DateOverride,
    EarlierTimeNotice,
    EarlierTimeRequest,
    FeedKind,
    OutgoingEmail,
    OutsideCalendar,
    Payment,
    PaymentLedgerEntry,
    PaymentRefund,
    Plan,
    ServiceKind,
    StaffMember,
    TimeOff,
    User,
    WaitlistEntry,
)
from bookings_app.services.calendar_feeds import ensure_feed
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.discounts import create_discount_code
from bookings_app.services.plan_purchases import place_plan_order
from bookings_app.services.plans import give_plan, save_plan
from bookings_app.services.receipts import issue_receipt
from bookings_app.web import links
from bookings_app.web.earlier_time_links import notice_token
from bookings_app.web.roles import OWNER, STAFF
from loyalty.codes import new_code
from loyalty.models import GiftCard, GiftCardProduct, PointsExport, Program
from loyalty.services import adjust_points, place_gift_card_order
from tests import factories as f
from tests.factories import make_person


@dataclass
class World:
    """What the walk fills URL arguments from; ids belong to Bob unless the name says otherwise."""

    values: dict
    bob: Client
    alice: Client
    people: dict[str, User]


WALK_PEOPLE = {
    "olivia": ("olivia@studio.test", "Olivia", OWNER),
    "sam": ("sam@studio.test", "Sam", STAFF),
    "alice_user": ("alice@client.test", "Alice", None),
    "bob_user": ("bob@client.test", "Bob", None),
}


def walk_person(name: str) -> User:
    """One of the walk's people; the walk signs them in with force_login, so no password to hash."""
    email, first_name, role = WALK_PEOPLE[name]
    return make_person(email, first_name, role, password=None)


def gift_card(product: GiftCardProduct, owner: Client) -> GiftCard:
    """A card as the loyalty service stores it, without its e-mail and PDF (slow, and tested there)."""
    return GiftCard.objects.create(
        code=new_code(),
        product=product,
        initial_value=product.value,
        remaining_value=product.value,
        currency="EUR",
        expires_at=timezone.now() + timedelta(days=product.validity_days),
        owner=owner,
    )


def earlier_time_notice(booking: Booking, start) -> EarlierTimeNotice:
    """Bob waits for an earlier time and was told of one."""
    wish = EarlierTimeRequest.objects.create(
        booking=booking, client=booking.client, service=booking.service, created_at=timezone.now()
    )
    return EarlierTimeNotice.objects.create(
        request=wish,
        service=booking.service,
        staff=booking.session.staff,
        start=start,
        end=start + booking.service.duration,
        created_at=timezone.now(),
    )


def build_world(*, olivia: User, sam: User, alice_user: User, bob_user: User) -> World:
    """Nina's services, sessions, bookings, e-mails, points and cards, one of each kind a URL names."""
    f.business()
    Program.objects.update_or_create(
        pk=1,
        defaults={
            "is_enabled": True,
            "sells_gift_cards": True,
            "gift_card_min_amount": Decimal("20.00"),
            "gift_card_max_amount": Decimal("300.00"),
        },
    )
    nina = f.staff_member("Nina")
    StaffMember.objects.filter(pk=nina.pk).update(user=sam)
    massage = f.service("Massage", staff=[nina])
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5, waitlist_enabled=True)
    start = timezone.now() + timedelta(days=2)
    session = f.session(massage, nina, start)
    yoga_session = f.session(yoga, nina, start + timedelta(hours=3))
    course = f.service("Pottery", kind=ServiceKind.COURSE, staff=[nina], capacity=5)
    f.session(course, nina, start + timedelta(days=7))
    alice = f.client("Alice", user=alice_user)
    bob = f.client("Bob", user=bob_user)
    f.booking(yoga_session, alice)
    waiting = WaitlistEntry.objects.create(
        session=yoga_session, client=bob, position=1, joined_at=timezone.now()
    )
    booking = f.booking(session, bob)
    email = OutgoingEmail.objects.create(
        kind="confirmation",
        dedupe_key="walk",
        to=bob.email,
        from_email="x@y.z",
        subject="Hello",
        body_text="Hi",
        booking=booking,
        attachments=[{"filename": "a.ics", "mimetype": "text/calendar", "content": ""}],
    )
    product = GiftCardProduct.objects.create(
        name="Ten", value=Decimal("10.00"), points_price=50, sold_for_money=True
    )
    gift_order = place_gift_card_order(
        buyer=ClientDetails(email=bob.email, first_name="Bob"), product=product, provider_name="test"
    )
    adjust_points(client=bob, points=80, description="Welcome", by=olivia)
    adjust_points(client=alice, points=5, description="Hello", by=olivia)
    bob_card, alice_card = (gift_card(product, owner) for owner in (bob, alice))
    payment = Payment.objects.create(
        booking=booking,
        amount=Decimal("50.00"),
        currency="EUR",
        status="paid",
        paid_at=timezone.now(),
        provider="test",
        provider_reference="test_walk",
    )
    refund = PaymentRefund.objects.create(
        payment=payment, amount=Decimal("5.00"), status="failed", reason="owner"
    )
    receipt = issue_receipt(
        entry=PaymentLedgerEntry.objects.create(
            payment=payment,
            booking=booking,
            kind="charge",
            amount=payment.amount,
            currency="EUR",
            provider="test",
        )
    )
    values = {
        "service": massage.pk,
        "service_slug": massage.slug,
        "class_slug": yoga.slug,
        "class_session": yoga_session.pk,
        "course_slug": course.slug,
        "staff": nina.pk,
        "session": session.pk,
        "booking": booking.pk,
        "client": bob.pk,
        "email": email.pk,
        "override": DateOverride.objects.create(staff=nina, date=start.date(), start="09:00", end="12:00").pk,
        "time_off": TimeOff.objects.create(
            staff=nina, start=start + timedelta(days=3), end=start + timedelta(days=4)
        ).pk,
        "outside_calendar": OutsideCalendar.objects.create(
            staff=nina, name="Work", url="https://calendar.example/private.ics"
        ).pk,
        "label": bob.labels.create(name="VIP").pk,
        "product": product.pk,
        "gift_card": bob_card.pk,
        "alice_gift_card": alice_card.pk,
        "points_export": PointsExport.objects.create(requested_by=olivia, file_format="csv").pk,
        "task": Task.objects.create(title="Call Bob", client=bob).pk,
        "automation": Automation.objects.create(name="Welcome", trigger="client_books").pk,
        "manage_token": links.manage_token(booking),
        "waitlist_entry": waiting.pk,
        "waitlist_token": links.waitlist_token(waiting),
        "earlier_token": notice_token(earlier_time_notice(booking, start - timedelta(hours=1))),
        "unsubscribe_token": unsubscribe_token(bob),
        "payment": payment.pk,
        "payment_token": payment.token,
        "gift_order_token": gift_order.token,
        "gift_order": gift_order.pk,
        "refund": refund.pk,
        "receipt_number": receipt.display_number,
        "feed_token": ensure_feed(kind=FeedKind.CLIENT, client=bob).token,
        "feed": ensure_feed(kind=FeedKind.STAFF, staff=nina).pk,
        "discount_code": create_discount_code(code="WALK10", kind="percent", percent=Decimal("10")).pk,
        "plan": save_plan(
            services=[yoga],
            name="Ten classes",
            description="",
            credits=10,
            valid_days=90,
            valid_from="purchase",
            price=Decimal("150.00"),
            currency="EUR",
            one_per_client=False,
            no_show_forfeits=True,
        ).pk,
    }
    values["plan_order_token"] = place_plan_order(
        plan=Plan.objects.get(pk=values["plan"]), client=bob, provider_name="test"
    ).token
    values["membership"] = _bobs_membership(yoga, bob)
    people = {"olivia": olivia, "sam": sam, "alice_user": alice_user, "bob_user": bob_user}
    return World(values=values, bob=bob, alice=alice, people=people)


def _bobs_membership(yoga, bob) -> int:
    plan = save_plan(
        services=[yoga],
        kind="membership",
        name="Unlimited",
        description="",
        price=Decimal("89.00"),
        currency="EUR",
        sessions_per_period=None,
        period="week",
        notice_days=0,
    )
    return give_plan(plan=plan, client=bob).pk
