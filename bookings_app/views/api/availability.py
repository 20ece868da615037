"""The read-only JSON API: bookable services and their free times (documented in README.md).

Every refusal is a JSON ``{"error": "<readable reason>"}`` with a 400 or 404, never a 500.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ... import selectors
from ...forms.public import AvailabilityQuery
from ...models import Business, Service, ServiceKind, Session, StaffMember
from ...selectors import availability


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def services(request: HttpRequest) -> JsonResponse:
    currency = Business.current().currency
    return JsonResponse(
        {
            "services": [
                {
                    "slug": service.slug,
                    "name": service.name,
                    "kind": service.kind,
                    "duration_minutes": service.duration_minutes,
                    "price": str(service.price),
                    "currency": currency,
                    "staff_ids": [member.pk for member in service.active_staff],
                }
                for service in selectors.bookable_services()
            ]
        }
    )


@require_GET
def availability_for(request: HttpRequest, slug: str) -> JsonResponse:
    business = Business.current()
    service = selectors.bookable_service(slug)
    if service is None:
        return _error(_("No service is bookable online at “%(slug)s”.") % {"slug": slug}, 404)
    query = AvailabilityQuery(
        request.GET, today=timezone.now().astimezone(business.tz).date(), default_tz=business.tz
    )
    if not query.is_valid():
        return _error(query.first_error(), 400)
    start, end, tz, staff_id = (query.cleaned_data[name] for name in ("start", "end", "tz", "staff"))
    staff = next((member for member in service.active_staff if member.pk == staff_id), None)
    if staff_id is not None and staff is None:
        return _error(_("Staff member %(id)s does not offer this service.") % {"id": staff_id}, 400)
    if service.kind == ServiceKind.APPOINTMENT:
        slots = availability.free_slots(
            service=service, start_date=start, end_date=end, tz=tz, staff=staff, business=business
        )
        return JsonResponse(
            {
                "service": service.slug,
                "tz": tz.key,
                "slots": [_slot_json(slot) for slot in slots],
            }
        )
    sessions = _sessions_between(service, start=start, end=end, tz=tz, staff=staff)
    return JsonResponse(
        {
            "service": service.slug,
            "tz": tz.key,
            "sessions": [_session_json(session, tz) for session in sessions],
        }
    )


def _slot_json(slot: availability.Slot) -> dict:
    return {"start": slot.start.isoformat(), "end": slot.end.isoformat(), "staff_id": slot.staff_id}


def _session_json(session: Session, tz: ZoneInfo) -> dict:
    return {
        "session_id": session.pk,
        "start": session.start.astimezone(tz).isoformat(),
        "end": session.end.astimezone(tz).isoformat(),
        "staff_id": session.staff_id,
        "seats_left": session.seats_left,
    }


def _sessions_between(
    service: Service, *, start: date, end: date, tz: ZoneInfo, staff: StaffMember | None
) -> list[Session]:
    """Scheduled sessions starting in [start 00:00, end + 1 00:00) in ``tz`` that have not begun."""
    since = max(datetime.combine(start, time(0), tzinfo=tz), timezone.now())
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    return selectors.scheduled_sessions(service=service, since=since, until=until, staff=staff)
