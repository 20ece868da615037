"""Bar charts drawn on the server as inline SVG: no JavaScript, readable by screen readers.

The chart is drawn left to right by time; templates wrap it in a ``direction: ltr`` box so time
reads the same way in Hebrew, and put the translated legend outside the SVG.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 16, 52  # room for the axes and their labels


@dataclass(frozen=True)
class Bar:
    """One bar: its label under the axis, its value (None draws nothing) and how the value reads."""

    label: str
    value: float | None
    reading: str


def bar_chart(
    *,
    title: str,
    bars: list[Bar],
    y_label: str,
    x_label: str,
    y_max: float | None = None,
    css_class: str = "chart",
) -> SafeString:
    """An accessible SVG bar chart: role="img", a <title>, and an aria-label listing every figure."""
    top = y_max if y_max is not None else _round_up(max([bar.value or 0 for bar in bars]))
    summary = _("%(title)s: %(figures)s") % {
        "title": title,
        "figures": "; ".join(f"{bar.label}: {bar.reading}" for bar in bars),
    }
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}{}{}</svg>",
        css_class,
        WIDTH,
        HEIGHT,
        summary,
        title,
        _grid(top),
        _bars(bars, top),
        _axis_labels(y_label, x_label),
        _ticks(bars),
    )


def _plot_height() -> int:
    return HEIGHT - TOP - BOTTOM


def _slot_width(count: int) -> float:
    return (WIDTH - LEFT - RIGHT) / max(count, 1)


def _grid(top: float) -> SafeString:
    """Three horizontal lines at 0, half and the top, labelled with their value."""
    lines = []
    for fraction in (0, 0.5, 1):
        y = TOP + _plot_height() * (1 - fraction)
        lines.append(
            (
                LEFT,
                _px(y),
                WIDTH - RIGHT,
                _px(y),
                "chart__grid",
                LEFT - 6,
                _px(y + 4),
                _number(top * fraction),
            )
        )
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"/>'
        '<text x="{}" y="{}" text-anchor="end" class="chart__tick">{}</text>',
        lines,
    )


def _bars(bars: list[Bar], top: float) -> SafeString:
    width = _slot_width(len(bars))
    shapes = []
    for index, bar in enumerate(bars):
        if not bar.value:
            continue
        height = _plot_height() * min(bar.value / top, 1) if top else 0
        x = LEFT + index * width + width * 0.15
        shapes.append(
            (
                _px(x),
                _px(TOP + _plot_height() - height),
                _px(width * 0.7),
                _px(height),
                f"{bar.label}: {bar.reading}",
            )
        )
    return format_html_join(
        "",
        '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        shapes,
    )


def _ticks(bars: list[Bar]) -> SafeString:
    """Every other week's label under the axis, so twelve labels never collide."""
    width = _slot_width(len(bars))
    labels = [
        (_px(LEFT + index * width + width / 2), HEIGHT - BOTTOM + 20, bar.label)
        for index, bar in enumerate(bars)
        if index % 2 == (len(bars) - 1) % 2
    ]
    return format_html_join(
        "", '<text x="{}" y="{}" text-anchor="middle" class="chart__tick">{}</text>', labels
    )


def _axis_labels(y_label: str, x_label: str) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__axis"/>'
        '<text x="{}" y="{}" text-anchor="middle" class="chart__axis-label">{}</text>'
        '<text x="14" y="{}" text-anchor="middle" class="chart__axis-label"'
        ' transform="rotate(-90 14 {})">{}</text>',
        LEFT,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        _px(LEFT + (WIDTH - LEFT - RIGHT) / 2),
        HEIGHT - 6,
        x_label,
        _px(TOP + _plot_height() / 2),
        _px(TOP + _plot_height() / 2),
        y_label,
    )


def _round_up(value: float) -> int:
    """A top for the value axis that halves into whole numbers: 4, 6, 8, 10, 20, 30 …"""
    if value <= 4:
        return 4
    step = 2 if value <= 10 else 10 if value <= 100 else 100
    return int(-(-value // step) * step)


def _px(value: float) -> str:
    """A coordinate with one decimal, whatever the locale (SVG wants a dot)."""
    return f"{value:.1f}"


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
