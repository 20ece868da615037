"""The demo's membership (docs/plans.md, "Memberships"): "Unlimited monthly" for yoga and pilates,
Bruno renewed through the test provider (one renewal already in his history, classes booked
with it), Karin paying at the desk, Chloé's "2 classes a week" cancelling at its period end."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ..core.errors import BookingError
from ..models import Billing, Client, ClientPlanSource, MembershipPeriod, Service, Session, TestCard
from ..services.bookings import book_class_seat
from ..services.checkout import book_and_pay
from ..services.client_matching import ClientDetails
from ..services.membership_renewals import renew_membership
from ..services.memberships import cancel_membership
from ..services.plans import give_plan, save_plan, use_credit


def seed_memberships(clients: list[Client], services: dict[str, Service]) -> int:
    """Returns how many memberships, renewals and bookings were made."""
    classes = [services["vinyasa-yoga"], services["morning-pilates"]]
    unlimited = _membership(classes, "Unlimited monthly", "Every yoga and pilates class.", None, "89.00")
    twice = _membership(classes, "2 classes a week", "Two classes each week.", 2, "59.00")
    bruno, chloe, karin = clients[1], clients[2], clients[11]
    now = timezone.now()
    renewed = give_plan(
        plan=unlimited,
        client=bruno,
        source=ClientPlanSource.SOLD,
        now=now - timedelta(days=33),
        billing=Billing.PROVIDER,
        provider="test",
        test_card=TestCard.RENEWS,
    )
    renew_membership(membership_id=renewed.pk, now=now - timedelta(minutes=5))
    give_plan(plan=unlimited, client=karin, source=ClientPlanSource.SOLD, now=now - timedelta(days=6))
    chloes = give_plan(plan=twice, client=chloe, source=ClientPlanSource.SOLD, now=now - timedelta(days=12))
    cancel_membership(membership=chloes, now=now)
    return 4 + _book_with(renewed, bruno, services["vinyasa-yoga"])


def _membership(services, name, description, sessions, price):
    return save_plan(
        services=services,
        kind="membership",
        name=name,
        description=description,
        price=Decimal(price),
        currency="EUR",
        sessions_per_period=sessions,
        period=MembershipPeriod.WEEK,
        notice_days=14,
    )


def _book_with(membership, client: Client, service: Service) -> int:
    sessions = Session.objects.filter(service=service, start__gt=timezone.now() + timedelta(days=1)).order_by(
        "start"
    )
    details = ClientDetails(
        email=client.email,
        first_name=client.first_name,
        last_name=client.last_name,
        language=client.language,
        time_zone=client.time_zone,
    )
    booked = 0
    for session in sessions[:2]:
        try:
            book_and_pay(
                book=lambda session=session: book_class_seat(session=session, details=details),
                pay=lambda bookings: use_credit(client_plan_id=membership.pk, bookings=bookings),
            )
            booked += 1
        except BookingError:
            continue
    return booked
