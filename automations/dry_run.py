"""“What would happen”: an automation tried on a recent event, without writing or sending anything.

It walks the engine's steps (trigger, service filter, targets, frequency limit, "still
applies", opt-out, condition) and renders each action as it would be performed, reading only.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bookings_app.mail.recipients import language_for
from bookings_app.models import Booking, Business, Client, DomainEvent, Session

from . import criteria, summary
from .actions.emails import team_addresses
from .context import RunContext
from .engine import due_at
from .models import Automation, EmailOptOut, Frequency, FrequencyMark, Run
from .triggers import Target, triggers
from .wording import render, values_for

RECENT = 20


@dataclass
class Step:
    label: str
    to: str = ""
    subject: str = ""
    body: str = ""


@dataclass
class Verdict:
    """What one run of the event would do."""

    who: str
    due_at: datetime
    would_run: bool
    why_not: str = ""
    steps: list[Step] = field(default_factory=list)


def recent_events(automation: Automation, *, limit: int = RECENT) -> list[DomainEvent]:
    """The latest outbox events the automation's trigger reads (none for the time-scan triggers)."""
    trigger = triggers.get(automation.trigger)
    if trigger is None or not trigger.event_kinds:
        return []
    events = DomainEvent.objects.filter(kind__in=trigger.event_kinds).select_related("client", "service")
    return list(events.order_by("-occurred_at", "-pk")[:limit])


def try_event(automation: Automation, event: DomainEvent) -> tuple[str, list[Verdict]]:
    """("why nothing would start", []) or ("", one verdict per run the event would make)."""
    trigger = triggers.get(automation.trigger)
    if trigger is None or event.kind not in trigger.event_kinds:
        return _("This event is not one the trigger reads."), []
    service_ids = {service.pk for service in automation.services.all()}
    if trigger.service_filter and service_ids and event.service_id not in service_ids:
        return _("The event's service is not one the automation is for."), []
    if not trigger.matches(event, automation):
        return _("The event does not match the trigger's settings."), []
    targets = trigger.targets(event, automation)
    if not targets:
        return _("Nobody to act for: the session has no confirmed bookings."), []
    return "", [_verdict(automation, event, target) for target in targets]


def _verdict(automation: Automation, event: DomainEvent, target: Target) -> Verdict:
    context = _context(automation, event, target)
    who = context.client.full_name if context.client else _("the team")
    verdict = Verdict(who=who, due_at=context.run.due_at, would_run=False)
    why_not = _why_not(automation, context, target)
    if why_not:
        verdict.why_not = why_not
        return verdict
    verdict.would_run = True
    verdict.steps = [_step(action.kind, action.settings, context) for action in automation.actions.all()]
    return verdict


def _why_not(automation: Automation, context: RunContext, target: Target) -> str:
    earlier = Run.objects.filter(key=target.key).first()
    if earlier is not None:
        return _("This event already made a run (%(status)s).") % {"status": earlier.get_status_display()}
    if not _within_frequency(automation, target.client_id):
        return str(_("Frequency limit"))
    trigger = triggers.get(automation.trigger)
    no_longer = trigger.still_applies(context)
    if no_longer:
        return no_longer
    if context.client and EmailOptOut.objects.filter(client=context.client).exists():
        kinds = [action.kind for action in automation.actions.all()]
        if kinds and all(kind == "email_client" for kind in kinds):
            return _("The client unsubscribed from automation e-mails.")
    holds, failed = criteria.evaluate(automation.conditions, context)
    return "" if holds else _("The condition is false: %(why)s") % {"why": failed}


def _within_frequency(automation: Automation, client_id: int | None) -> bool:
    if automation.frequency == Frequency.EVERY_TIME or client_id is None:
        return True
    mark = FrequencyMark.objects.filter(automation=automation, client_id=client_id).first()
    if mark is None or mark.last_run_at is None:
        return True
    if automation.frequency == Frequency.ONCE_PER_CLIENT:
        return False
    return mark.last_run_at <= timezone.now() - timedelta(days=automation.frequency_days or 0)


def _context(automation: Automation, event: DomainEvent, target: Target) -> RunContext:
    client = Client.objects.filter(pk=target.client_id).first() if target.client_id else None
    booking = (
        Booking.objects.select_related("service").filter(pk=target.booking_id).first()
        if target.booking_id
        else None
    )
    session = (
        Session.objects.select_related("service", "staff").filter(pk=target.session_id).first()
        if target.session_id
        else None
    )
    service = (booking and booking.service) or (session and session.service) or event.service
    run = Run(
        automation=automation,
        event=event,
        key=target.key,
        client=client,
        booking=booking,
        session=session,
        facts=target.facts,
        due_at=due_at(automation, moment=event.occurred_at),
    )
    return RunContext(
        run=run,
        automation=automation,
        business=Business.current(),
        event=event,
        client=client,
        booking=booking,
        session=session,
        service=service,
        facts={**(event.payload or {}), **target.facts},
    )


def _step(kind: str, settings: dict, context: RunContext) -> Step:
    label = summary.action_phrase(kind, settings)
    if kind == "email_client" and context.client is not None:
        with translation.override(language_for(context.client, context.business)):
            values = values_for(context)
            return Step(
                label,
                to=context.client.email,
                subject=render(settings.get("subject", ""), values),
                body=render(settings.get("body", ""), values),
            )
    if kind == "notify_team":
        values = values_for(context)
        return Step(
            label,
            to=", ".join(team_addresses(context, settings.get("recipients", "owners"))),
            subject=render(settings.get("subject", ""), values),
            body=render(settings.get("body", ""), values),
        )
    if kind == "create_task":
        return Step(label, subject=render(settings.get("title", ""), values_for(context)))
    return Step(label)
