"""E-mail actions: to the client (with an unsubscribe link) and to the team."""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bookings_app.mail.outbox import queue_email
from bookings_app.mail.recipients import language_for, owner_addresses

from ..context import RunContext
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
        with translation.override(language), timezone.override(client.tz or context.business.tz):
            values = values_for(context, settings["subject"], settings["body"])
            subject = render(settings["subject"], values)
            page = {
                "subject": subject,
                "body": render(settings["body"], values),
                "business": context.business,
                "unsubscribe_url": unsubscribe_url(client),
            }
            body_text = render_to_string("automations/emails/client.txt", page)
            body_html = render_to_string("automations/emails/client.html", page)
        body_html, links = tracked_html(
            body_html, run_id=context.run.pk, position=position, untracked=page["unsubscribe_url"]
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
            headers=unsubscribe_headers(client),
            business=context.business,
        )
        if email is not None:  # None: an earlier attempt stored it, and its message with it
            record_message(email=email, run=context.run, position=position, links=links)
        return _t("E-mail to %(address)s") % {"address": client.email}


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
