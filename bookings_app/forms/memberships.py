"""The owner's membership forms on a client's Plans page: extend, freeze, cancel, renewal paid at
the desk; and which fields of the plan form belong to which kind of plan."""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Billing, Business, TestCard

PACK_ONLY = ("credits", "valid_days", "valid_from", "one_per_client", "no_show_forfeits")
MEMBERSHIP_ONLY = ("sessions_per_period", "period", "notice_days")

# How a membership given or sold at the desk renews: paid at the desk each month, or (for
# demonstrations, with the test provider) through a test card that renews or declines.
RENEWAL_CHOICES = [
    ("desk", _("At the desk, by hand")),
    ("test_renews", _("Test provider: a test card that renews")),
    ("test_declines", _("Test provider: a test card that declines renewals")),
]


def billing_for(choice: str) -> dict:
    if choice == "test_renews":
        return {"billing": Billing.PROVIDER, "provider": "test", "test_card": TestCard.RENEWS}
    if choice == "test_declines":
        return {"billing": Billing.PROVIDER, "provider": "test", "test_card": TestCard.DECLINES}
    return {"billing": Billing.DESK}


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=366)


class FreezeForm(forms.Form):
    starts_on = forms.DateField(label=_("Frozen from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (included)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bookings it paid for in these days are cancelled."),
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The freeze must end after it starts."))
        return cleaned

    def span(self) -> tuple[datetime, datetime]:
        """Midnight of the first day to midnight after the last, in the business's zone."""
        tz = Business.current().tz
        start = datetime.combine(self.cleaned_data["starts_on"], datetime.min.time(), tzinfo=tz)
        end = datetime.combine(
            self.cleaned_data["ends_on"] + timedelta(days=1), datetime.min.time(), tzinfo=tz
        )
        return start, end


class CancelForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Cancel"),
        choices=[("period_end", _("At the period end, with the notice")), ("now", _("At once"))],
        initial="period_end",
        widget=forms.RadioSelect,
    )


class DeskRenewalForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Paid at the desk"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Empty: the plan's price."),
    )


def _check_date(value):
    if value.year < 2000 or value.year > 2100:
        raise ValidationError(_("Enter a date between 2000 and 2100."))


for _field in ("starts_on", "ends_on"):
    FreezeForm.base_fields[_field].validators.append(_check_date)
