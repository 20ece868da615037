"""The builder's e-mail preview and "send me a test": the owner's subject and message rendered
through ``wording`` (only known variables, nothing else reachable) with a real client and
booking when there is one, sample values for the rest."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bookings_app.display.owner_texts import isolated
from bookings_app.mail.outbox import queue_email
from bookings_app.mail.recipients import language_for
from bookings_app.models import Booking, BookingStatus, Business, OutgoingEmail

from .actions.emails import body_as_html
from .context import RunContext
from .wording import render, validate_template, values_for


class TestEmailRefused(Exception):
    def __init__(self, message) -> None:
        self.message = str(message)
        super().__init__(self.message)


@dataclass
class EmailPreview:
    subject: str
    body_text: str
    body_html: str
    language: str
    example: str  # whose data fills the variables, in words
    problems: list[str] = field(default_factory=list)


def _sample_values(business: Business) -> dict[str, str]:
    start = timezone.localtime(timezone.now() + timedelta(days=1), business.tz).replace(hour=10, minute=0)
    return {
        "client_first_name": _t("Alice"),
        "client_name": _t("Alice Martin"),
        "service_name": _t("Yoga class"),
        "session_start": date_format(start, "DATETIME_FORMAT"),
        "staff_name": _t("Sam"),
        "business_name": business.name,
        "points_balance": "120",
        "points_earned": "10",
    }


def example_booking(*, service_ids: list[int]) -> Booking | None:
    """The latest confirmed booking (of the chosen services, if any) to fill the preview with."""
    bookings = Booking.objects.select_related("client", "service", "session__staff").filter(
        status=BookingStatus.CONFIRMED
    )
    if service_ids:
        bookings = bookings.filter(service_id__in=service_ids)
    return bookings.order_by("-created_at", "-pk").first()


def example_wording(*, service_ids: list[int]) -> Callable[[str], str]:
    """Fills an owner's text as the preview does (the latest booking, sample values for the rest),
    in the active language, kept in its own direction: the builder's sentence quotes what a
    client would read, English inside Hebrew included."""
    business = Business.current()
    values = _values(business, example_booking(service_ids=service_ids))
    return lambda text: isolated(render(text, values))


def preview_email(
    *, kind: str, subject: str, body: str, offers: frozenset[str], service_ids: list[int]
) -> EmailPreview:
    """The message as a client (``email_client``) or the team (``notify_team``) would get it."""
    business = Business.current()
    booking = example_booking(service_ids=service_ids)
    client = booking.client if booking and kind == "email_client" else None
    language = language_for(client, business)
    problems = []
    for template in (subject, body):
        try:
            validate_template(template, offers=offers)
        except ValidationError as error:
            problems += error.messages
    example_line = _example_line(booking)
    with translation.override(language), timezone.override((client and client.tz) or business.tz):
        values = _values(business, booking)
        text = render(body, values)
        page = {
            "subject": render(subject, values),
            "body": text,
            "body_html": body_as_html(text),
            "business": business,
            "unsubscribe_url": "#",
            "session": None,
            "roster": [],
        }
        audience = "client" if kind == "email_client" else "team"
        return EmailPreview(
            subject=page["subject"],
            body_text=render_to_string(f"automations/emails/{audience}.txt", page),
            body_html=render_to_string(f"automations/emails/{audience}.html", page),
            language=language,
            example=example_line,
            problems=list(dict.fromkeys(problems)),
        )


def _example_line(booking: Booking | None) -> str:
    """Whose data fills the variables, for the owner: in the owner's language, not the message's."""
    if booking is None:
        return _t("Example: sample client and booking")
    return _t("Example: %(client)s's booking of %(service)s") % {
        "client": isolated(booking.client.full_name),
        "service": isolated(booking.service.name),
    }


def _values(business: Business, booking: Booking | None) -> dict[str, str]:
    values = _sample_values(business)
    if booking is None:
        return values
    context = RunContext(
        run=None,
        automation=None,
        business=business,
        event=None,
        client=booking.client,
        booking=booking,
        session=booking.session,
        service=booking.service,
        facts={},
    )
    values.update({name: value for name, value in values_for(context).items() if value})
    return values


def send_test_email(*, preview: EmailPreview, to: str) -> OutgoingEmail:
    """Queue the previewed message to ``to`` (the owner), subject prefixed "[Test]"; it is not
    an automation message, so it has no tracking and counts in no statistics."""
    if not to:
        raise TestEmailRefused(_("Your account has no e-mail address to send the test to."))
    with translation.override(preview.language):
        subject = _t("[Test] %(subject)s") % {"subject": preview.subject}
    with transaction.atomic():
        return queue_email(
            kind="automation_test",
            dedupe_key=f"automation-test:{uuid.uuid4().hex}",
            to=to,
            subject=subject,
            body_text=preview.body_text,
            body_html=preview.body_html,
            language=preview.language,
        )
