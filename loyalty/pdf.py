"""The printable gift card: an A6 card made by WeasyPrint in the active language."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from bookings_app.models import Business

from .models import GiftCard

if TYPE_CHECKING:
    from weasyprint import Document


def render_gift_card(gift_card: GiftCard) -> "Document":
    """The laid-out card (pages and boxes), before it becomes PDF bytes."""
    import weasyprint  # heavy: loaded by the workers that print, not by every process

    business = Business.current()
    tz = (gift_card.owner.tz if gift_card.owner else None) or business.tz
    html = render_to_string(
        "loyalty/pdf/gift_card.html",
        {
            "business": business,
            "gift_card": gift_card,
            "valid_until": date_format(gift_card.last_valid_day(tz), "DATE_FORMAT"),
            "issued_on": date_format(timezone.localtime(gift_card.created_at, tz).date(), "DATE_FORMAT"),
        },
    )
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def gift_card_pdf(gift_card: GiftCard) -> bytes:
    return render_gift_card(gift_card).write_pdf()
