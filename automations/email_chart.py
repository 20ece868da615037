"""The e-mails of an automation by day, drawn on the server as an accessible inline SVG.

Each day has three bars side by side: sent, opened, clicked. Time reads left to right; the
template wraps the chart in a ``direction: ltr`` box (as bookings_app.charts does) and puts
the translated legend outside the SVG.
"""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .email_stats import Day

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 30, 16, 36
SERIES = (
    ("sent", "email-chart__sent"),
    ("opened", "email-chart__opened"),
    ("clicked", "email-chart__clicked"),
)


def daily_chart(days: list[Day]) -> SafeString:
    top = _round_up(max([day.sent for day in days] + [day.opened for day in days] + [1]))
    busy = [day for day in days if day.sent or day.opened or day.clicked]
    summary = "; ".join(
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
    return format_html(
        '<svg class="chart email-chart" viewBox="0 0 {} {}" role="img" aria-label="{}: {}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        summary,
        title,
        _grid(top),
        _bars(days, top),
        _ticks(days),
    )


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _slot(count: int) -> float:
    return (WIDTH - LEFT - RIGHT) / max(count, 1)


def _grid(top: int) -> SafeString:
    lines = []
    for fraction in (0, 0.5, 1):
        y = _px(TOP + _plot_height() * (1 - fraction))
        lines.append((LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y, f"{top * fraction:g}"))
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__grid"/>'
        '<text x="{}" y="{}" dy="4" text-anchor="end" class="chart__tick">{}</text>',
        lines,
    )


def _bars(days: list[Day], top: int) -> SafeString:
    slot = _slot(len(days))
    width = slot * 0.8 / len(SERIES)
    shapes = []
    for index, day in enumerate(days):
        for number, (name, css_class) in enumerate(SERIES):
            value = getattr(day, name)
            if not value:
                continue
            height = _plot_height() * min(value / top, 1)
            x = LEFT + index * slot + slot * 0.1 + number * width
            shapes.append(
                (
                    css_class,
                    _px(x),
                    _px(TOP + _plot_height() - height),
                    _px(width),
                    _px(height),
                    f"{date_format(day.day, 'SHORT_DATE_FORMAT')}: {value}",
                )
            )
    return format_html_join(
        "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', shapes
    )


def _ticks(days: list[Day]) -> SafeString:
    """About six date labels under the axis, the last one today."""
    slot, step = _slot(len(days)), max(len(days) // 6, 1)
    labels = [
        (_px(LEFT + index * slot + slot / 2), HEIGHT - BOTTOM + 20, date_format(day.day, "j M"))
        for index, day in enumerate(days)
        if (len(days) - 1 - index) % step == 0
    ]
    return format_html_join(
        "", '<text x="{}" y="{}" text-anchor="middle" class="chart__tick">{}</text>', labels
    ) + format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__axis"/>',
        LEFT,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
    )


def _round_up(value: int) -> int:
    """A top for the value axis that halves into whole numbers."""
    if value <= 4:
        return 4
    step = 2 if value <= 10 else 10 if value <= 100 else 100
    return int(-(-value // step) * step)


def _px(value: float) -> str:
    return f"{value:.1f}"
