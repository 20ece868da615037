"""Forms of the owner dashboard."""

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
            "max_upcoming_bookings",
            "max_bookings_per_day",
            "max_bookings_per_week",
        ]

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter code such as EUR or ILS."))
        return currency
