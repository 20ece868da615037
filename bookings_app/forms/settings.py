"""Forms of the owner dashboard."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Business


class BusinessSettingsForm(forms.ModelForm):
    class Meta:
        model = Business
        fields = [
            "name",
            "time_zone",
            "currency",
            "language",
            "clock_12_hour",
            "sender_email",
            "min_notice_minutes",
            "max_advance_days",
            "cancel_window_hours",
            "slot_step_minutes",
            "legal_name",
            "legal_address",
            "tax_number",
            "vat_rate",
            "max_upcoming_bookings",
            "max_bookings_per_day",
            "max_bookings_per_week",
        ]
        widgets = {
            "legal_address": forms.Textarea(attrs={"rows": 3}),
            "vat_rate": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vat_rate"].required = False  # empty: no VAT

    def clean_vat_rate(self) -> Decimal:
        rate = self.cleaned_data.get("vat_rate")
        return Decimal("0.00") if rate is None else rate

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter code such as EUR or ILS."))
        return currency
