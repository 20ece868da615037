"""The demo's class packs (docs/plans.md): a 10-class pack and an intro offer, two clients holding
packs, bookings paid with their credits (one cancelled in time, its credit given back), and a
walk-in today paid with a pack."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ..core.errors import BookingError
from ..models import (
    Business,
    Client,
    ClientPlan,
    ClientPlanSource,
    Service,
    Session,
    SessionStatus,
    User,
    ValidFrom,
)
from ..services.bookings import book_class_seat
from ..services.changes import cancel_booking
from ..services.checkout import book_and_pay
from ..services.client_matching import ClientDetails
from ..services.plans import give_plan, save_plan, use_credit
from ..services.walk_ins import add_walk_in


def seed_plans(clients: list[Client], services: dict[str, Service]) -> int:
    """Returns how many packs and bookings were made."""
    classes = [services["vinyasa-yoga"], services["morning-pilates"]]
    ten = save_plan(
        services=classes,
        name="10 classes",
        description="Ten yoga or pilates classes, valid four months.",
        credits=10,
        valid_days=120,
        valid_from=ValidFrom.PURCHASE,
        price=Decimal("150.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )
    save_plan(
        services=classes,
        name="Intro offer: 3 classes",
        description="For newcomers, once: three classes within a month of the first.",
        credits=3,
        valid_days=30,
        valid_from=ValidFrom.FIRST_USE,
        price=Decimal("36.00"),
        currency="EUR",
        one_per_client=True,
        no_show_forfeits=False,
    )
    alice, emma = clients[0], clients[4]
    alices = give_plan(plan=ten, client=alice, source=ClientPlanSource.SOLD)
    emmas = give_plan(plan=ten, client=emma, source=ClientPlanSource.GIVEN, note="Birthday gift")
    made = 2 + _walk_in_today_with_a_pack(emmas, classes)
    pilates = Session.objects.filter(
        service=services["morning-pilates"], start__gt=timezone.now() + timedelta(days=2)
    ).order_by("start")
    booked = []
    for session in pilates[:12]:
        if len(booked) == 3:
            break
        try:
            booked.append(
                book_and_pay(
                    book=lambda session=session: book_class_seat(session=session, details=_details(alice)),
                    pay=lambda bookings: use_credit(client_plan_id=alices.pk, bookings=bookings),
                )
            )
        except BookingError:
            continue
    if booked:
        cancel_booking(booking=booked[-1], by_client=True)  # cancelled in time: the credit comes back
    return made + len(booked)


def _walk_in_today_with_a_pack(pack: ClientPlan, classes: list[Service]) -> int:
    """Emma walks in to today's first class with a seat for her, with her pack (the tablet shows
    it on her row), if the demo has one; returns 1 if she did."""
    tz = Business.current().tz
    today = timezone.localdate(timezone=tz)
    start = datetime.combine(today, time.min, tzinfo=tz)
    sessions = (
        Session.objects.filter(service__in=classes, status=SessionStatus.SCHEDULED)
        .filter(start__gte=start, start__lt=start + timedelta(days=1))
        .select_related("service")
        .order_by("start")
    )
    owner = User.objects.get(email="owner@rendez.test")
    for session in sessions:
        try:
            add_walk_in(session=session, client=pack.client, client_plan_id=pack.pk, by=owner)
        except BookingError:  # full, or she is booked in it already
            continue
        return 1
    return 0


def _details(client: Client) -> ClientDetails:
    return ClientDetails(
        email=client.email,
        first_name=client.first_name,
        last_name=client.last_name,
        language=client.language,
        time_zone=client.time_zone,
    )
