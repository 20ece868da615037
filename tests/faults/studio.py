"""The studio the fault tests play in, and the invariants they check, run inside a Rendez
process: ``python -m tests.faults.studio <command> '<json arguments>'`` prints JSON.

It runs against the stack's database (``DATABASE_URL``), never pytest's, because the faults
stop that database; so it sets Django up itself and goes through the real services.
"""

import json
import os
import sys
from datetime import date, timedelta

import django

OWNER_EMAIL, OWNER_PASSWORD = "olivia@studio.test", "s3cret-pass!"


def setup(
    *, webhook_url: str = "", class_capacity: int = 10, seats_taken: int = 0, check_in_trigger: bool = False
) -> dict:
    """Studio Lumen: Nina, a massage (appointments), a yoga class session tomorrow-ish with
    ``seats_taken`` of ``class_capacity`` seats gone, Sam at the desk, and an automation
    that e-mails each client who books (and calls ``webhook_url``)."""
    from django.contrib.auth.models import Group

    from automations.services import create_automation
    from bookings_app.models import ServiceKind, User
    from bookings_app.web.roles import OWNER, ensure_roles
    from tests import factories as f

    f.business(name="Studio Lumen")
    nina = f.staff_member("Nina", hours={day: [("08:00", "20:00")] for day in range(7)})
    massage = f.service("Massage", staff=[nina])
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=class_capacity)
    day = f.next_weekday(2, after=date.today() + timedelta(days=2))
    session = f.session(yoga, nina, f.local(day, "18:00"))
    for n in range(seats_taken):
        f.booking(session, f.client(f"Early{n}", email=f"early{n}@client.test"))
    ensure_roles()
    olivia = User.objects.create_user(OWNER_EMAIL, OWNER_PASSWORD, first_name="Olivia")
    olivia.groups.add(Group.objects.get(name=OWNER))
    actions = [
        {
            "kind": "email_client",
            "settings": {"subject": "Welcome {client_first_name}", "body": "See you at {business_name}."},
        }
    ]
    if webhook_url:
        actions.append({"kind": "call_webhook", "settings": {"url": webhook_url}})
    automation = create_automation(name="Welcome", trigger="client_books", actions=actions)
    if check_in_trigger:
        thanks = {
            "subject": "Thank you for coming, {client_first_name}",
            "body": "See you soon at {business_name}.",
        }
        create_automation(
            name="Thanks for coming",
            trigger="check_in",
            actions=[{"kind": "email_client", "settings": thanks}],
        )
    return {
        "massage": massage.slug,
        "yoga": yoga.slug,
        "session": session.pk,
        "day": day.isoformat(),
        "webhook_secret": automation.webhook_secret,
        "automation": automation.pk,
    }


def due_runs(*, count: int, hand_over: bool = True) -> dict:
    """``count`` clients booked (events recorded and processed): ``count`` runs due now, handed
    to the workers through the broker, or (``hand_over`` false) left for beat's dispatcher."""
    from django.db import transaction

    from automations import engine
    from automations.models import Run
    from bookings_app.core.events import record_event
    from bookings_app.models import Client, EventKind

    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {n}", email=f"client{n}@load.test") for n in range(count)
    )
    with transaction.atomic():
        event_ids = [record_event(EventKind.BOOKING_CREATED, client=client).pk for client in clients]
    if not hand_over:  # as if the broker had lost them: only beat's dispatcher sends them
        engine.hand_over = lambda run_ids: None
    for event_id in event_ids:
        engine.process_event(event_id=event_id)
    if not hand_over:
        Run.objects.filter(event_id__in=event_ids).update(dispatched_at=None)
    return {"runs": Run.objects.count()}


def invariants() -> dict:
    """What must hold whatever failed: seats, overlaps, events, runs, e-mails."""
    from django.db.models import Count, Q

    from automations.models import ActionOutcome, Run
    from bookings_app.models import Booking, DomainEvent, OutgoingEmail, Session
    from bookings_app.services.event_outbox import unprocessed

    live = Q(bookings__status__in=["requested", "confirmed"])
    sessions = Session.objects.annotate(live=Count("bookings", filter=live))
    overlaps = [
        (a.pk, b.pk)
        for a in Session.objects.filter(service__kind="appointment").exclude(status="cancelled")
        for b in Session.objects.filter(
            staff=a.staff,
            service__kind="appointment",
            pk__gt=a.pk,
            blocked_start__lt=a.blocked_end,
            blocked_end__gt=a.blocked_start,
        ).exclude(status="cancelled")
        if Booking.objects.filter(session__in=[a, b], status__in=["requested", "confirmed"]).count() == 2
    ]
    return {
        "sessions": [
            {
                "id": s.pk,
                "capacity": s.capacity,
                "seats_taken": s.seats_taken,
                "live": s.live,
                "kind": s.service.kind,
            }
            for s in sessions.select_related("service")
        ],
        "overlapping_appointments": overlaps,
        "bookings": Booking.objects.count(),
        "confirmed": Booking.objects.filter(status="confirmed").count(),
        "checked_in": Booking.objects.filter(attendance="checked_in").count(),
        "bookings_without_event": Booking.objects.exclude(events__kind="booking.created").count(),
        "bookings_without_confirmation": Booking.objects.filter(status="confirmed", source="online")
        .exclude(emails__kind="confirmation")
        .count(),
        "events": DomainEvent.objects.count(),
        "events_unprocessed": unprocessed("automations").count(),
        "events_by_kind": dict(DomainEvent.objects.values_list("kind").annotate(n=Count("pk"))),
        "runs": Run.objects.count(),
        "runs_by_status": dict(Run.objects.values_list("status").annotate(n=Count("pk"))),
        "runs_per_event_max": max(
            Run.objects.values("automation", "event").annotate(n=Count("pk")).values_list("n", flat=True),
            default=0,
        ),
        "outcomes_done": ActionOutcome.objects.filter(status="done").count(),
        "emails_by_kind": dict(OutgoingEmail.objects.values_list("kind").annotate(n=Count("pk"))),
        "emails_by_status": dict(OutgoingEmail.objects.values_list("status").annotate(n=Count("pk"))),
        "automation_emails_per_client_max": max(
            OutgoingEmail.objects.filter(kind="automation")
            .values("client", "subject")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True),
            default=0,
        ),
    }


def bookings_of(*, emails: list[str]) -> dict:
    """The e-mail addresses among ``emails`` that hold a booking."""
    from bookings_app.models import Booking

    return {
        "booked": sorted(
            set(Booking.objects.filter(client__email__in=emails).values_list("client__email", flat=True))
        )
    }


def confirmed_ids() -> dict:
    from bookings_app.models import Booking

    return {
        "ids": list(
            Booking.objects.filter(status="confirmed", attendance="")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    }


COMMANDS = {
    "setup": setup,
    "due_runs": due_runs,
    "invariants": invariants,
    "bookings_of": bookings_of,
    "confirmed_ids": confirmed_ids,
}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    arguments = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    print(json.dumps(COMMANDS[sys.argv[1]](**arguments), default=str))
