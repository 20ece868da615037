"""Outside calendars as two pages handle them: the owner's staff page and the staff member's own
"My calendars". One form, one service and one wording for both; each page decides whose."""

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..core.outside_calendars import CalendarAddressRefused
from ..forms.catalog import OutsideCalendarForm
from ..models import OutsideCalendar, StaffMember
from ..selectors import live_feed_of, outside_calendars_of
from ..services import busy_times
from .links import feed_url


def add_posted_calendar(request: HttpRequest, staff_member: StaffMember) -> OutsideCalendarForm | None:
    """Add the calendar the POST describes: None once added (the success message is set), else
    the form with its errors next to its fields. Its first fetch is queued at once."""
    form = OutsideCalendarForm(request.POST)
    if form.is_valid():
        try:
            busy_times.add_outside_calendar(staff_member=staff_member, **form.cleaned_data)
        except CalendarAddressRefused as refused:
            form.add_error("url", refused.message)
        else:
            messages.success(request, _("Outside calendar added. Its busy times are being fetched."))
            return None
    return form


def remove_calendar(request: HttpRequest, calendar: OutsideCalendar) -> None:
    """Forget the calendar and its busy times, and say so."""
    busy_times.remove_outside_calendar(calendar=calendar)
    messages.success(request, _("Outside calendar removed."))


def ask_for_fetch(request: HttpRequest, calendar: OutsideCalendar) -> None:
    """ "Fetch now", and say so."""
    busy_times.request_fetch(calendar=calendar)
    messages.success(request, _("Fetch queued: the busy times update in a moment."))


def calendars_context(staff_member: StaffMember, form: OutsideCalendarForm | None = None) -> dict:
    """What ``staff_calendars/_outside_calendars.html`` and ``_feed_address.html`` show: the
    calendars with their last success and error, the add form (bound, with errors, or fresh), and
    the staff member's feed address ("" without one)."""
    return {
        "outside_calendars": outside_calendars_of(staff_member),
        "outside_calendar_form": form or OutsideCalendarForm(),
        "feed_address": feed_url(live_feed_of(staff=staff_member)),
    }
