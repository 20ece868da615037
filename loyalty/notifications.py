"""The loyalty e-mails: points earned, balance changed by hand, a gift card issued, a gift
delivered and the thanks to its buyer.

Each is stored with ``queue_email`` inside the caller's transaction (so it exists if and
only if the change does) and sent after commit, in the client's language. The first two use
the owner's wording from the program; the gift card e-mail carries the printable PDF.
"""

import base64

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from bookings_app.mail.outbox import queue_email
from bookings_app.mail.recipients import language_for
from bookings_app.models import Booking, Business, Client, OutgoingEmail

from . import wording
from .entry_wording import describe
from .models import GiftCard, GiftCardOrder, LedgerEntry, Program
from .pdf import gift_card_pdf


def queue_points_earned(
    *, entry: LedgerEntry, booking: Booking | None, program: Program
) -> OutgoingEmail | None:
    """Tell the client what a visit (or a pack bought online: no booking) earned, with the
    owner's "points earned" wording."""
    client, business = (booking.client if booking else entry.client), Business.current()
    with translation.override(language_for(client, business)):
        subject, body = program.points_earned_wording()
        return _queue_owner_worded(
            kind="loyalty_points_earned",
            dedupe_key=f"loyalty:earned:{entry.pk}",
            client=client,
            booking=booking,
            subject=subject,
            body=body,
            business=business,
            values=_values(
                client, entry, service_name=booking.service.name if booking else "", business=business
            ),
        )


def queue_balance_changed(*, entry: LedgerEntry) -> OutgoingEmail | None:
    """Tell the client the owner added or deducted points, with the "balance changed" wording."""
    client, business = entry.client, Business.current()
    with translation.override(language_for(client, business)):
        subject, body = Program.current().balance_changed_wording()
        values = _values(client, entry, service_name="", business=business)
        values["points"] = f"{entry.points:+d}"  # "+20" or "-20": the change, with its sign
        return _queue_owner_worded(
            kind="loyalty_balance_changed",
            dedupe_key=f"loyalty:manual:{entry.pk}",
            client=client,
            booking=None,
            subject=subject,
            body=body,
            values=values,
            business=business,
        )


def queue_gift_card(*, gift_card: GiftCard, client: Client) -> OutgoingEmail | None:
    """E-mail the card to ``client``: value, code, last valid day, how to use it, and the PDF."""
    business = Business.current()
    language = language_for(client, business)
    with translation.override(language), timezone.override(client.tz or business.tz):
        context = {
            "client": client,
            "business": business,
            "gift_card": gift_card,
            "valid_until": date_format(gift_card.last_valid_day(client.tz or business.tz), "DATE_FORMAT"),
        }
        subject = render_to_string("loyalty/emails/gift_card_subject.txt", context)
        pdf = gift_card_pdf(gift_card)
        return queue_email(
            kind="loyalty_gift_card",
            dedupe_key=f"loyalty:gift_card:{gift_card.pk}",
            to=client.email,
            subject=subject,
            body_text=render_to_string("loyalty/emails/gift_card.txt", context).strip() + "\n",
            body_html=render_to_string("loyalty/emails/gift_card.html", {**context, "subject": subject}),
            client=client,
            language=language,
            attachments=[
                {
                    "filename": f"gift-card-{gift_card.code[-4:]}.pdf",
                    "mimetype": "application/pdf",
                    "content": base64.b64encode(pdf).decode(),
                }
            ],
        )


def queue_gift_delivery(*, order: GiftCardOrder, recipient: Client) -> OutgoingEmail | None:
    """E-mail a paid gift to its recipient with the buyer's message and the PDF, in the buyer's
    language; once per order (its dedupe key), however often the delivery runs."""
    business = Business.current()
    gift_card = order.gift_card
    tz = recipient.tz or business.tz
    with translation.override(order.language), timezone.override(tz):
        context = {
            "business": business,
            "gift_card": gift_card,
            "recipient_name": order.recipient_name,
            "buyer_name": order.buyer.full_name or order.buyer.email,
            "message": order.message,
            "valid_until": date_format(gift_card.last_valid_day(tz), "DATE_FORMAT"),
        }
        subject = render_to_string("loyalty/emails/gift_delivery_subject.txt", context)
        pdf = gift_card_pdf(gift_card)
        return queue_email(
            kind="loyalty_gift_delivery",
            dedupe_key=f"loyalty:gift_delivery:{order.pk}",
            to=order.recipient_email,
            subject=subject,
            body_text=render_to_string("loyalty/emails/gift_delivery.txt", context).strip() + "\n",
            body_html=render_to_string("loyalty/emails/gift_delivery.html", {**context, "subject": subject}),
            client=recipient if recipient.pk else None,
            language=order.language,
            attachments=[
                {
                    "filename": f"gift-card-{gift_card.code[-4:]}.pdf",
                    "mimetype": "application/pdf",
                    "content": base64.b64encode(pdf).decode(),
                }
            ],
        )


def queue_gift_order_thanks(*, order: GiftCardOrder) -> OutgoingEmail | None:
    """Thank the buyer of a gift (the card goes to someone else): what they bought, for whom and
    when it is e-mailed; once per order (its dedupe key), in the buyer's language."""
    business, buyer = Business.current(), order.buyer
    with translation.override(order.language), timezone.override(buyer.tz or business.tz):
        context = {
            "business": business,
            "order": order,
            "buyer_name": buyer.full_name,
            "recipient": order.recipient_name or order.recipient_email,
            "deliver_on": date_format(order.deliver_on, "DATE_FORMAT"),
        }
        subject = " ".join(render_to_string("loyalty/emails/gift_order_thanks_subject.txt", context).split())
        return queue_email(
            kind="loyalty_gift_order_thanks",
            dedupe_key=f"loyalty:gift_order_thanks:{order.pk}",
            to=buyer.email,
            subject=subject,
            body_text=render_to_string("loyalty/emails/gift_order_thanks.txt", context).strip() + "\n",
            body_html=render_to_string(
                "loyalty/emails/gift_order_thanks.html", {**context, "subject": subject}
            ),
            client=buyer,
            language=order.language,
        )


def _values(
    client: Client, entry: LedgerEntry, *, service_name: str, business: Business
) -> dict[str, object]:
    return {
        "client_name": client.full_name,
        "client_first_name": client.first_name,
        "points": entry.points,
        "balance": entry.balance_after,
        "service_name": service_name,
        "description": _entry_wording(entry, client, business),
        "business_name": business.name,
    }


def _entry_wording(entry: LedgerEntry, client: Client, business: Business) -> str:
    """The entry's description in the active (the client's) language and the client's time zone."""
    return describe(entry, tz=client.tz or business.tz)


def _queue_owner_worded(
    *,
    kind: str,
    dedupe_key: str,
    client: Client,
    booking: Booking | None,
    subject: str,
    body: str,
    values: dict[str, object],
    business: Business,
) -> OutgoingEmail | None:
    """Render the owner's text (escaped in the HTML part) and store the message."""
    subject = wording.render_template(subject, values)
    body_text = wording.render_template(body, values).strip() + "\n"
    body_html = render_to_string(
        "loyalty/emails/message.html",
        {
            "subject": subject,
            "body_html": wording.body_html(body_text),
            "business": business,
        },
    )
    return queue_email(
        kind=kind,
        dedupe_key=dedupe_key,
        to=client.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        client=client,
        booking=booking,
        language=translation.get_language(),
    )
