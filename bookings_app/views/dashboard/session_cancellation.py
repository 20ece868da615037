"""The owner cancels a class or course session from the calendar's session panel."""

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from ...core.errors import BookingError
from ...forms.session_cancellation import CancelSessionForm
from ...services.session_cancellation import cancel_session
from ...web.access import staff_required
from ...web.roles import is_owner
from .calendar import _get_session_for_viewer, render_session_panel


@staff_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """400 with the form's errors, 409 with the reason when the session can no longer be
    cancelled; else the panel with what was done, and the calendar told to reload."""
    if not is_owner(request.user):
        raise PermissionDenied
    session = _get_session_for_viewer(request, pk)
    form = CancelSessionForm(request.POST)
    if not form.is_valid():
        return render_session_panel(request, session, cancel_form=form, status=400)
    try:
        done = cancel_session(
            session=session,
            by=request.user,
            message=form.cleaned_data["message"],
            notify=form.cleaned_data["notify"],
        )
    except BookingError as error:
        session.refresh_from_db()
        return render_session_panel(
            request, session, cancel_form=form, cancel_error=error.message, status=409
        )
    session.refresh_from_db()
    response = render_session_panel(request, session, cancelled=done)
    response["HX-Trigger"] = json.dumps({"calendarChanged": session.pk})
    return response
