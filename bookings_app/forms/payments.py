"""What the owner types on a booking's payment section: a payment taken at the desk."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.payments import CARD_AT_DESK, CASH
from .public import new_request_key

METHODS = [(CASH, _("Cash")), (CARD_AT_DESK, _("Card at the desk"))]


class DeskPaymentForm(forms.Form):
    """Amount and method of a payment at the desk; the receipt is e-mailed only if asked."""

    amount = forms.DecimalField(
        label=_("Amount paid"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}),
    )
    method = forms.ChoiceField(label=_("Paid by"), choices=METHODS, initial=CASH)
    email_receipt = forms.BooleanField(label=_("E-mail a receipt to the client"), required=False)
    request_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("request_key", new_request_key())
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["invalid"] = _("Enter an amount such as 12.50.")
        self.fields["request_key"].error_messages = {
            "required": _("The form has expired. Please reload the page and try again."),
            "invalid": _("The form has expired. Please reload the page and try again."),
        }
