"""The team's hand on a session's waitlist, from the calendar's session panel: move a client up,
book them, take them out of the line. Each answers with the panel as it is now."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ...core.errors import BookingError
from ...models import WaitlistEntry
from ...services.waitlist import book_from_waitlist, move_up, remove_from_waitlist
from ...web.access import staff_required
from .calendar import _get_session_for_viewer, render_session_panel

ACTIONS = ("up", "book", "remove")


@staff_required
@require_POST
def waitlist_action(request: HttpRequest, pk: int, entry_pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    session = _get_session_for_viewer(request, pk)
    entry = get_object_or_404(WaitlistEntry, pk=entry_pk, session=session)
    try:
        if action == "up":
            move_up(entry=entry)
        elif action == "book":
            book_from_waitlist(entry=entry, by=request.user)
        else:
            remove_from_waitlist(entry=entry, by=request.user)
    except BookingError as error:
        session.refresh_from_db()
        return render_session_panel(request, session, error=error.message, status=409)
    session.refresh_from_db()
    return render_session_panel(request, session)
