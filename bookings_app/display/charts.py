"""Bar charts drawn on the server as inline SVG: no JavaScript, readable by screen readers. The
one builder for every app (the home page's weekly charts, an automation's e-mails by day).

A chart is a row of columns along time, each with one bar per series side by side. Time is
drawn left to right; templates wrap the chart in a ``direction: ltr`` box so it reads the same
way in Hebrew, and put the translated legend outside the SVG. Every visible label is a bidi
isolate, so a right-to-left axis title keeps its hyphen or final period at its own end inside
that left-to-right box.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

HEIGHT, TOP = 260, 16
AXIS_TITLE_ROOM = 16  # beside and under the plot, when the chart names its axes
BARS_FILL = 0.7  # of a column's width; the rest is the gap between columns
MOST_TICKS = 6  # labels under the axis, the last column's always among them


@dataclass(frozen=True)
class Bar:
    """One bar: what it is about (its tooltip), its value (None or 0 draws nothing), how it reads."""

    label: str
    value: float | None
    reading: str
    css_class: str = "chart__bar"


@dataclass(frozen=True)
class Column:
    """One place on the time axis: its label under the axis and its bars, one per series."""

    label: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Frame:
    """The drawing's size and the room kept around the plot for the value and axis labels (on
    the right, half of the last date under the axis)."""

    width: int
    left: int
    right: int
    bottom: int

    @property
    def plot_height(self) -> int:
        return HEIGHT - TOP - self.bottom

    def column_width(self, count: int) -> float:
        return (self.width - self.left - self.right) / max(count, 1)


def one_series(bars: list[Bar]) -> list[Column]:
    """A column per bar, labelled as its bar."""
    return [Column(bar.label, (bar,)) for bar in bars]


def bar_chart(
    *,
    title: str,
    columns: list[Column],
    figures: str = "",
    y_label: str = "",
    x_label: str = "",
    y_max: float | None = None,
    css_class: str = "chart",
    width: int = 560,
) -> SafeString:
    """An accessible SVG bar chart: role="img", a <title>, and an aria-label with ``figures``
    (by default every bar's label and reading)."""
    titled = bool(y_label or x_label)
    frame = Frame(width, left=52 if titled else 44, right=30, bottom=52 if titled else 36)
    bars = [bar for column in columns for bar in column.bars]
    top = y_max if y_max is not None else _round_up(max([bar.value or 0 for bar in bars] + [1]))
    figures = figures or "; ".join(f"{bar.label}: {bar.reading}" for bar in bars)
    return format_html(
        '<svg class="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}{}{}</svg>",
        css_class,
        frame.width,
        HEIGHT,
        _("%(title)s: %(figures)s") % {"title": title, "figures": figures},
        title,
        _grid(frame, top),
        _bars(frame, columns, top),
        _axis(frame, y_label, x_label),
        _ticks(frame, columns),
    )


def _grid(frame: Frame, top: float) -> SafeString:
    """Three horizontal lines at 0, half and the top, labelled with their value."""
    lines = []
    for fraction in (0, 0.5, 1):
        y = _px(TOP + frame.plot_height * (1 - fraction))
        lines.append(
            (frame.left, y, frame.width - frame.right, y, frame.left - 6, y, _number(top * fraction))
        )
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__grid"/>'
        '<text x="{}" y="{}" dy="4" text-anchor="end" class="chart__tick">{}</text>',
        lines,
    )


def _bars(frame: Frame, columns: list[Column], top: float) -> SafeString:
    column_width = frame.column_width(len(columns))
    shapes = []
    for index, column in enumerate(columns):
        bar_width = column_width * BARS_FILL / max(len(column.bars), 1)
        start = frame.left + index * column_width + column_width * (1 - BARS_FILL) / 2
        for number, bar in enumerate(column.bars):
            if not bar.value:
                continue
            height = frame.plot_height * min(bar.value / top, 1) if top else 0
            x, y = start + number * bar_width, TOP + frame.plot_height - height
            title = f"{bar.label}: {bar.reading}"
            shapes.append((bar.css_class, _px(x), _px(y), _px(bar_width), _px(height), title))
    return format_html_join(
        "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', shapes
    )


def _ticks(frame: Frame, columns: list[Column]) -> SafeString:
    """At most ``MOST_TICKS`` column labels under the axis, evenly spaced, ending with the last."""
    column_width, step = frame.column_width(len(columns)), max(len(columns) // MOST_TICKS, 1)
    labels = [
        (
            _px(frame.left + index * column_width + column_width / 2),
            HEIGHT - frame.bottom + 20,
            _isolated(column.label),
        )
        for index, column in enumerate(columns)
        if (len(columns) - 1 - index) % step == 0
    ]
    return format_html_join(
        "", '<text x="{}" y="{}" text-anchor="middle" class="chart__tick">{}</text>', labels
    )


def _axis(frame: Frame, y_label: str, x_label: str) -> SafeString:
    """The time axis, and the axis titles when the chart has them."""
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__axis"/>',
        frame.left,
        HEIGHT - frame.bottom,
        frame.width - frame.right,
        HEIGHT - frame.bottom,
    )
    middle = _px(TOP + frame.plot_height / 2)
    if x_label:
        axis += format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="chart__axis-label">{}</text>',
            _px(frame.left + (frame.width - frame.left - frame.right) / 2),
            HEIGHT - 6,
            _isolated(x_label),
        )
    if y_label:
        axis += format_html(
            '<text x="14" y="{}" text-anchor="middle" class="chart__axis-label"'
            ' transform="rotate(-90 14 {})">{}</text>',
            middle,
            middle,
            _isolated(y_label),
        )
    return axis


def _isolated(text: str) -> str:
    """The text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: laid out in its own
    direction, so "שבוע שמתחיל ב-" keeps its hyphen at its end (on the left)."""
    return f"\u2068{text}\u2069"


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
