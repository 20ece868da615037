"""How every time and date reads, on pages, in e-mails and in exports: one style per language.

French and Hebrew use the 24-hour clock; English follows the owner's choice
(``Business.clock_12_hour``, 24-hour by default). Dates are day-first (``config/formats``).
A time range is wrapped in Unicode isolates, so right-to-left text keeps "09:00–10:00" in
one order. Values are expected in the zone they should be read in (the template filters
convert them to the active zone).
"""

from datetime import date, datetime, time

from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
TWENTY_FOUR_HOUR, TWELVE_HOUR = "H:i", "g:i A"
TWELVE_HOUR_ON_THE_HOUR = "g A"
DASH = "\u2013"


def twelve_hour(business=None) -> bool:
    """Only English, and only when the owner chose it."""
    language = (translation.get_language() or "en").split("-")[0]
    return language == "en" and bool(business is not None and getattr(business, "clock_12_hour", False))


def clock(value: datetime | time, business=None) -> str:
    """``09:15``, or ``9:15 AM`` in English for an owner who chose the 12-hour clock."""
    return time_format(value, clock_pattern(business))


def clock_pattern(business=None) -> str:
    """The ``time_format`` pattern of ``clock`` in the active language."""
    return TWELVE_HOUR if twelve_hour(business) else TWENTY_FOUR_HOUR


def hour_label(value: time, business=None) -> str:
    """A calendar axis's hour: ``09:00``, or ``9 AM`` (a narrow column has no room for ``9:00 AM``)."""
    return time_format(value, TWELVE_HOUR_ON_THE_HOUR if twelve_hour(business) else TWENTY_FOUR_HOUR)


def isolated(text: str) -> str:
    """``text`` kept left-to-right inside right-to-left text."""
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_ISOLATE}"


def time_range(start: datetime, end: datetime, business=None) -> str:
    return isolated(f"{clock(start, business)}{DASH}{clock(end, business)}")


def short_date(value: date) -> str:
    """``Monday, 7 December`` (the weekday and the day, no year)."""
    return f"{date_format(value, 'l')}{_weekday_separator()}{date_format(value, 'MONTH_DAY_FORMAT')}"


def long_date(value: date) -> str:
    """``Monday, 7 December 2026``."""
    return f"{date_format(value, 'l')}{_weekday_separator()}{date_format(value, 'DATE_FORMAT')}"


def date_and_time(value: datetime, business=None) -> str:
    """``Monday, 7 December 2026, 09:15``."""
    return f"{long_date(value)}, {isolated(clock(value, business))}"


def short_date_and_time(value: datetime, business=None) -> str:
    """``07/12/2026 09:15``: a row of a list, a log line."""
    return f"{date_format(value, 'SHORT_DATE_FORMAT')} {isolated(clock(value, business))}"


def day_and_time(value: datetime, business=None) -> str:
    """``7 December 2026, 09:15`` (no weekday)."""
    return f"{date_format(value, 'DATE_FORMAT')}, {isolated(clock(value, business))}"


def moment_range(start: datetime, end: datetime, business=None) -> str:
    """``07/12/2026 09:00 – 08/12/2026 17:00``, in one order in right-to-left text too."""
    return isolated(f"{short_date_and_time(start, business)} {DASH} {short_date_and_time(end, business)}")


def all_day_or_range(start: datetime, end: datetime, business=None) -> str:
    """A span that covers whole days reads "All day" instead of midnight to midnight."""
    if start.time() == time(0) and end.time() == time(0) and end > start:
        return _("All day")
    return time_range(start, end, business)


def _weekday_separator() -> str:
    return " " if (translation.get_language() or "").startswith("fr") else ", "
