"""The owner's discount code form and the list's search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DiscountCode, DiscountKind, Service
from ..web.request_input import positive_id

MAX_LIMIT = 1_000_000


class ServiceChoices(forms.ModelMultipleChoiceField):
    """Services by id; an id the database could not even hold is refused before it is asked."""

    def _check_values(self, value):
        for pk in value:
            if positive_id(str(pk)) is None:
                raise forms.ValidationError(_("Choose services from the list."), code="invalid_pk_value")
        return super()._check_values(value)


class DiscountCodeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    archived = forms.BooleanField(label=_("Show archived"), required=False)


class DiscountCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[\w-]{1,32}$",
        max_length=32,
        error_messages={"invalid": _("Use letters, digits and hyphens, up to 32.")},
        help_text=_("What clients type, in capitals or not: WELCOME10 and welcome10 are the same code."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false", "dir": "ltr"}),
    )
    kind = forms.ChoiceField(
        label=_("Discount"),
        choices=DiscountKind.choices,
        widget=forms.RadioSelect,
        initial=DiscountKind.PERCENT,
    )
    percent = forms.DecimalField(
        label=_("Percentage off"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
        help_text=_("More than 0, at most 100."),
    )
    amount = forms.DecimalField(
        label=_("Amount off"), required=False, max_digits=9, decimal_places=2, min_value=0.01
    )
    services = ServiceChoices(
        label=_("Services"),
        required=False,
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: it applies to every service."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day it can be used, included."),
    )
    max_uses = forms.IntegerField(
        label=_("Total uses"),
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=_("Empty: no limit."),
    )
    max_uses_per_client = forms.IntegerField(
        label=_("Uses per client"),
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=_("Empty: no limit."),
    )

    def __init__(self, *args, currency: str, instance: DiscountCode | None = None, **kwargs) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {}).update(
                {name: getattr(instance, name) for name in self.base_fields if name != "services"}
            )
            kwargs["initial"]["services"] = list(instance.services.values_list("pk", flat=True))
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["amount"].label = _("Amount off (%(currency)s)") % {"currency": currency}
        self.fields["percent"].label = _("Percentage off (%)")
        self.fields["services"].queryset = Service.objects.filter(is_archived=False).order_by("name")

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == DiscountKind.PERCENT and cleaned.get("percent") is None and "percent" not in self.errors:
            self.add_error("percent", _("Enter the percentage off."))
        if kind == DiscountKind.AMOUNT and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount off."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and start > end:
            self.add_error("valid_until", _("The last valid day comes before the first."))
        uses = self.instance.uses if self.instance else 0
        if cleaned.get("max_uses") is not None and cleaned["max_uses"] < uses:
            self.add_error(
                "max_uses",
                _("It has been used %(uses)d times already; the total cannot be lower.") % {"uses": uses},
            )
        return cleaned

    def terms(self) -> dict:
        """The cleaned fields as the services take them."""
        data = dict(self.cleaned_data)
        kind = data["kind"]
        return {
            "code": data["code"],
            "kind": kind,
            "percent": data["percent"] if kind == DiscountKind.PERCENT else None,
            "amount": data["amount"] if kind == DiscountKind.AMOUNT else None,
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "max_uses": data["max_uses"],
            "max_uses_per_client": data["max_uses_per_client"],
            "services": list(data["services"]),
        }
