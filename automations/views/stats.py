"""The e-mail statistics of one automation: totals, rates, each message, and a chart by day."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bookings_app.display.charts import Bar, Column, bar_chart
from bookings_app.models import Business
from bookings_app.web.access import owner_required

from ..email_stats import PERIODS, STATES, Day, MessageFigures, email_stats
from .dashboard_access import get_automation_for_owner


@owner_required
@require_GET
def automation_stats(request: HttpRequest, pk: int) -> HttpResponse:
    """Owner only; ``?days=90`` for the longer period (30 days otherwise)."""
    automation = get_automation_for_owner(pk, deleted_too=True)
    days = int(request.GET["days"]) if request.GET.get("days") in {str(p) for p in PERIODS} else PERIODS[0]
    stats = email_stats(automation=automation, days=days, tz=Business.current().tz)
    return render(
        request,
        "automations/dashboard/stats.html",
        {
            "automation": automation,
            "days": days,
            "periods": PERIODS,
            "stats": stats,
            "totals": _cells(stats.totals),
            "rows": [(figures, _cells(figures)) for figures in stats.messages],
            "chart": _daily_chart(stats.days),
        },
    )


def _cells(figures: MessageFigures) -> list[tuple[str, int, str]]:
    """(state, count, rate in words) for each state, in the order of the table's columns."""
    return [(state, getattr(figures, state), _percent(figures.rate(state))) for state in STATES]


def _percent(rate: float | None) -> str:
    if rate is None:
        return "–"
    percent = round(rate * 100, 1)
    decimals = 0 if percent == int(percent) else 1
    return _("%(percent)s%%") % {"percent": number_format(percent, decimal_pos=decimals)}


SERIES = (
    ("sent", "email-chart__sent"),
    ("opened", "email-chart__opened"),
    ("clicked", "email-chart__clicked"),
)


def _daily_chart(days: list[Day]) -> SafeString:
    """The e-mails by day: sent, opened and clicked side by side; about six dates under the axis."""
    columns = []
    for day in days:
        named = date_format(day.day, "SHORT_DATE_FORMAT")
        bars = tuple(
            Bar(named, getattr(day, series), str(getattr(day, series)), css_class)
            for series, css_class in SERIES
        )
        columns.append(Column(date_format(day.day, "j M"), bars))
    busy = [day for day in days if day.sent or day.opened or day.clicked]
    figures = "; ".join(
        _("%(day)s: %(sent)s sent, %(opened)s opened, %(clicked)s clicked")
        % {
            "day": date_format(day.day, "SHORT_DATE_FORMAT"),
            "sent": day.sent,
            "opened": day.opened,
            "clicked": day.clicked,
        }
        for day in busy
    ) or _("No e-mails in this period.")
    title = _("E-mails per day")
    return bar_chart(title=title, columns=columns, figures=figures, css_class="chart email-chart", width=720)
