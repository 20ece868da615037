"""Template filters for ``bookings_app.display.display_time``: ``{{ start|clock:business }}``,
``{{ hour|hour_label:business }}``, ``{% time_range start end business %}``,
``{% moment_range start end business %}``, ``short_date``, ``long_date``, ``date_and_time``,
``day_and_time``, ``short_date_and_time``. Aware values are shown in the active time zone."""

from django import template
from django.utils import timezone

from ..display import display_time

register = template.Library()


def _local(value):
    return timezone.localtime(value) if getattr(value, "tzinfo", None) else value


@register.filter(expects_localtime=True)
def clock(value, business=None) -> str:
    return display_time.clock(value, business) if value else ""


@register.filter
def hour_label(value, business=None) -> str:
    return display_time.hour_label(value, business) if value else ""


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    return display_time.short_date(value) if value else ""


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    return display_time.long_date(value) if value else ""


@register.filter(expects_localtime=True)
def date_and_time(value, business=None) -> str:
    return display_time.date_and_time(value, business) if value else ""


@register.filter(expects_localtime=True)
def day_and_time(value, business=None) -> str:
    return display_time.day_and_time(value, business) if value else ""


@register.filter(expects_localtime=True)
def short_date_and_time(value, business=None) -> str:
    return display_time.short_date_and_time(value, business) if value else ""


@register.simple_tag
def moment_range(start, end, business=None) -> str:
    """A span of days and times (time off), isolated for right-to-left text."""
    if not start or not end:
        return ""
    return display_time.moment_range(_local(start), _local(end), business)


@register.simple_tag
def time_range(start, end, business=None) -> str:
    """``09:00–10:00`` in the active zone, isolated for right-to-left text."""
    if not start or not end:
        return ""
    return display_time.time_range(_local(start), _local(end), business)
