"""Automations' state changes, one verb and one transaction each.

The owner's verbs (create, edit, switch on and off, delete), the records actions write
(tasks, labels) and a client's e-mail opt-out. Matching events to automations is in
``engine``, performing runs in ``execution``, what time drives (dispatching, scans, the
event sweep) in ``scheduling``.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _t

from bookings_app.models import Client, Label, Service, User

from .models import (
    Action,
    Automation,
    DelayDirection,
    DelayUnit,
    EmailOptOut,
    Frequency,
    Run,
    RunReason,
    RunStatus,
    Task,
)
from .validation import validate_automation


def create_automation(
    *,
    name: str,
    trigger: str,
    actions: list[dict],
    trigger_params: dict | None = None,
    services: Iterable[Service] = (),
    delay_amount: int = 0,
    delay_unit: str = DelayUnit.MINUTES,
    delay_direction: str = DelayDirection.AFTER,
    frequency: str = Frequency.EVERY_TIME,
    frequency_days: int | None = None,
    conditions: list | None = None,
    is_active: bool = True,
) -> Automation:
    """Validate and save a new automation with its ``actions`` (``[{"kind", "settings"}]``, in order).

    Raises ValidationError({field: [messages]}) for an unknown trigger, a criterion whose
    operator does not fit its field, an unknown template variable, a webhook address that is
    not http(s), no action at all, and the like.
    """
    automation = Automation(
        name=name.strip(),
        trigger=trigger,
        trigger_params=trigger_params or {},
        delay_amount=delay_amount,
        delay_unit=delay_unit,
        delay_direction=delay_direction,
        frequency=frequency,
        frequency_days=frequency_days,
        conditions=conditions or [],
        is_active=is_active,
    )
    return _save(automation, actions=actions, services=list(services))


def update_automation(
    *, automation: Automation, actions: list[dict], services: Iterable[Service] | None = None
) -> Automation:
    """Save the caller's changes to ``automation``, its actions replaced by ``actions``.

    Runs already scheduled perform the new actions when they are due. Raises ValidationError.
    """
    chosen = list(services) if services is not None else list(automation.services.all())
    return _save(automation, actions=actions, services=chosen)


def _save(automation: Automation, *, actions: list[dict], services: list[Service]) -> Automation:
    """Save ``automation`` with ``actions`` in their order. An action that names the number of
    one of its actions now (``"number"``, as the builder carries it) keeps that number when it
    is still the same kind; any other gets a new one. So the outcomes of a run waiting for its
    retry stay with their action, however the owner reorders, adds or removes actions."""
    cleaned = validate_automation(
        automation=automation, actions=actions, service_ids=[s.pk for s in services]
    )
    with transaction.atomic():
        held: dict[int, str] = {}
        if automation.pk:  # the row lock makes a concurrent save number its new actions after these
            automation.last_action_number = (
                Automation.objects.select_for_update()
                .values_list("last_action_number", flat=True)
                .get(pk=automation.pk)
            )
            held = dict(automation.actions.values_list("position", "kind"))
        asked = [(action.get("number"), action["kind"]) for action in actions]
        numbers = _action_numbers(automation, asked, held=held)
        automation.save()
        automation.services.set(services)
        automation.actions.all().delete()
        Action.objects.bulk_create(
            Action(
                automation=automation,
                order=order,
                position=number,
                kind=action["kind"],
                settings=action["settings"],
            )
            for order, (number, action) in enumerate(zip(numbers, cleaned, strict=True), start=1)
        )
    return automation


def _action_numbers(automation: Automation, asked: list[tuple], *, held: dict[int, str]) -> list[int]:
    """Each action's number: the one asked for when the automation holds an action of that
    number and kind that no earlier action took, else the next never given."""
    numbers: list[int] = []
    for number, kind in asked:
        if held.get(number) != kind or number in numbers:
            automation.last_action_number += 1
            number = automation.last_action_number
        numbers.append(number)
    return numbers


def next_action_number(*, automation: Automation) -> int:
    """A number no action of ``automation`` was ever given, for one added outside ``_save`` (the
    admin); call inside the transaction that saves the action (the UPDATE holds the row)."""
    Automation.objects.filter(pk=automation.pk).update(last_action_number=F("last_action_number") + 1)
    return Automation.objects.values_list("last_action_number", flat=True).get(pk=automation.pk)


def duplicate_automation(*, automation: Automation) -> Automation:
    """A copy named "Copy of …", switched off so the owner reviews it before it acts."""
    with transaction.atomic():
        copy = Automation.objects.get(pk=automation.pk)
        copy.pk, copy.deleted_at, copy.is_active = None, None, False
        copy._state.adding = True
        copy.name = (_t("Copy of %(name)s") % {"name": automation.name})[:120]
        copy.webhook_secret = Automation._meta.get_field("webhook_secret").get_default()
        copy.save()
        copy.services.set(automation.services.all())
        Action.objects.bulk_create(
            Action(
                automation=copy,
                order=action.order,
                position=action.position,
                kind=action.kind,
                settings=action.settings,
            )
            for action in automation.actions.all()
        )
    return copy


def rename_automation(*, automation: Automation, name: str) -> Automation:
    """Give the automation a new name; raises ValidationError for an empty one."""
    name = (name or "").strip()[:120]
    if not name:
        raise ValidationError({"name": [_t("Give the automation a name.")]})
    with transaction.atomic():
        Automation.objects.filter(pk=automation.pk).update(name=name, updated_at=timezone.now())
        automation.name = name
    return automation


def set_active(*, automation: Automation, active: bool, now: datetime | None = None) -> int:
    """Switch the automation on or off. Off: its scheduled runs are skipped at once ("automation
    off"); a run already running finishes. Returns how many runs were skipped."""
    with transaction.atomic():
        Automation.objects.filter(pk=automation.pk).update(is_active=active, updated_at=timezone.now())
        automation.is_active = active
        return 0 if active else _skip_scheduled_runs(automation, now=now or timezone.now())


def delete_automation(*, automation: Automation, now: datetime | None = None) -> int:
    """Delete softly: the automation stops and leaves the lists; its runs keep their history."""
    now = now or timezone.now()
    with transaction.atomic():
        Automation.objects.filter(pk=automation.pk).update(is_active=False, deleted_at=now, updated_at=now)
        automation.is_active, automation.deleted_at = False, now
        return _skip_scheduled_runs(automation, now=now)


def _skip_scheduled_runs(automation: Automation, *, now: datetime) -> int:
    return Run.objects.filter(automation=automation, status=RunStatus.SCHEDULED).update(
        status=RunStatus.SKIPPED, reason=RunReason.AUTOMATION_OFF, finished_at=now
    )


# --- Clients ---------------------------------------------------------------------------


def opt_out(*, client: Client) -> EmailOptOut:
    """The client gets no more automation e-mails (booking e-mails still go). Safe to repeat."""
    with transaction.atomic():
        opt_out_row, _created = EmailOptOut.objects.get_or_create(client=client)
    return opt_out_row


def is_opted_out(client: Client | None) -> bool:
    return client is not None and EmailOptOut.objects.filter(client=client).exists()


def add_label(*, client: Client, label: Label) -> None:
    """Put ``label`` on the client; a label already there stays once."""
    with transaction.atomic():
        client.labels.add(label)


def remove_label(*, client: Client, label: Label) -> None:
    """Take ``label`` off the client; the label itself stays for the others."""
    with transaction.atomic():
        client.labels.remove(label)


# --- Tasks -----------------------------------------------------------------------------


def create_task(
    *,
    title: str,
    notes: str = "",
    due_date: date | None = None,
    assignee: User | None = None,
    client: Client | None = None,
    run: Run | None = None,
) -> Task:
    with transaction.atomic():
        return Task.objects.create(
            title=title.strip()[:200],
            notes=notes.strip(),
            due_date=due_date,
            assignee=assignee,
            client=client,
            run=run,
        )


def complete_task(*, task: Task, now: datetime | None = None) -> Task:
    """Tick the task off; ticking it again keeps the first time."""
    with transaction.atomic():
        Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now or timezone.now())
        task.refresh_from_db()
    return task


def set_task_done(*, task: Task, done: bool, now: datetime | None = None) -> Task:
    """Tick the task off or open it again (the Tasks page's checkbox)."""
    return complete_task(task=task, now=now) if done else reopen_task(task=task)


def reopen_task(*, task: Task) -> Task:
    with transaction.atomic():
        Task.objects.filter(pk=task.pk).update(done_at=None)
        task.refresh_from_db()
    return task
