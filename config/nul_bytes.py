"""Refuse a request with a NUL character in its path, query string or plain form fields.

No browser sends one, PostgreSQL cannot store or compare one in text, and a view reading
``request.GET["q"]`` straight into a query would answer 500. One 400 here covers every view.
Multipart bodies are left to the forms (Django's CharField already refuses NUL), so file
uploads and webhooks that read the raw body are not parsed early.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


def _in_fields(fields) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields.lists())


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _in_fields(request.GET):
        return True
    return (
        request.method == "POST"
        and request.content_type == "application/x-www-form-urlencoded"
        and _in_fields(request.POST)
    )


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            return HttpResponseBadRequest(_("The request contains a NUL character, which no form can hold."))
        return self.get_response(request)
