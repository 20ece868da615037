"""The owner's Sent e-mails pages: every stored message, one message as the client saw it, its attachments."""

import base64
import binascii

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ...forms.people import EmailFilterForm
from ...models import Business, OutgoingEmail
from ...plug_ins.email_previews import preview_html
from ...selectors import sent_emails_for_list
from ...web.access import owner_required
from ...web.pages import render_page

PER_PAGE = 25


def _get_email_for_owner(pk: int) -> OutgoingEmail:
    """Any stored e-mail, for the owner (the decorator has checked the role)."""
    return get_object_or_404(OutgoingEmail.objects.select_related("client", "booking__service"), pk=pk)


@owner_required
@require_GET
def emails(request: HttpRequest) -> HttpResponse:
    """Every e-mail Rendez stored, newest first."""
    filters = EmailFilterForm(request.GET)
    filters.is_valid()  # an invalid filter does not narrow the list
    page = Paginator(sent_emails_for_list(filters.cleaned_data), PER_PAGE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "business": Business.current()}
    return render_page(request, "dashboard/emails/list.html", context, fragment="table")


@owner_required
@require_GET
def email(request: HttpRequest, pk: int) -> HttpResponse:
    """One e-mail: its headers, the text version and the HTML version in a sandboxed frame."""
    message = _get_email_for_owner(pk)
    attachments = [
        {"index": index, "filename": _filename(attachment, index), "mimetype": attachment.get("mimetype", "")}
        for index, attachment in enumerate(message.attachments or [])
    ]
    return render(
        request,
        "dashboard/emails/email.html",
        {
            "message": message,
            "attachments": attachments,
            "business": Business.current(),
            "body_html": preview_html(message.body_html),
        },
    )


@owner_required
@require_GET
def email_attachment(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """One attachment, downloaded (never shown inline in the dashboard)."""
    message = _get_email_for_owner(pk)
    stored = message.attachments or []
    if index >= len(stored):
        raise Http404
    attachment = stored[index]
    try:
        content = base64.b64decode(attachment.get("content", ""), validate=True)
    except (binascii.Error, ValueError) as e:
        raise Http404 from e
    response = HttpResponse(content, content_type=attachment.get("mimetype") or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, _filename(attachment, index))
    return response


def _filename(attachment: dict, index: int) -> str:
    return str(attachment.get("filename") or f"attachment-{index + 1}")
