"""The owner's plan pages: a plan's form, the list's search, giving or selling a pack to a client."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import ClientPlanSource, Plan, PlanKind, Service
from ..services.plans import PLAN_FIELDS, PLAN_KINDS, plan_conflict_message
from ..web.request_input import CalendarDateField, positive_id
from .memberships import MEMBERSHIP_ONLY, PACK_ONLY, RENEWAL_CHOICES, billing_for
from .people import DateInput


class ServicesField(forms.ModelMultipleChoiceField):
    """Services by id; an id no database could hold is refused like an unknown one."""

    def _check_values(self, value):
        for each in value:
            if positive_id(str(each)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": each}
                )
        return super()._check_values(value)


# The model's bounds, checked on the form (the model itself is not validated here).
NUMBER_BOUNDS = {
    "credits": (1, 1000),
    "valid_days": (1, 3660),
    "sessions_per_period": (1, 1000),
    "notice_days": (0, 365),
}


class PlanForm(forms.ModelForm):
    services = ServicesField(
        label=_("Services"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Appointments and classes a credit pays for. Services that need approval cannot be chosen."
        ),
        error_messages={"required": _("Choose at least one service.")},
    )

    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kind: str = PlanKind.PACK, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = self.instance.kind if self.instance.pk else kind
        for name in PACK_ONLY if self.kind == PlanKind.MEMBERSHIP else MEMBERSHIP_ONLY:
            del self.fields[name]
        self.fields["services"].queryset = Service.objects.filter(
            kind__in=PLAN_KINDS, is_archived=False
        ).order_by("name", "pk")
        if self.instance.pk:
            self.initial.setdefault("services", list(self.instance.services.values_list("pk", flat=True)))
        self.fields["price"].min_value = 0
        self.fields["price"].validators.append(_not_negative)
        for name, (low, high) in NUMBER_BOUNDS.items():
            if name in self.fields:
                self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
                self.fields[name].widget.attrs.update(min=low, max=high)

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(_("Use a three-letter code such as EUR or ILS."))
        return currency

    def clean_services(self):
        services = self.cleaned_data["services"]
        if any(service.requires_approval for service in services):
            raise ValidationError(plan_conflict_message())
        return services

    def plan_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS if name in self.fields}

    def _post_clean(self) -> None:
        # The service function writes (services.plans.save_plan); the model is not touched here.
        pass


def _not_negative(value) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("The price cannot be negative."))


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    archived = forms.BooleanField(label=_("Show archived"), required=False)


REPORT_DAYS = 30


class PlanReportForm(forms.Form):
    """The report's plan search and dates (business time zone), by default the last 30 days."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    date_from = CalendarDateField(label=_("From"), required=False, widget=DateInput())
    date_to = CalendarDateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def period(self, today: date) -> tuple[date, date]:
        """The first and last day reported (both included)."""
        end = self.cleaned_data.get("date_to") or today
        return self.cleaned_data.get("date_from") or end - timedelta(days=REPORT_DAYS - 1), end


class GivePlanForm(forms.Form):
    """Give or sell one kind of plan (``kind``): the pack form and the membership form of a
    client's Plans page, each worded for its kind; a membership's also says how it renews."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), empty_label=_("Choose…"))
    source = forms.ChoiceField(
        label=_("How"),
        choices=[(v, label) for v, label in ClientPlanSource.choices if v != ClientPlanSource.ONLINE],
        initial=ClientPlanSource.SOLD,
        widget=forms.RadioSelect,
    )
    price_paid = forms.DecimalField(
        label=_("Paid at the desk"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Empty: the plan's price. Ignored when the pack is given."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    renewal = forms.ChoiceField(
        label=_("Renewed"),
        choices=RENEWAL_CHOICES,
        initial=RENEWAL_CHOICES[0][0],
        required=False,
    )

    def __init__(self, *args, kind: str = PlanKind.PACK, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan_kind = kind
        self.fields["plan"].queryset = Plan.objects.filter(is_archived=False, kind=kind).order_by(
            "name", "pk"
        )
        if kind == PlanKind.MEMBERSHIP:
            self.fields["plan"].label = _("Membership")
            self.fields["source"].choices = [
                (ClientPlanSource.SOLD, pgettext_lazy("membership", "Sold at the desk")),
                (ClientPlanSource.GIVEN, pgettext_lazy("membership", "Given (nothing paid)")),
            ]
            self.fields["price_paid"].label = _("First month paid at the desk")
            self.fields["price_paid"].help_text = _(
                "Empty: the membership's monthly price. Ignored when the membership is given."
            )
        else:
            self.fields["plan"].label = _("Class pack")
            del self.fields["renewal"]

    @staticmethod
    def kind_posted(data) -> str:
        """The kind of the form that was sent: its hidden ``kind``, else the chosen plan's kind."""
        if data.get("kind") in PlanKind.values:
            return data["kind"]
        plan_id = positive_id(data.get("plan"))
        plan = Plan.objects.filter(pk=plan_id).first() if plan_id else None
        return plan.kind if plan else PlanKind.PACK

    def give_arguments(self) -> dict:
        """What ``give_plan`` takes: the fields, and for a membership how it renews."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "renewal"}
        if data["plan"].is_membership:
            data.update(billing_for(self.cleaned_data.get("renewal") or ""))
        return data
