"""The cells and blocks of one calendar column as HTML, written in Python.

A busy week holds hundreds of blocks and hundreds of empty quarter-hour cells, and the template
language spent about a millisecond on each block (a dozen variable lookups, localized numbers,
three filters): the week of a ten-person studio took most of a second to render. The markup is
the one ``calendar.html`` always drew. Every value is escaped (``html.escape``, which Django's
own ``escape`` calls); the strings are joined by hand rather than through ``format_html``, whose
per-argument work was half the cost again, and each link is its address's prefix plus the id
(``_Column.link``) rather than a ``reverse``.
"""

from datetime import datetime, time
from functools import lru_cache
from html import escape

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..core.paths import path_around
from ..models import Business
from ..selectors.schedule import CalendarBlock, CalendarColumn, CalendarGrid, CalendarRow
from . import display_time
from .owner_texts import isolated


def column_blocks(column: CalendarColumn, business: Business) -> SafeString:
    """Every block of ``column``, in the active language and time zone."""
    if not column.blocks:
        return mark_safe("")
    shared = _Column(column, business)
    return mark_safe("\n".join(_block(block, shared) for block in column.blocks))


def column_cells(column: CalendarColumn, grid: CalendarGrid, business: Business) -> SafeString:
    """The column's quarter-hour cells: buttons that book that time with the column's staff
    member, or inert cells when the column shows everyone."""
    if not column.staff:
        inert = (f'<span class="{_cell_classes(row, "calendar-cell--inert")}"></span>' for row in grid.rows)
        return mark_safe("".join(inert))
    name = escape(isolated(column.staff.name))
    day = column.day.isoformat()
    cells = []
    for row in grid.rows:
        label = _("New booking at %(time)s with %(name)s") % {
            "time": escape(display_time.clock(row.start_time, business)),
            "name": name,
        }
        cells.append(
            f'<button type="submit" name="start" value="{day}T{row.clock}" class="{_cell_classes(row)}">'
            f'<span class="visually-hidden">{label}</span></button>'
        )
    return mark_safe("".join(cells))


def _cell_classes(row: CalendarRow, *extra: str) -> str:
    hour = " calendar-cell--hour" if row.is_hour else ""
    return " ".join(["calendar-cell", *extra, f"cal-row-{row.number}{hour}"])


class _Column:
    """What every block of a column shares: the business's clock, the links' prefixes and the
    words the blocks repeat."""

    def __init__(self, column: CalendarColumn, business: Business):
        self.business = business
        self.staff_shown = not column.staff
        self.language = get_language()
        self.clock_pattern = display_time.clock_pattern(business)
        self.booking_link = self._link("dashboard:calendar_booking")
        self.session_link = self._link("dashboard:calendar_session")
        self.awaiting = escape(_("Awaiting approval"))
        self.time_off = escape(_("Time off"))

    def _link(self, name: str) -> tuple[str, str]:
        before, after = path_around(name)
        return escape(before), escape(after)

    def link(self, link: tuple[str, str], pk: int) -> str:
        return f"{link[0]}{pk}{link[1]}"

    def clock(self, moment: datetime) -> str:
        return _wall_clock(self.language, self.clock_pattern, moment.hour, moment.minute)

    def time_range(self, start: datetime, end: datetime) -> str:
        """``display_time.time_range``, escaped, from the times written once."""
        return display_time.isolated(f"{self.clock(start)}{display_time.DASH}{self.clock(end)}")


def _block(block: CalendarBlock, shared: _Column) -> str:
    start, end = timezone.localtime(block.start), timezone.localtime(block.end)
    if block.kind == "time_off":
        return _time_off(block, start, end, shared)
    classes = f"calendar-block calendar-block--{block.kind}"
    title = shared.time_range(start, end)
    if block.is_pending:
        classes += " calendar-block--pending"
        title += " · " + shared.awaiting
    if block.kind == "appointment" and block.booking:
        link = shared.link(shared.booking_link, block.booking.pk)
        data = f'data-booking="{block.booking.pk}"'
        name = escape(block.booking.client_name)
        detail = f"<bdi>{escape(block.session.service_name)}</bdi>"
    else:
        session = block.session
        link = shared.link(shared.session_link, session.pk)
        data = f'data-session="{session.pk}"'
        name = escape(session.service_name)
        detail = f"<bdi>{session.seats_taken}/{session.capacity}</bdi>"
    if shared.staff_shown:
        detail += f" · <bdi>{escape(block.staff.name)}</bdi>"
    pending = ""
    if block.is_pending and block.booking:
        pending = f'\n  <span class="visually-hidden">{shared.awaiting}</span>'
    return (
        f'<button type="button" title="{title}" class="{classes} {_place(block)}"\n'
        f'        hx-get="{link}" hx-target="#calendar-panel" hx-swap="innerHTML" {data}>\n'
        f'  <span class="calendar-block__time">'
        f'<time datetime="{start.isoformat()}">{shared.clock(start)}</time>'
        f'<span class="visually-hidden">–{shared.clock(end)}</span></span>\n'
        f'  <span class="calendar-block__title" dir="auto">{name}</span>\n'
        f'  <span class="calendar-block__detail">{detail}</span>{pending}\n'
        "</button>"
    )


def _time_off(block: CalendarBlock, start: datetime, end: datetime, shared: _Column) -> str:
    span = escape(display_time.all_day_or_range(start, end, shared.business))
    title, reason = span, ""
    if block.reason:
        title += " · " + escape(isolated(block.reason))
        reason = f": <bdi>{escape(block.reason)}</bdi>"
    staff = ""
    if shared.staff_shown:
        staff = f'\n  <span class="calendar-block__staff" dir="auto">{escape(block.staff.name)}</span>'
    return (
        f'<div title="{title}" class="calendar-block calendar-block--time_off {_place(block)}">\n'
        f'  <span class="calendar-block__time">{span}</span>\n'
        f'  <span class="calendar-block__title">{shared.time_off}{reason}</span>{staff}\n'
        "</div>"
    )


@lru_cache(maxsize=4096)
def _wall_clock(language: str, pattern: str, hour: int, minute: int) -> str:
    """``display_time.clock``, escaped, written once per language and clock: a week's blocks start
    and end on the same few quarter hours, and formatting a time is the costliest part of a block."""
    return escape(time_format(time(hour, minute), pattern))


def _place(block: CalendarBlock) -> str:
    """The block's colour, rows and lane, as the calendar's CSS classes name them."""
    lane = f"cal-lane-{block.lane}" if block.shares_lanes else "cal-lane-all"
    return f"staff-color-{block.staff.pk} cal-row-{block.row} cal-span-{block.rows} {lane}"
