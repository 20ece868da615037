"""The filters of the owner's payments list (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Service
from ..models.payments import CARD_AT_DESK, CASH, CHARGED_STATUSES, LedgerKind
from ..web.request_input import CalendarDateField
from .people import DateInput

PROVIDER_CHOICES = [
    ("test", _("Test provider")),
    ("stripe", "Stripe"),
    (CASH, _("Cash")),
    (CARD_AT_DESK, _("Card at the desk")),
]


class PaymentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, e-mail or reference"), "autocomplete": "off"}
        ),
    )
    date_from = CalendarDateField(label=_("From"), required=False, widget=DateInput())
    date_to = CalendarDateField(label=_("Until"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Every kind")), *LedgerKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Payment status"),
        required=False,
        choices=[("", _("Any status")), *((s.value, s.label) for s in CHARGED_STATUSES)],
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.order_by("name"),
        required=False,
        empty_label=_("All services"),
    )
    provider = forms.ChoiceField(
        label=_("Provider"), required=False, choices=[("", _("All providers")), *PROVIDER_CHOICES]
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
