"""An automation in one plain sentence, in the active language:

"When a client is checked in for the first time, wait 2 hours, if Service is Yoga, then
e-mail the client “Welcome!”."

Each part (trigger, delay, condition, actions) has its own small function, so the builder and
the list can show the parts alone.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings_app.models import Label

from . import criteria
from .actions.emails import RECIPIENTS
from .models import Automation, DelayDirection, DelayUnit, Frequency

TRIGGER_PHRASES: dict[str, Callable[[dict], str]] = {
    "client_books": lambda p: _("a client books a session"),
    "client_cancels": lambda p: {
        "team": _("the business cancels a booking"),
        "either": _("a booking is cancelled (by the client or the business)"),
    }.get(p.get("by"), _("a client cancels a booking")),
    "first_check_in": lambda p: _("a client is checked in for the first time"),
    "check_in_number": lambda p: (
        _("a client is checked in for the %(visits)sth time") % {"visits": p.get("visits", "X")}
    ),
    "check_in": lambda p: _("a client is checked in to a session"),
    "last_check_in": lambda p: (
        ngettext(
            "a client was last checked in %(days)s day ago",
            "a client was last checked in %(days)s days ago",
            _count(p.get("days")),
        )
        % {"days": p.get("days", "X")}
    ),
    "session_starts": lambda p: _("a session starts"),
    "session_ends": lambda p: _("a session ends"),
    "booking_requested": lambda p: _("a client requests a booking"),
    "waitlist_joined": lambda p: _("a client joins a waitlist"),
    "waitlist_offered": lambda p: _("a waitlist seat is offered to a client"),
    "waitlist_offer_expired": lambda p: _("a waitlist offer expires"),
    "waitlist_booked": lambda p: _("a client is booked from the waitlist"),
    "earlier_time_offered": lambda p: _("an earlier time is offered to a client"),
    "booking_approved": lambda p: _("a booking request is approved"),
    "booking_declined": lambda p: _("a booking request is declined"),
    "payment_received": lambda p: _("a client pays online"),
    "payment_failed": lambda p: _("an online payment is declined"),
    "refund_issued": lambda p: _("a refund is issued"),
    "plan_expires": lambda p: (
        ngettext(
            "a client's plan expires in %(days)s day",
            "a client's plan expires in %(days)s days",
            _count(p.get("days")),
        )
        % {"days": p.get("days", "X")}
    ),
    "plan_credits_used_up": lambda p: _("a client uses the last credit of a pack"),
    "membership_renewed": lambda p: _("a membership is renewed"),
    "membership_renewal_failed": lambda p: _("a membership renewal fails"),
    "points_earned": lambda p: _("a client earns loyalty points"),
    "gift_card_issued": lambda p: _("a gift card is issued"),
    "plan_purchased": lambda p: _("a client buys a plan online"),
}


def _count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 2


def trigger_phrase(trigger: str, params: dict, service_names: list[str] = ()) -> str:
    """ "a client books a session (Yoga, Massage)"; the trigger's key when Rendez does not know it."""
    phrase = TRIGGER_PHRASES.get(trigger, lambda p: trigger)(params or {})
    if service_names:
        phrase += " (" + ", ".join(service_names) + ")"
    if trigger in ("session_starts", "session_ends") and (params or {}).get("per") == "session":
        phrase += " " + _("(once for the whole session)")
    return phrase


def delay_phrase(amount: int, unit: str, direction: str) -> str:
    """ "wait 2 hours", "3 days before the session starts", or "" for at once."""
    if not amount:
        return ""
    length = duration(amount, unit)
    if direction == DelayDirection.BEFORE:
        return _("%(length)s before the session starts") % {"length": length}
    return _("wait %(length)s") % {"length": length}


def duration(amount: int, unit: str) -> str:
    if unit == DelayUnit.DAYS:
        return ngettext("%(n)s day", "%(n)s days", amount) % {"n": amount}
    if unit == DelayUnit.HOURS:
        return ngettext("%(n)s hour", "%(n)s hours", amount) % {"n": amount}
    return ngettext("%(n)s minute", "%(n)s minutes", amount) % {"n": amount}


def condition_phrase(conditions: list[list[dict]]) -> str:
    """ "if Service is Yoga and Number of visits is greater than 3, or …"; "" without a condition."""
    groups = [
        _(" and ").join(criteria.describe(criterion) for criterion in group if _complete(criterion))
        for group in conditions or []
    ]
    groups = [group for group in groups if group]
    if not groups:
        return ""
    return _("if %(condition)s") % {"condition": _(", or ").join(groups)}


def _complete(criterion: dict) -> bool:
    field = criteria.fields.get(criterion.get("field", ""))
    return field is not None and criterion.get("operator") in field.type.operators


def action_phrase(kind: str, settings: dict, *, wording: Callable[[str], str] | None = None) -> str:
    """ "e-mail the client “Welcome!”" and the like, for each kind of action; ``wording`` fills
    the variables of the owner's subject or title (the builder shows sample values)."""
    settings = settings or {}
    fill = wording or str
    quoted = {"subject": fill(settings.get("subject", "")), "title": fill(settings.get("title", ""))}
    if kind == "email_client":
        return _("e-mail the client “%(subject)s”") % quoted
    if kind == "notify_team":
        whom = RECIPIENTS.get(settings.get("recipients") or "owners", RECIPIENTS["owners"])
        return _("e-mail %(whom)s “%(subject)s”") % {"whom": whom, **quoted}
    if kind == "create_task":
        return _("create the task “%(title)s”") % quoted
    if kind in ("add_label", "remove_label"):
        label = Label.objects.filter(pk=settings.get("label") or 0).values_list("name", flat=True).first()
        label = label or "?"
        if kind == "add_label":
            return _("add the label “%(label)s” to the client") % {"label": label}
        return _("remove the label “%(label)s” from the client") % {"label": label}
    if kind == "add_points":
        points = _count(settings.get("points"))
        return ngettext("add %(points)s loyalty point", "add %(points)s loyalty points", points) % {
            "points": points
        }
    if kind == "call_webhook":
        return _("call the webhook %(url)s") % {"url": settings.get("url", "")}
    return kind


def frequency_phrase(frequency: str, days: int | None) -> str:
    if frequency == Frequency.ONCE_PER_CLIENT:
        return _("once per client")
    if frequency == Frequency.ONCE_PER_CLIENT_PER_DAYS:
        return ngettext(
            "at most once per client every %(n)s day",
            "at most once per client every %(n)s days",
            _count(days),
        ) % {"n": days}
    return ""


def sentence(
    *,
    trigger: str,
    params: dict,
    service_names: list[str],
    delay_amount: int,
    delay_unit: str,
    delay_direction: str,
    conditions: list,
    actions: list[dict],
    frequency: str = Frequency.EVERY_TIME,
    frequency_days: int | None = None,
    wording: Callable[[str], str] | None = None,
) -> str:
    """The whole automation in words; ``actions`` are ``[{"kind", "settings"}]`` in order."""
    parts = [_("When %(trigger)s") % {"trigger": trigger_phrase(trigger, params, service_names)}]
    parts += [
        phrase
        for phrase in (delay_phrase(delay_amount, delay_unit, delay_direction), condition_phrase(conditions))
        if phrase
    ]
    steps = [action_phrase(action["kind"], action.get("settings"), wording=wording) for action in actions]
    if steps:
        parts.append(_("then %(actions)s") % {"actions": _(", then ").join(steps)})
    else:
        parts.append(_("then do nothing yet"))
    text = ", ".join(parts)
    limit = frequency_phrase(frequency, frequency_days)
    if limit:
        text += " (" + limit + ")"
    return text + "."


def summarize(automation: Automation, *, wording: Callable[[str], str] | None = None) -> str:
    """The sentence for a saved automation."""
    return sentence(
        trigger=automation.trigger,
        params=automation.trigger_params,
        service_names=[service.name for service in automation.services.all()],
        delay_amount=automation.delay_amount,
        delay_unit=automation.delay_unit,
        delay_direction=automation.delay_direction,
        conditions=automation.conditions,
        actions=[{"kind": action.kind, "settings": action.settings} for action in automation.actions.all()],
        frequency=automation.frequency,
        frequency_days=automation.frequency_days,
        wording=wording,
    )
