"""The month calendar and the day's free times, shared by the service page and rescheduling.

The page and its two partials (``public/service.html#calendar`` and ``#slots``) read the same
query parameters: ``month`` (YYYY-MM), ``day`` (YYYY-MM-DD), ``staff`` (an id) and ``tz``.
Every link they render carries ``staff`` and an explicit ``tz`` forward.
"""

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from ...models import Business, Service, StaffMember
from ...selectors.availability_cache import CachedAvailability
from ...web.request_input import local_date, positive_id


@dataclass(frozen=True)
class PickerDay:
    day: date
    in_month: bool
    available: bool
    selected: bool


@dataclass(frozen=True)
class SlotChoice:
    start: datetime
    end: datetime
    staff_id: int
    url: str


@dataclass(frozen=True)
class SlotGroup:
    """The free times of one part of the day, under its heading."""

    label: str
    slots: list[SlotChoice]


# Part of the day by the hour it starts at, in the client's zone.
PARTS_OF_THE_DAY = ((0, _("Morning")), (12, _("Afternoon")), (17, _("Evening")))


@dataclass
class SlotPicker:
    """Everything ``public/service.html#calendar`` and ``#slots`` show."""

    page_url: str
    carry: dict[str, str]
    staff: StaffMember | None
    staff_choices: list[StaffMember]
    tz: ZoneInfo
    month: date
    day: date | None
    weekdays: list[date] = field(default_factory=list)
    weeks: list[list[PickerDay]] = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""
    slots: list[SlotChoice] = field(default_factory=list)

    @property
    def carried_fields(self) -> list[tuple[str, str]]:
        return list(self.carry.items())

    @property
    def slot_groups(self) -> list[SlotGroup]:
        """The day's times as Morning / Afternoon / Evening, leaving out a part with none."""
        groups: list[SlotGroup] = []
        for index, (first_hour, label) in enumerate(PARTS_OF_THE_DAY):
            last_hour = PARTS_OF_THE_DAY[index + 1][0] if index + 1 < len(PARTS_OF_THE_DAY) else 24
            slots = [
                slot for slot in self.slots if first_hour <= slot.start.astimezone(self.tz).hour < last_hour
            ]
            if slots:
                groups.append(SlotGroup(label=str(label), slots=slots))
        return groups

    @property
    def day_url(self) -> str:
        """Where a day button asks for its times; the button adds ``day`` itself."""
        return link(self.page_url, **self.carry)


def link(base: str, **params) -> str:
    """``base`` with the non-empty ``params`` as its query string."""
    query = urlencode({name: value for name, value in params.items() if value not in (None, "")})
    return f"{base}?{query}" if query else base


def build_picker(
    request: HttpRequest,
    *,
    service: Service,
    business: Business,
    tz: ZoneInfo,
    carry_tz: dict[str, str],
    staff_choices: list[StaffMember],
    page_url: str,
    slot_url: str,
    partial: str | None,
    name_staff: bool,
    cached: CachedAvailability | None = None,
) -> SlotPicker:
    """The calendar (unless only the ``slots`` partial is wanted) and the chosen day's times.

    ``name_staff``: every time links with the staff member who is free then; otherwise, with
    "Any staff member" chosen, a time links without one and booking takes whoever is free.
    Free days and times come through the cache (``cached``, read now when not given).
    """
    cached = cached or CachedAvailability.read()
    wanted = positive_id(request.GET.get("staff"))
    staff = next((member for member in staff_choices if member.pk == wanted), None)
    carry = {**({"staff": str(staff.pk)} if staff else {}), **carry_tz}
    picker = _new_picker(
        request,
        page_url=page_url,
        business=business,
        tz=tz,
        carry=carry,
        staff=staff,
        staff_choices=staff_choices,
    )
    if partial != "slots":
        _fill_calendar(picker, cached=cached, service=service, business=business)
    _fill_slots(
        picker,
        cached=cached,
        service=service,
        business=business,
        slot_url=slot_url,
        name_staff=name_staff or staff is not None,
    )
    return picker


def _new_picker(
    request: HttpRequest,
    *,
    page_url: str,
    business: Business,
    tz: ZoneInfo,
    carry: dict[str, str],
    staff: StaffMember | None,
    staff_choices: list[StaffMember],
) -> SlotPicker:
    """The picker for this request's ``month`` and ``day``, both kept within the booking window."""
    now = timezone.now()
    today = now.astimezone(tz).date()
    last_day = (now + timedelta(days=business.max_advance_days)).astimezone(tz).date()
    first_month, last_month = today.replace(day=1), last_day.replace(day=1)
    day = local_date(request.GET.get("day"))
    day = day if day and today <= day <= last_day else None
    month = _parse_month(request.GET.get("month")) or (day.replace(day=1) if day else first_month)
    month = min(max(month, first_month), last_month)
    picker = SlotPicker(
        page_url=page_url,
        carry=carry,
        staff=staff,
        staff_choices=staff_choices,
        tz=tz,
        month=month,
        day=day,
    )
    if month > first_month:
        picker.previous_url = link(page_url, month=_previous(month).strftime("%Y-%m"), **carry)
    if month < last_month:
        picker.next_url = link(page_url, month=_next(month).strftime("%Y-%m"), **carry)
    return picker


def _fill_calendar(
    picker: SlotPicker, *, cached: CachedAvailability, service: Service, business: Business
) -> None:
    """The month's weeks, starting on the locale's first weekday; days with a free time are buttons."""
    first_weekday = (get_format("FIRST_DAY_OF_WEEK") - 1) % 7  # Django counts from Sunday, Python from Monday
    weeks = calendar.Calendar(first_weekday).monthdatescalendar(picker.month.year, picker.month.month)
    free = cached.available_days(
        service=service,
        start_date=picker.month,
        end_date=_next(picker.month) - timedelta(days=1),
        tz=picker.tz,
        staff=picker.staff,
        business=business,
    )
    picker.weekdays = weeks[0]
    picker.weeks = [
        [
            PickerDay(
                day=day,
                in_month=day.month == picker.month.month,
                available=day in free,
                selected=day == picker.day,
            )
            for day in week
        ]
        for week in weeks
    ]


def _fill_slots(
    picker: SlotPicker,
    *,
    cached: CachedAvailability,
    service: Service,
    business: Business,
    slot_url: str,
    name_staff: bool,
) -> None:
    """The chosen day's free times, one link per time (the first free staff member's)."""
    if picker.day is None:
        return
    slots = cached.free_slots(
        service=service,
        start_date=picker.day,
        end_date=picker.day,
        tz=picker.tz,
        staff=picker.staff,
        business=business,
    )
    seen: set[datetime] = set()
    for slot in slots:
        instant = slot.start.astimezone(UTC)  # an autumn fold repeats wall-clock times
        if instant in seen:
            continue
        seen.add(instant)
        url = link(
            slot_url,
            start=slot.start.isoformat(),
            staff=slot.staff_id if name_staff else None,
            tz=picker.carry.get("tz"),
        )
        picker.slots.append(SlotChoice(start=slot.start, end=slot.end, staff_id=slot.staff_id, url=url))


def _parse_month(value: str | None) -> date | None:
    try:
        return datetime.strptime(value, "%Y-%m").date() if value else None
    except ValueError:
        return None


def _previous(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _next(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)
