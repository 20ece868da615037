"""The owner's loyalty forms: program settings, a service's points, adjustments, products, reports."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings_app.models import Client, Service
from bookings_app.web.request_input import CalendarDateField

from .models import EntryKind, GiftCardProduct, Program
from .models.program import TEMPLATE_FIELDS
from .selectors import GiftCardState, PointsReportFilters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramSettingsForm(forms.ModelForm):
    """The switch, the delay, the points per unit paid online and the four texts; the model
    validates the variables."""

    class Meta:
        model = Program
        fields = (
            "is_enabled",
            "credit_delay_hours",
            "points_per_currency_unit",
            "points_for_plans",
            *TEMPLATE_FIELDS,
            "sells_gift_cards",
            "gift_card_min_amount",
            "gift_card_max_amount",
        )
        widgets = {
            "template_points_earned_body": forms.Textarea(attrs={"rows": 6}),
            "template_balance_changed_body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points_per_currency_unit"].required = False  # left out: unchanged
        self.fields["points_per_currency_unit"].widget.attrs["min"] = 0

    def clean(self):
        data = super().clean()
        low, high = data.get("gift_card_min_amount"), data.get("gift_card_max_amount")
        if (low is None) != (high is None) and not self.errors.keys() & {
            "gift_card_min_amount",
            "gift_card_max_amount",
        }:
            self.add_error(
                "gift_card_max_amount" if high is None else "gift_card_min_amount",
                _("Enter both amounts, or leave both empty."),
            )
        elif low is not None and high is not None and high < low:
            self.add_error("gift_card_max_amount", _("The largest amount cannot be below the smallest."))
        return data


class ServicePointsForm(forms.Form):
    earns_points = forms.BooleanField(label=_("Connect this service to the loyalty program"), required=False)
    points = forms.IntegerField(
        label=_("Points per booking"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Credited after each attended booking."),
    )

    def clean(self):
        data = super().clean()
        if data.get("earns_points") and data.get("points") is None and "points" not in self.errors:
            self.add_error("points", _("Enter how many points each booking earns."))
        return data


class AdjustPointsForm(forms.Form):
    """A whole number, a minus sign deducting; the client sees the description."""

    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Search for a client and choose one."),
            "invalid_choice": _("Search for a client and choose one."),
        },
    )
    points = forms.IntegerField(
        label=_("Points"),
        help_text=_("Use a minus sign to deduct, e.g. -20."),
        min_value=-1_000_000,
        max_value=1_000_000,
        error_messages={"invalid": _("Enter a whole number, such as 50 or -20.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        help_text=_("The client sees it in their history."),
    )

    def clean_points(self) -> int:
        points = self.cleaned_data["points"]
        if points == 0:
            raise ValidationError(_("Enter a number other than zero."))
        return points


class GiftCardProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    value = forms.DecimalField(label=_("Value"), min_value=Decimal("0.01"), max_digits=9, decimal_places=2)
    validity_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=3650, initial=365)
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)
    sold_for_money = forms.BooleanField(
        label=_("Sold online for its value"),
        required=False,
        help_text=_("Offered on the public gift card page while gift card sales are on."),
    )
    sold_for_points = forms.BooleanField(label=_("Clients can buy it with points"), required=False)
    points_price = forms.IntegerField(
        label=_("Price in points"),
        required=False,
        help_text=_("How many points a client exchanges for this card."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("sold_for_points"):
            data["points_price"] = None
        elif data.get("points_price") is None and "points_price" not in self.errors:
            self.add_error("points_price", _("Enter the price in points."))
        return data

    @classmethod
    def initial_for(cls, product: GiftCardProduct) -> dict:
        return {
            "name": product.name,
            "description": product.description,
            "value": product.value,
            "validity_days": product.validity_days,
            "is_active": product.is_active,
            "sold_for_money": product.sold_for_money,
            "sold_for_points": product.points_price is not None,
            "points_price": product.points_price,
        }


class IssueGiftCardForm(forms.Form):
    """From a product, or for any value; to a chosen client or to an e-mail address."""

    product = forms.ModelChoiceField(
        label=_("Gift card"),
        queryset=GiftCardProduct.objects.all(),
        required=False,
        empty_label=_("Any value (enter it below)"),
    )
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Leave empty to use the gift card's value."),
    )
    client = forms.ModelChoiceField(queryset=Client.objects.all(), required=False, widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("Or send it to an e-mail address"),
        required=False,
        help_text=_("A new client is created for an address we do not know."),
    )
    name = forms.CharField(label=_("Recipient's name"), max_length=80, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("product") and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Choose a gift card or enter a value."))
        if not data.get("client") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Choose a client or enter an e-mail address."))
        return data


class PointsReportFilterForm(forms.Form):
    date_from = CalendarDateField(
        label=pgettext_lazy("first day of a report", "From"), required=False, widget=DATE
    )
    date_to = CalendarDateField(
        label=pgettext_lazy("last day of a report", "To"), required=False, widget=DATE
    )
    client = forms.ModelChoiceField(queryset=Client.objects.all(), required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EntryKind.choices]
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        required=False,
        queryset=Service.objects.order_by("name"),
        empty_label=_("All services"),
    )

    def filters(self) -> PointsReportFilters:
        """What the valid fields say; a field with an error filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        return PointsReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            client_id=data["client"].pk if data.get("client") else None,
            kind=data.get("kind") or "",
            service_id=data["service"].pk if data.get("service") else None,
        )


class GiftCardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Code, name or e-mail"), "autocomplete": "off"}
        ),
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (GiftCardState.ACTIVE, _("Active")),
            (GiftCardState.SPENT, _("Spent")),
            (GiftCardState.EXPIRED, _("Expired")),
        ],
    )
