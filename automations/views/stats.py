"""The e-mail statistics of one automation: totals, rates, each message, and a chart by day."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bookings_app.access import owner_required
from bookings_app.models import Business

from ..email_chart import daily_chart
from ..email_stats import PERIODS, STATES, MessageFigures, email_stats
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
            "chart": daily_chart(stats.days),
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
