"""The builder's e-mail extras: a live preview of an e-mail action and "send me a test".

Both read the whole builder form (the draft travels in it) and the action's place
``action_index``, so they work before the automation is saved.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings_app.web.access import owner_required
from bookings_app.web.request_input import bounded_int

from ..builder_fields import EMAIL_KINDS
from ..drafts import Draft
from ..email_preview import EmailPreview, TestEmailRefused, preview_email, send_test_email

PREVIEW = "automations/dashboard/_email_preview.html"


def _preview_for(request: HttpRequest) -> EmailPreview | None:
    """The e-mail action at ``action_index`` of the posted draft, rendered; None if there is none."""
    draft = Draft.from_post(request.POST)
    index = bounded_int(request.POST.get("action_index"))
    if index is None or index >= len(draft.actions):
        return None
    action = draft.actions[index]
    if action["kind"] not in EMAIL_KINDS:
        return None
    settings = action["settings"]
    return preview_email(
        kind=action["kind"],
        subject=str(settings.get("subject", "")),
        body=str(settings.get("body", "")),
        offers=draft.offers,
        service_ids=draft.service_ids,
    )


@owner_required
@require_POST
def email_preview(request: HttpRequest) -> HttpResponse:
    preview = _preview_for(request)
    if preview is None:
        return HttpResponse(_("This action does not send an e-mail."), status=400)
    return render(request, PREVIEW, {"preview": preview})


@owner_required
@require_POST
def email_test(request: HttpRequest) -> HttpResponse:
    """E-mail the previewed message to the signed-in owner."""
    preview = _preview_for(request)
    if preview is None:
        return HttpResponse(_("This action does not send an e-mail."), status=400)
    try:
        send_test_email(preview=preview, to=request.user.email)
    except TestEmailRefused as refusal:
        return render(request, PREVIEW, {"preview": preview, "refusal": refusal.message}, status=400)
    return render(request, PREVIEW, {"preview": preview, "sent_to": request.user.email})
