"""The public page of one service: an appointment's day and time picker, or a class's or
course's sessions.

An appointment's page and its picker fragments are kept whole under the availability version
(docs/architecture.md, "Availability cache"; ``bookings_app/web/kept_pages.py``).
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ... import selectors
from ...display.client_zone import asked_zone, carried_tz, client_time_zone
from ...models import Business, ServiceKind
from ...selectors.availability_cache import CachedAvailability
from ...web import kept_pages
from ...web.embedding import is_embedded
from .booking import _get_service_for_client, picker_partial
from .slot_picker import build_picker


@require_GET
@vary_on_headers("HX-Request")
def service(request: HttpRequest, slug: str) -> HttpResponse:
    cached = CachedAvailability.read()
    partial = picker_partial(request)
    kept_key = _kept_key(request, cached, partial)
    if kept_key and (answer := _kept_answer(request, cached, kept_key, partial)):
        return answer
    business = Business.current()
    service = _get_service_for_client(slug)
    tz = client_time_zone(request, business)
    context = {
        "business": business,
        "service": service,
        "tz": tz,
        "carry_query": urlencode(carried_tz(request)),
    }
    if service.kind == ServiceKind.APPOINTMENT:
        context["picker"] = build_picker(
            request,
            service=service,
            business=business,
            tz=tz,
            carry_tz=carried_tz(request),
            staff_choices=selectors.active_staff(service),
            page_url=service.get_absolute_url(),
            slot_url=reverse("public:book", args=[service.slug]),
            partial=partial,
            name_staff=False,
            cached=cached,
        )
        if kept_key:
            return _kept(request, cached, kept_key, partial, context)
        if partial:
            return render(request, f"public/service.html#{partial}", context)
    elif service.kind == ServiceKind.CLASS:
        context["sessions"] = selectors.upcoming_class_sessions(service=service, business=business)
        context["places_held"] = selectors.sessions_with_a_place_for(request.user, context["sessions"])
        if service.has_waitlist:
            full = [session for session in context["sessions"] if not session.seats_left]
            lengths = selectors.waitlist_lengths(full)
            context["lines_full"] = {pk for pk, n in lengths.items() if n >= service.waitlist_max}
    else:
        context["sessions"] = selectors.course_sessions(service)
        context["enrolment_open"] = selectors.course_is_open(context["sessions"], business=business)
        context["course_line"] = selectors.course_line(service, context["sessions"])
    return render(request, "public/service.html", context)


# --- An appointment's page and fragments, kept whole ----------------------------------------------


def _kept_key(request: HttpRequest, cached: CachedAvailability, partial: str | None) -> str | None:
    """The key an appointment's answer is kept under for everyone asking this address in this
    language and zone under this availability; None when it may not be kept.

    The picker fragments (the day's ``slots``, the month ``calendar``) name nobody. The whole
    page is kept for visitors who may share it (``kept_pages.may_share``: anonymous, no message
    waiting), its CSRF token left out. A class's or course's page is never kept: it names the
    visitor's places and reads its waitlist, which the availability version does not follow."""
    if partial is None and not kept_pages.may_share(request):
        return None
    zone = asked_zone(request)
    return cached.etag(
        partial or "page",
        request.get_full_path(),
        get_language(),
        zone.key if zone else "business",
        "embedded" if is_embedded(request) else "",
    )


def _kept_answer(
    request: HttpRequest, cached: CachedAvailability, kept_key: str, partial: str | None
) -> HttpResponse | None:
    """304 when the browser holds the answer, else the kept answer; None when nothing is kept."""
    etag = kept_key if partial else kept_pages.visitor_etag(request, kept_key)
    if etag and (not_modified := get_conditional_response(request, etag=etag)):
        return kept_pages.revalidated(not_modified, etag)
    kept = cached.page(kept_key)
    return None if kept is None else _served(request, kept, kept_key, partial)


def _kept(
    request: HttpRequest, cached: CachedAvailability, kept_key: str, partial: str | None, context: dict
) -> HttpResponse:
    """Render the answer for everyone, keep it, and serve it to this visitor."""
    template = f"public/service.html#{partial}" if partial else "public/service.html"
    content = kept_pages.render_to_keep(request, template, context)
    cached.keep_page(kept_key, content)
    return _served(request, content, kept_key, partial)


def _served(request: HttpRequest, content: bytes, kept_key: str, partial: str | None) -> HttpResponse:
    if partial:
        return kept_pages.revalidated(HttpResponse(content), kept_key)
    return kept_pages.serve(request, content, kept_key)
