"""Reading ids, numbers and dates from query strings and forms: one way, for every view.

A value that cannot be used becomes None (the view then shows its default or refuses with a
4xx), never an exception. ``str.isdigit()`` is not enough: it accepts ``²`` and ``٣``, which
``int()`` or the database then refuse; a date in year 9999 overflows as soon as the calendar
adds a day or converts it to UTC.
"""

import math
from datetime import UTC, date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The widest column Django's AutoField/BigAutoField ids live in (PostgreSQL bigint, SQLite integer).
BIGINT_MAX = 9_223_372_036_854_775_807
# PositiveIntegerField and IntegerField on PostgreSQL are 4-byte integers.
INTEGER_MAX = 2_147_483_647

# Dates a page may be asked for: far enough from date.min and date.max that a week or a month
# either side, and the conversion of the day's midnight to UTC in any time zone, still fit.
EARLIEST_DATE = date(2, 1, 1)
LATEST_DATE = date(9998, 12, 31)


def ascii_digits(value: object) -> bool:
    """True for a non-empty string of the digits 0-9 only (no sign, no ``²``, no ``٣``)."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def bounded_int(value: object, *, minimum: int = 0, maximum: int = INTEGER_MAX) -> int | None:
    """A whole number written in ASCII digits (an optional leading minus) between the bounds."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    digits = text[1:] if text.startswith("-") else text
    if not ascii_digits(digits) or len(digits) > len(str(max(abs(minimum), abs(maximum)))):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def positive_id(value: object) -> int | None:
    """A database id: ASCII digits, at least 1, within the BIGINT range."""
    return bounded_int(value, minimum=1, maximum=BIGINT_MAX)


def finite_number(value: object) -> float | None:
    """A real number from text, refusing NaN and the infinities (``1e309`` included)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def local_date(value: object) -> date | None:
    """An ISO date (YYYY-MM-DD) a calendar can show: its neighbours and its midnight in any time
    zone still fit in a datetime."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


def wall_datetime(value: object, tz) -> datetime | None:
    """An ISO date-time; a naive one is read on the wall clock of ``tz``."""
    moment = _iso_datetime(value)
    if moment is None:
        return None
    return moment.replace(tzinfo=tz) if timezone.is_naive(moment) else moment


def aware_datetime(value: object) -> datetime | None:
    """An ISO date-time that carries its UTC offset; None for a naive one."""
    moment = _iso_datetime(value)
    return moment if moment is not None and timezone.is_aware(moment) else None


def _iso_datetime(value: object) -> datetime | None:
    """``+`` of an offset may arrive as a space from a URL; the day must be one a calendar can show."""
    if not isinstance(value, str) or not value.isascii():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        return None
    return moment if EARLIEST_DATE <= moment.date() <= LATEST_DATE else None


class CalendarDateField(forms.DateField):
    """A form's date that a calendar can show (see ``local_date``); year 9999 is refused."""

    default_error_messages = {"too_far": _("This date is too far from today.")}

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(self.error_messages["too_far"], code="too_far")
        return day


class CalendarDateTimeField(forms.DateTimeField):
    """A form's date and time on a day a calendar can show (see ``local_date``).

    The bounds are checked on a reading in UTC first: applying the current time zone to a wall
    time in year 1 or year 9999 is what overflows.
    """

    default_error_messages = {"too_far": _("This date is too far from today.")}

    def to_python(self, value):
        with timezone.override(UTC):
            moment = super().to_python(value)
        if moment is not None and not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
            raise forms.ValidationError(self.error_messages["too_far"], code="too_far")
        return super().to_python(value)
