"""E-mail statistics of one automation: per message (each e-mail action), in total, and by day.

A message counts once for each state it reached (``AutomationMessage.<state>_at``), however
often it was opened or reported. Rates are shares of the messages sent.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from bookings_app.models import EmailStatus

from .models import Automation, AutomationMessage

PERIODS = (30, 90)
STATES = ("delivered", "opened", "clicked", "bounced", "complained")


@dataclass
class MessageFigures:
    """Counts for one e-mail action (its number, ``position``) or for all of them (None).

    ``place`` is where the action stands in the automation now (Action 1, 2…); None for an
    action the owner has removed since."""

    position: int | None = None
    place: int | None = None
    subject: str = ""
    sent: int = 0
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    bounced: int = 0
    complained: int = 0

    def rate(self, state: str) -> float | None:
        """The share of sent messages that reached ``state``, or None before any was sent."""
        return getattr(self, state) / self.sent if self.sent else None

    @property
    def rates(self) -> dict[str, float | None]:
        return {state: self.rate(state) for state in STATES}


@dataclass
class Day:
    day: date
    sent: int = 0
    opened: int = 0
    clicked: int = 0


@dataclass
class AutomationEmailStats:
    totals: MessageFigures
    messages: list[MessageFigures]
    days: list[Day] = field(default_factory=list)


def email_stats(*, automation: Automation, days: int, tz: ZoneInfo) -> AutomationEmailStats:
    """What became of the automation's e-mails queued in the last ``days`` days (5 queries)."""
    today = timezone.localdate(timezone=tz)
    first_day = today - timedelta(days=days - 1)
    start = datetime.combine(first_day, time.min, tzinfo=tz)
    messages = AutomationMessage.objects.filter(automation=automation, created_at__gte=start)
    figures = _figures_by_position(messages, automation=automation)
    totals = MessageFigures(
        **{name: sum(getattr(each, name) for each in figures) for name in ("sent", *STATES)}
    )
    return AutomationEmailStats(totals=totals, messages=figures, days=_days(messages, first_day, today, tz))


def _figures_by_position(messages, *, automation: Automation) -> list[MessageFigures]:
    """One row per e-mail action of the automation now, in its order, then any removed one still counted."""
    counts = {
        row["position"]: row
        for row in messages.values("position")
        .order_by("position")
        .annotate(
            sent=Count("pk", filter=Q(email__status=EmailStatus.SENT)),
            **{state: Count("pk", filter=Q(**{f"{state}_at__isnull": False})) for state in STATES},
        )
    }
    places = {
        action.position: (place, action.settings.get("subject", ""))
        for place, action in enumerate(automation.actions.all(), start=1)
        if action.kind == "email_client"
    }
    removed = {position: (None, "") for position in sorted(set(counts) - set(places))}
    return [
        MessageFigures(
            position=position,
            place=place,
            subject=subject,
            **{name: counts.get(position, {}).get(name, 0) for name in ("sent", *STATES)},
        )
        for position, (place, subject) in {**places, **removed}.items()
    ]


def _days(messages, first_day: date, today: date, tz: ZoneInfo) -> list[Day]:
    """Sent, opened and clicked per day in the business's time zone, every day of the period."""
    every_day = [first_day + timedelta(n) for n in range((today - first_day).days + 1)]
    days = {day: Day(day) for day in every_day}
    for state, stamp in (("sent", "email__sent_at"), ("opened", "opened_at"), ("clicked", "clicked_at")):
        rows = (
            messages.filter(**{f"{stamp}__isnull": False})
            .annotate(day=TruncDate(stamp, tzinfo=tz))
            .values("day")
            .order_by("day")
            .annotate(number=Count("pk"))
        )
        for row in rows:
            if row["day"] in days:
                setattr(days[row["day"]], state, row["number"])
    return list(days.values())
