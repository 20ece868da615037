"""The receipt e-mail: stored unwritten with the receipt it is about (``services.receipts``),
written when a worker sends it, with the receipt's PDF attached, in the receipt's language."""

import base64
import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..display.receipts import filename, receipt_context, receipt_pdf
from ..models import Business, OutgoingEmail, Receipt
from . import composers

RECEIPT = "receipt"


def write_receipt_email(email: OutgoingEmail) -> dict:
    receipt = Receipt.objects.get(pk=email.about["receipt_id"])
    with translation.override(email.language or receipt.language):
        context = {**receipt_context(receipt), "business": Business.current()}
        subject = " ".join(render_to_string("emails/receipt_subject.txt", context).split())[:250]
        text = re.sub(r"\n{3,}", "\n\n", render_to_string("emails/receipt.txt", context)).strip() + "\n"
        return {
            "subject": subject,
            "body_text": text,
            "body_html": render_to_string("emails/receipt.html", {**context, "subject": subject}),
            "attachments": [
                {
                    "filename": filename(receipt),
                    "mimetype": "application/pdf",
                    "content": base64.b64encode(receipt_pdf(receipt)).decode(),
                }
            ],
        }


composers.register_composer([RECEIPT], write_receipt_email, slow=True)  # WeasyPrint: 0.3–3 s
composers.name_email_kind(RECEIPT, _("Receipt"))
