"""E-mail actions: to the client (with an unsubscribe link) and to the team."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.template.defaultfilters import linebreaks_filter, urlize
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bookings_app.mail.outbox import queue_email
from bookings_app.mail.recipients import language_for, owner_addresses

from ..context import RunContext
from ..email_frames import Frames
from ..email_tracking import record_message, tracked_html
from ..unsubscribe import unsubscribe_headers, unsubscribe_url
from ..wording import render, values_for
from .base import ActionFailed, ActionType, register, run_key, template_setting


@register
class EmailClient(ActionType):
    key, label = "email_client", _("Send an e-mail to the client")
    needs = frozenset({"client"})
    emails_client = True

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        return {
            "subject": template_setting(settings, "subject", _("subject"), offers=offers),
            "body": template_setting(settings, "body", _("message"), offers=offers),
        }

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        client = context.client
        if client is None:
            raise ActionFailed(_("This run has no client to e-mail."), retry=False)
        language = language_for(client, context.business)
        unsubscribe = unsubscribe_url(client)
        with translation.override(language), timezone.override(client.tz or context.business.tz):
            values = values_for(context, settings["subject"], settings["body"])
            subject, body = render(settings["subject"], values), render(settings["body"], values)
            page = {
                "subject": subject,
                "body": body,
                "body_html": body_as_html(body),
                "business": context.business,
                "unsubscribe_url": unsubscribe,
            }
            body_text, body_html = client_email(
                page, frames=context.batch.setdefault("email_frames", Frames())
            )
        body_html, links = tracked_html(
            body_html, run_id=context.run.pk, position=position, untracked=unsubscribe
        )
        email = queue_email(
            kind="automation",
            dedupe_key=run_key(context, position),
            to=client.email,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            client=client,
            booking=context.booking,
            language=language,
            headers=unsubscribe_headers(client, url=unsubscribe),
            business=context.business,
        )
        if email is not None:  # None: an earlier attempt stored it, and its message with it
            record_message(email=email, run=context.run, position=position, links=links)
        return _t("E-mail to %(address)s") % {"address": client.email}


# What differs from one client's e-mail to the next; the rest of the page is the batch's.
CLIENT_SLOTS = frozenset({"subject", "body", "body_html", "unsubscribe_url"})


def client_email(page: dict, *, frames: Frames | None = None) -> tuple[str, str]:
    """(text, HTML) of an e-mail to a client, rendered in the current language and time zone.
    With a batch's ``frames`` the templates are rendered once for the batch (``email_frames``)
    and each e-mail is put together by string: the same text, a fraction of the time."""
    if frames is None:
        return (
            render_to_string("automations/emails/client.txt", page),
            render_to_string("automations/emails/client.html", page),
        )
    return (
        frames.render("automations/emails/client.txt", page, slots=CLIENT_SLOTS, escape=False),
        frames.render("automations/emails/client.html", page, slots=CLIENT_SLOTS, escape=True),
    )


@lru_cache(maxsize=256)
def body_as_html(body: str) -> SafeString:
    """The owner's text as the HTML e-mail shows it: its web addresses linked, its paragraphs
    and line breaks kept (Django's ``urlize`` then ``linebreaks`` filters, escaping the rest).
    Kept for the next runs: most texts name no one and are the same for a whole burst."""
    return linebreaks_filter(urlize(body, autoescape=True), autoescape=True)


RECIPIENTS = {
    "owners": _("the owner"),
    "staff": _("the session's staff member"),
    "owners_and_staff": _("the owner and the session's staff member"),
}


@register
class NotifyTeam(ActionType):
    key, label = "notify_team", _("Notify the team by e-mail")

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        recipients = settings.get("recipients") or "owners"
        if recipients not in RECIPIENTS:
            raise ValidationError(_("Choose whom to notify."))
        if recipients != "owners" and "session" not in offers:
            raise ValidationError(_("This trigger has no session, so no staff member to notify."))
        return {
            "recipients": recipients,
            "subject": template_setting(settings, "subject", _("subject"), offers=offers),
            "body": template_setting(settings, "body", _("message"), offers=offers),
        }

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        addresses = team_addresses(context, settings["recipients"])
        if not addresses:
            raise ActionFailed(
                _("Nobody to notify: no owner or staff member has an e-mail address."), retry=False
            )
        language = language_for(None, context.business)
        with translation.override(language), timezone.override(context.business.tz):
            values = values_for(context, settings["subject"], settings["body"])
            subject = render(settings["subject"], values)
            page = {
                "subject": subject,
                "body": render(settings["body"], values),
                "business": context.business,
                "session": context.session,
                "roster": context.roster if context.session else [],
                "session_start": context.session
                and date_format(timezone.localtime(context.session.start), "DATETIME_FORMAT"),
            }
            body_text = render_to_string("automations/emails/team.txt", page)
            body_html = render_to_string("automations/emails/team.html", page)
        for number, address in enumerate(addresses):
            queue_email(
                kind="automation_team",
                dedupe_key=f"{run_key(context, position)}:{number}",
                to=address,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                language=language,
                business=context.business,
            )
        return _t("E-mail to %(addresses)s") % {"addresses": ", ".join(addresses)}


def team_addresses(context: RunContext, recipients: str) -> list[str]:
    """The owners' (active, with an address) and/or the session's staff member's, each once."""
    addresses: list[str] = []
    if recipients in ("owners", "owners_and_staff"):
        addresses += owner_addresses()
    staff = context.session.staff if context.session else None
    if recipients in ("staff", "owners_and_staff") and staff is not None and staff.email:
        addresses.append(staff.email.lower())
    return list(dict.fromkeys(addresses))
