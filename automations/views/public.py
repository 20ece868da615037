"""The client's unsubscribe page: GET asks, POST opts out (also RFC 8058 one-click POSTs)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bookings_app.models import Client

from .. import services
from ..unsubscribe import client_for_token


def _get_client_for_token(token: str) -> Client:
    """The client an unsubscribe link was made for; 404 for a tampered or unknown token."""
    client = client_for_token(token)
    if client is None:
        raise Http404
    return client


# Mail providers POST "List-Unsubscribe=One-Click" without a CSRF token (RFC 8058). The POST
# only opts the link's own client out of automation e-mails, which a forged request cannot abuse.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    client = _get_client_for_token(token)
    if request.method == "POST":
        services.opt_out(client=client)
        return render(request, "automations/public/unsubscribed.html", {"client": client})
    return render(
        request,
        "automations/public/unsubscribe.html",
        {
            "client": client,
            "already": services.is_opted_out(client),
        },
    )
