"""The staff area's "My calendars": a staff member's own outside calendars (add, remove), whose
busy times block their bookings, and the calendar feed address the owner made for them (to copy;
only the owner renews it). Everyone sees and changes only their own: the staff member is the one
linked to the signed-in account, never one named in the address. "Fetch now" reads one at once."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ...forms.catalog import OutsideCalendarForm
from ...models import Business, OutsideCalendar, StaffMember
from ...selectors import staff_member_of
from ...web.access import staff_required
from ...web.outside_calendars import add_posted_calendar, ask_for_fetch, calendars_context, remove_calendar

TEMPLATE = "staff/my_calendars.html"


def _get_outside_calendar_for_staff(request: HttpRequest, pk: int) -> tuple[StaffMember, OutsideCalendar]:
    """One of the signed-in staff member's own calendars; 404 for anyone else's, or without a link."""
    staff_member = staff_member_of(request.user)
    calendar = staff_member.outside_calendars.filter(pk=pk).first() if staff_member else None
    if calendar is None:
        raise Http404
    return staff_member, calendar


@staff_required
@require_http_methods(["GET", "POST"])
def my_calendars(request: HttpRequest) -> HttpResponse:
    """The page; a POST adds a calendar (a bad address: 400, the message next to its field).

    An account linked to no staff member gets the page saying so (403 for a POST: nothing added).
    """
    staff_member = staff_member_of(request.user)
    if staff_member is None:
        status = 403 if request.method == "POST" else 200
        return render(request, TEMPLATE, {"unlinked": True}, status=status)
    form = None
    if request.method == "POST":
        form = add_posted_calendar(request, staff_member)
        if form is None:
            return redirect(reverse("staff:my_calendars"))
    return _page(request, staff_member, form, status=400 if form else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def my_calendar_remove(request: HttpRequest, calendar_pk: int) -> HttpResponse:
    """Confirm, then forget the calendar and its busy times."""
    _staff_member, calendar = _get_outside_calendar_for_staff(request, calendar_pk)
    if request.method == "POST":
        remove_calendar(request, calendar)
        return redirect(reverse("staff:my_calendars"))
    context = {"outside_calendar": calendar, "business": Business.current()}
    return render(request, "staff/my_calendar_remove.html", context)


@staff_required
@require_POST
def my_calendar_fetch(request: HttpRequest, calendar_pk: int) -> HttpResponse:
    """ "Fetch now": a worker reads the calendar in a moment (once, however often it is pressed)."""
    _staff_member, calendar = _get_outside_calendar_for_staff(request, calendar_pk)
    ask_for_fetch(request, calendar)
    return redirect(reverse("staff:my_calendars") + "#outside-calendars")


def _page(
    request: HttpRequest, staff_member: StaffMember, form: OutsideCalendarForm | None, *, status: int
) -> HttpResponse:
    context = {"staff_member": staff_member, "business": Business.current()}
    return render(request, TEMPLATE, context | calendars_context(staff_member, form), status=status)
