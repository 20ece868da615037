"""Outside calendars as the staff page shows them: one query, with the count of busy times to come."""

from django.db.models import Count, Q
from django.utils import timezone

from ..models import OutsideCalendar, StaffMember


def outside_calendars_of(staff_member: StaffMember) -> list[OutsideCalendar]:
    """The staff member's outside calendars, each with ``upcoming_busy`` (busy times not yet over)."""
    upcoming = Count("busy_times", filter=Q(busy_times__end__gt=timezone.now()))
    return list(staff_member.outside_calendars.annotate(upcoming_busy=upcoming).order_by("name", "pk"))
