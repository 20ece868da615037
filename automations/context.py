"""What a run knows when it is due: read by conditions, e-mail variables and actions."""

from dataclasses import dataclass, field
from functools import cached_property

from bookings_app.models import (
    Booking,
    BookingStatus,
    Business,
    Client,
    ClientPlan,
    DomainEvent,
    Service,
    Session,
)

from .models import Automation, EmailOptOut, Run


@dataclass
class RunContext:
    """Loaded fresh at execution: a booking cancelled since the event shows as cancelled.

    ``facts`` are the event's payload (visit number, points, gift card) and what a scan
    recorded on the run (last visit date). ``batch`` is shared by the runs loaded together
    (``load_contexts``): what depends only on the batch's business and a language is worked out
    once there (the e-mail frames of ``email_frames``).
    """

    run: Run
    automation: Automation
    business: Business
    event: DomainEvent | None
    client: Client | None
    booking: Booking | None
    session: Session | None
    service: Service | None
    facts: dict
    batch: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def roster(self) -> list[Booking]:
        """The session's confirmed bookings with their clients, by name."""
        if self.session is None:
            return []
        return list(
            Booking.objects.filter(session=self.session, status=BookingStatus.CONFIRMED)
            .select_related("client")
            .order_by("client__first_name", "client__last_name", "pk")
        )

    @cached_property
    def client_plan(self) -> ClientPlan | None:
        """The pack a plan trigger is about (``facts["client_plan_id"]``), read fresh."""
        plan_id = self.facts.get("client_plan_id")
        if not plan_id:
            return None
        return ClientPlan.objects.select_related("plan").filter(pk=plan_id).first()

    @property
    def client_opted_out(self) -> bool:
        """Whether the client asked for no more automation e-mails (loaded with the run)."""
        try:
            return self.client is not None and self.client.automation_opt_out is not None
        except EmailOptOut.DoesNotExist:
            return False

    def as_json(self) -> dict:
        """The context as a webhook sends it."""
        client, booking, session, service = self.client, self.booking, self.session, self.service
        return {
            "client": client
            and {
                "id": client.pk,
                "first_name": client.first_name,
                "last_name": client.last_name,
                "email": client.email,
                "phone": client.phone,
            },
            "booking": booking
            and {
                "id": booking.pk,
                "code": booking.code,
                "status": booking.status,
                "attendance": booking.attendance,
                "created_at": booking.created_at.isoformat(),
            },
            "session": session
            and {
                "id": session.pk,
                "start": session.start.isoformat(),
                "end": session.end.isoformat(),
                "staff": session.staff.name,
                "status": session.status,
            },
            "service": service and {"id": service.pk, "name": service.name},
            "facts": self.facts,
        }


def load_contexts(run_ids: list[int]) -> list[RunContext]:
    """The runs, by id, with everything their automations may read: one query for the runs
    and what they point to, one for their automations' actions, one for the business —
    however many runs there are."""
    runs = (
        Run.objects.select_related(
            "automation",
            "event",
            "client__automation_opt_out",
            "booking__service",
            "session__service",
            "session__staff",
        )
        .prefetch_related("automation__actions")
        .filter(pk__in=run_ids)
        .order_by("pk")
    )
    runs = list(runs)
    business = Business.current() if runs else None
    batch: dict = {}
    return [_context(run, business, batch) for run in runs]


def _context(run: Run, business: Business, batch: dict) -> RunContext:
    booking, session, event = run.booking, run.session, run.event
    service = (
        (booking.service if booking else None)
        or (session.service if session else None)
        or (event.service if event else None)
    )
    return RunContext(
        run=run,
        automation=run.automation,
        business=business,
        event=event,
        client=run.client,
        booking=booking,
        session=session,
        service=service,
        facts={**(event.payload if event else {}), **run.facts},
        batch=batch,
    )
