"""The blocks of one calendar column as HTML, written in Python.

A busy week holds hundreds of blocks, and the template language spent about a millisecond on
each (a dozen variable lookups, localized numbers, three filters): the week of a ten-person
studio took most of a second to render. The markup is the one ``calendar.html`` always drew;
every value is escaped by ``format_html``.
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..models import Business
from ..selectors.schedule import CalendarBlock, CalendarColumn
from . import display_time
from .owner_texts import isolated


def column_blocks(column: CalendarColumn, business: Business) -> SafeString:
    """Every block of ``column``, in the active language and time zone."""
    if not column.blocks:
        return mark_safe("")
    clock = _Clock(business)
    return format_html_join(
        "\n", "{}", ((_block(block, column, business, clock),) for block in column.blocks)
    )


class _Clock(dict):
    """``display_time.clock`` of each wall-clock time once: a column's blocks start and end on
    the same few quarter hours, and formatting a time is most of what a block costs."""

    def __init__(self, business: Business):
        super().__init__()
        self.business = business

    def __missing__(self, moment: datetime) -> str:
        self[moment] = shown = display_time.clock(moment, self.business)
        return shown

    def range(self, start: datetime, end: datetime) -> str:
        return display_time.isolated(f"{self[start]}{display_time.DASH}{self[end]}")


def _block(block: CalendarBlock, column: CalendarColumn, business: Business, clock: "_Clock") -> SafeString:
    start, end = timezone.localtime(block.start), timezone.localtime(block.end)
    staff_shown = not column.staff
    if block.kind == "time_off":
        return _time_off(block, start, end, business, staff_shown)
    classes = f"calendar-block calendar-block--{block.kind}"
    if block.is_pending:
        classes += " calendar-block--pending"
    title = clock.range(start, end)
    if block.is_pending:
        title += " · " + _("Awaiting approval")
    if block.kind == "appointment" and block.booking:
        client = block.booking.client
        url = reverse("dashboard:calendar_booking", args=[block.booking.pk])
        data = format_html('data-booking="{}"', block.booking.pk)
        name = format_html(
            '<span class="calendar-block__title" dir="auto">{}</span>', client.full_name or client.email
        )
        detail = format_html("<bdi>{}</bdi>", block.session.service.name)
    else:
        session = block.session
        url = reverse("dashboard:calendar_session", args=[session.pk])
        data = format_html('data-session="{}"', session.pk)
        name = format_html('<span class="calendar-block__title" dir="auto">{}</span>', session.service.name)
        detail = format_html("<bdi>{}/{}</bdi>", session.seats_taken, session.capacity)
    if staff_shown:
        detail = format_html("{} · <bdi>{}</bdi>", detail, block.staff.name)
    pending = (
        format_html('\n  <span class="visually-hidden">{}</span>', _("Awaiting approval"))
        if block.is_pending and block.booking
        else ""
    )
    return format_html(
        '<button type="button" title="{title}" class="{classes} {place}"\n'
        '        hx-get="{url}" hx-target="#calendar-panel" hx-swap="innerHTML" {data}>\n'
        '  <span class="calendar-block__time"><time datetime="{iso}">{starts}</time>'
        '<span class="visually-hidden">–{ends}</span></span>\n'
        "  {name}\n"
        '  <span class="calendar-block__detail">{detail}</span>{pending}\n'
        "</button>",
        title=title,
        classes=classes,
        place=_place(block),
        url=url,
        data=data,
        iso=start.isoformat(),
        starts=clock[start],
        ends=clock[end],
        name=name,
        detail=detail,
        pending=pending,
    )


def _time_off(block: CalendarBlock, start, end, business: Business, staff_shown: bool) -> SafeString:
    span = display_time.all_day_or_range(start, end, business)
    title = span + (" · " + isolated(block.reason) if block.reason else "")
    what = _("Time off")
    reason = format_html(": <bdi>{}</bdi>", block.reason) if block.reason else ""
    staff = (
        format_html('\n  <span class="calendar-block__staff" dir="auto">{}</span>', block.staff.name)
        if staff_shown
        else ""
    )
    return format_html(
        '<div title="{title}" class="calendar-block calendar-block--time_off {place}">\n'
        '  <span class="calendar-block__time">{span}</span>\n'
        '  <span class="calendar-block__title">{what}{reason}</span>{staff}\n'
        "</div>",
        title=title,
        place=_place(block),
        span=span,
        what=what,
        reason=reason,
        staff=staff,
    )


def _place(block: CalendarBlock) -> str:
    """The block's colour, rows and lane, as the calendar's CSS classes name them."""
    lane = f"cal-lane-{block.lane}" if block.shares_lanes else "cal-lane-all"
    return f"staff-color-{block.staff.pk} cal-row-{block.row} cal-span-{block.rows} {lane}"
