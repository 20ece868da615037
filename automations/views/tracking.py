"""The open pixel and click links of automation e-mails: public, signed, and silent when forged."""

import base64

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import email_tracking

# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
@require_GET
def email_opened(request: HttpRequest, token: str) -> HttpResponse:
    """The image a mail reader loads when the client opens the message."""
    message = email_tracking.message_for_open_token(token)
    if message is None:
        raise Http404
    email_tracking.record_open(message=message)
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
@require_GET
def email_clicked(request: HttpRequest, token: str) -> HttpResponse:
    """Count the click, then go where the message's link pointed (and only there)."""
    found = email_tracking.link_for_click_token(token)
    if found is None:
        raise Http404
    message, url = found
    email_tracking.record_click(message=message)
    return HttpResponseRedirect(url)
