"""The owner's home page: today at a glance, the last twelve weeks in two charts, and the money
taken online over the last thirty days."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ...display.charts import Bar, bar_chart, one_series
from ...models import Business
from ...selectors import schedule
from ...selectors.revenue import REVENUE_DAYS, CurrencyRevenue, recent_revenue
from ...web.access import owner_required


@owner_required
def home(request: HttpRequest) -> HttpResponse:
    business = Business.current()
    now = timezone.now()
    today = timezone.localtime(now, business.tz).date()
    weeks = schedule.weekly_figures(tz=business.tz, now=now)
    sessions = schedule.todays_sessions(tz=business.tz, today=today)
    return render(
        request,
        "dashboard/home.html",
        {
            "business": business,
            "today": today,
            "sessions": sessions,
            "staff_colours": schedule.staff_colours([session.staff for session in sessions]),
            "figures": schedule.today_figures(tz=business.tz, now=now),
            "bookings_chart": _bookings_chart(weeks),
            "attendance_chart": _attendance_chart(weeks),
            "revenue": [
                (revenue, _revenue_chart(revenue)) for revenue in recent_revenue(tz=business.tz, now=now)
            ],
            "revenue_days": REVENUE_DAYS,
        },
    )


def _week_label(week: schedule.WeekFigures) -> str:
    """The week's Monday as the locale writes a day and month, with the short month name ("Mar 3")."""
    return formats.date_format(week.week, formats.get_format("MONTH_DAY_FORMAT").replace("F", "M"))


def _bookings_chart(weeks: list[schedule.WeekFigures]) -> str:
    return bar_chart(
        title=_("Bookings per week"),
        y_label=_("Bookings"),
        x_label=_("Week starting"),
        columns=one_series(
            [Bar(_week_label(week), week.bookings, formats.number_format(week.bookings)) for week in weeks]
        ),
    )


def _attendance_chart(weeks: list[schedule.WeekFigures]) -> str:
    bars = []
    for week in weeks:
        rate = week.attendance_rate
        reading = _("no attendance recorded") if rate is None else _("%(rate)s%%") % {"rate": rate}
        bars.append(Bar(_week_label(week), rate, reading))
    return bar_chart(
        title=_("Attendance rate per week"),
        y_label=_("Checked in (%)"),
        x_label=_("Week starting"),
        columns=one_series(bars),
        y_max=100,
        css_class="chart chart--attendance",
    )


def _revenue_chart(revenue: CurrencyRevenue) -> str:
    """Net revenue per day; a day that gave back more than it took reads negative, drawn empty."""
    day_format = formats.get_format("MONTH_DAY_FORMAT").replace("F", "M")
    bars = []
    for day, net in revenue.days:
        reading = f"{formats.number_format(net, 2, use_l10n=True)} {revenue.currency}"
        bars.append(Bar(formats.date_format(day, day_format), float(max(net, 0)), reading))
    return bar_chart(
        title=_("Net revenue per day (%(currency)s)") % {"currency": revenue.currency},
        y_label=revenue.currency,
        x_label=_("Day"),
        columns=one_series(bars),
        css_class="chart chart--revenue",
    )
