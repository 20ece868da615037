"""Forms of the dashboard's Services and Staff pages. They validate; services.catalog saves."""

from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..core.outside_calendars import MAX_ADDRESS_LENGTH, CalendarAddressRefused, check_host, normalise_address
from ..display import owner_texts
from ..models import WEEKDAYS, PaymentPolicy, QuestionKind, Service, ServiceKind, StaffMember
from ..services.catalog import Interval, QuestionDraft, check_intervals
from ..web.request_input import CalendarDateField, CalendarDateTimeField

RULE_WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


def add_translation_fields(form: forms.BaseForm, labels: dict, translations: dict | None) -> None:
    """Optional ``<field>_<language>`` fields for the owner's text in each language."""
    initial = owner_texts.unpacked(translations, tuple(labels)) if translations is not None else {}
    for code, language in owner_texts.languages():
        for field, label in labels.items():
            name = f"{field}_{code}"
            long_text = field in ("description", "choices")
            form.fields[name] = forms.CharField(
                label=_("%(field)s in %(language)s") % {"field": label, "language": language},
                required=False,
                max_length=5000 if long_text else 200,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto", "lang": code})
                if long_text
                else forms.TextInput(attrs={"dir": "auto", "lang": code}),
            )
            if name in initial:
                form.fields[name].initial = initial[name]


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ServiceKind.choices]
    )
    archived = forms.BooleanField(label=_("Show archived"), required=False)


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)


def payment_policy_problems(
    *, kind: str, requires_approval: bool, policy: str | None, deposit_amount, deposit_percent
) -> dict[str, str]:
    """The payment settings a service cannot have, as {field: reason} (the model's constraints)."""
    constraints = {each.name: each.violation_error_message for each in Service._meta.constraints}
    if not policy or policy == PaymentPolicy.IN_PERSON:
        return {}
    if requires_approval:
        return {"payment_policy": constraints["service_online_payment_not_with_approval"]}
    if kind == ServiceKind.COURSE:
        return {"payment_policy": constraints["service_online_payment_not_for_courses"]}
    if policy == PaymentPolicy.DEPOSIT and (deposit_amount is None) == (deposit_percent is None):
        return {"deposit_amount": constraints["service_deposit_amount_or_percent"]}
    if policy == PaymentPolicy.DEPOSIT and deposit_amount is not None and deposit_amount <= 0:
        return {"deposit_amount": constraints["service_deposit_amount_or_percent"]}
    return {}


LIMIT_FIELDS = ("max_upcoming_bookings", "max_bookings_per_day", "max_bookings_per_week")
WAITLIST_FIELDS = ("waitlist_enabled", "waitlist_max", "waitlist_mode", "waitlist_offer_hours")


def _paid_online(cleaned: dict) -> bool:
    return cleaned.get("payment_policy", "in_person") != "in_person" and (cleaned.get("price") or 0) > 0


class ServiceForm(forms.ModelForm):
    """A service's details; an appointment has no capacity field (it is always one)."""

    class Meta:
        model = Service
        fields = [
            "name",
            "slug",
            "description",
            "duration_minutes",
            "price",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "capacity",
            "staff",
            "is_online",
            "payment_policy",
            "deposit_amount",
            "deposit_percent",
            "refund_policy",
            "waitlist_enabled",
            "waitlist_max",
            "waitlist_mode",
            "waitlist_offer_hours",
            *LIMIT_FIELDS,
        ]
        widgets = {"staff": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"slug": _("Leave empty to make one from the name.")}

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        add_translation_fields(
            self,
            {"name": _("Name"), "description": _("Description")},
            self.instance.translations if self.instance.pk else {},
        )
        self.fields["slug"].required = False
        self.fields["staff"].queryset = StaffMember.objects.filter(is_active=True).order_by("name")
        self.fields["staff"].help_text = ""
        if kind == ServiceKind.APPOINTMENT:
            del self.fields["capacity"]
        if kind == ServiceKind.COURSE:  # enrolled once for all its sessions: not counted (docs/plans.md)
            for name in LIMIT_FIELDS:
                del self.fields[name]
        if kind not in (ServiceKind.CLASS, ServiceKind.COURSE):  # the waitlist (docs/waitlist.md)
            for name in WAITLIST_FIELDS:
                del self.fields[name]
        for name in ("payment_policy", "refund_policy", *WAITLIST_FIELDS[1:]):  # left out: kept as is
            if name in self.fields:
                self.fields[name].required = False

    def validate_unique(self) -> None:
        """The service function makes the slug unique instead of refusing it."""

    def clean(self) -> dict:
        """Online payment's rules, each next to its field (``payment_policy_problems``)."""
        cleaned = super().clean()
        for name in ("payment_policy", "refund_policy", *WAITLIST_FIELDS[1:]):
            if name in self.fields:
                cleaned[name] = cleaned.get(name) or getattr(self.instance, name)
        for field, message in payment_policy_problems(
            kind=self.kind,
            requires_approval=bool(self.instance.pk and self.instance.requires_approval),
            policy=cleaned.get("payment_policy"),
            deposit_amount=cleaned.get("deposit_amount"),
            deposit_percent=cleaned.get("deposit_percent"),
        ).items():
            self.add_error(field, message)
        if cleaned.get("waitlist_mode") == "book" and _paid_online(cleaned):
            self.add_error(
                "waitlist_mode",
                _(
                    "Waiting clients can be booked at once only when nothing is paid online: "
                    "offer the seat instead."
                ),
            )
        return cleaned

    def _post_clean(self) -> None:
        """The payment constraints were checked field by field in ``clean``: not again as a page error."""
        if any(
            name in self.errors
            for name in ("payment_policy", "deposit_amount", "deposit_percent", "waitlist_mode")
        ):
            return
        super()._post_clean()

    def details(self) -> dict:
        """The cleaned fields as ``services.catalog`` takes them (staff apart)."""
        details = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self._meta.fields and name != "staff"
        }
        return {**details, "translations": owner_texts.packed(self.cleaned_data, owner_texts.SERVICE_TEXTS)}

    def translation_fields(self) -> list[forms.BoundField]:
        return [
            self[f"{field}_{code}"]
            for code, _name in owner_texts.languages()
            for field in owner_texts.SERVICE_TEXTS
        ]


class ClassScheduleForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), choices=RULE_WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    starts_on = CalendarDateField(
        label=_("First date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = CalendarDateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(label=_("Number of sessions"), required=False, min_value=1, max_value=500)
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to use the service's."),
    )

    def __init__(self, *args, service: Service, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["staff"].queryset = StaffMember.objects.filter(is_active=True).order_by("name")
        if service.kind == "course":
            self.fields["count"].help_text = _("A course needs a last date or a number of sessions.")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("until") and cleaned.get("count"):
            raise ValidationError(_("End the rule by a date or by a number of sessions, not both."))
        if cleaned.get("until") and cleaned.get("starts_on") and cleaned["until"] < cleaned["starts_on"]:
            self.add_error("until", _("The last date must not be before the first."))
        return cleaned


class QuestionForm(forms.Form):
    question_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("Question"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices, initial=QuestionKind.TEXT)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    is_required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        add_translation_fields(self, {"label": _("Question"), "choices": _("Choices")}, None)

    def translation_fields(self) -> list[forms.BoundField]:
        return [
            self[f"{field}_{code}"]
            for code, _name in owner_texts.languages()
            for field in owner_texts.QUESTION_TEXTS
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("choices", "").splitlines() if line.strip()]
        if cleaned.get("kind") == QuestionKind.CHOICE and len(lines) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        cleaned["choices"] = "\n".join(lines) if cleaned.get("kind") == QuestionKind.CHOICE else ""
        for code, _name in owner_texts.languages():
            translated = [line for line in cleaned.get(f"choices_{code}", "").splitlines() if line.strip()]
            if translated and cleaned.get("kind") == QuestionKind.CHOICE and len(translated) != len(lines):
                self.add_error(f"choices_{code}", _("Give as many choices as above, in the same order."))
        return cleaned

    def draft(self) -> QuestionDraft:
        cleaned = self.cleaned_data
        return QuestionDraft(
            label=cleaned["label"],
            kind=cleaned["kind"],
            choices=cleaned["choices"],
            is_required=cleaned["is_required"],
            question_id=cleaned.get("question_id"),
            translations=owner_texts.packed(cleaned, owner_texts.QUESTION_TEXTS),
        )


# One blank row at the end adds a question; "Remove" deletes one; the numbers reorder them.
QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_delete=True, can_order=True)


def question_formset(service: Service, data=None) -> forms.BaseFormSet:
    initial = [
        {
            "question_id": question.pk,
            "label": question.label,
            "kind": question.kind,
            "choices": question.choices,
            "is_required": question.is_required,
            "ORDER": position + 1,
            **owner_texts.unpacked(question.translations, owner_texts.QUESTION_TEXTS),
        }
        for position, question in enumerate(service.questions.all())
    ]
    return QuestionFormSet(data, initial=initial, prefix="questions")


def question_drafts(formset: forms.BaseFormSet) -> list[QuestionDraft]:
    """The kept questions in the order the owner numbered them (blank rows left out)."""
    return [form.draft() for form in formset.ordered_forms]


class StaffMemberForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["name", "email", "color", "is_active"]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}


class DateOverrideForm(forms.Form):
    date = CalendarDateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] >= cleaned["end"]:
            self.add_error("end", _("The hours must end after they start."))
        return cleaned


class TimeOffForm(forms.Form):
    """Validate inside ``timezone.override(business.tz)``: the times are the business's wall clock."""

    start = CalendarDateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = CalendarDateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] >= cleaned["end"]:
            self.add_error("end", _("Time off must end after it starts."))
        return cleaned


class OutsideCalendarForm(forms.Form):
    """An outside calendar's secret address: http(s) or webcal, on a public host. Prefixed: the
    staff page's details form has a ``name`` too."""

    prefix = "outside"

    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example: Personal, Google."))
    url = forms.CharField(
        label=_("Secret iCal address"),
        max_length=MAX_ADDRESS_LENGTH,
        help_text=_("Google, Outlook and Apple calendars each publish one (often ending in .ics)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"}),
    )

    def clean_url(self) -> str:
        try:
            address = normalise_address(self.cleaned_data["url"])
            check_host(address)
        except CalendarAddressRefused as refused:
            raise ValidationError(refused.message) from None
        return address


class WorkingHoursForm:
    """Seven weekday rows of intervals, posted as repeated ``day-<n>-start`` / ``day-<n>-end`` fields.

    Not a Django form: a day has any number of intervals, added and removed in the page.
    """

    def __init__(self, data=None, *, staff_member: StaffMember) -> None:
        self.data = data
        self.errors: dict[int, str] = {}
        if data is None:
            hours = list(staff_member.working_hours.all())
            self.days = {
                day: [(h.start, h.end) for h in hours if h.weekday == day] for day, _label in WEEKDAYS
            }
        else:
            self.days = {day: self._posted(day) for day, _label in WEEKDAYS}

    def _posted(self, day: int) -> list[tuple]:
        starts, ends = self.data.getlist(f"day-{day}-start"), self.data.getlist(f"day-{day}-end")
        intervals = []
        for start, end in zip(starts, ends, strict=False):
            if not start and not end:
                continue
            try:
                intervals.append((time.fromisoformat(start), time.fromisoformat(end)))
            except ValueError:
                self.errors[day] = str(_("Enter both times of each interval, such as 09:00 and 12:30."))
                intervals.append((start, end))
        return intervals

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        if not self.errors:
            self.errors = check_intervals(self.intervals())
        return not self.errors

    def intervals(self) -> list[Interval]:
        return [Interval(day, start, end) for day, pairs in self.days.items() for start, end in pairs]

    def rows(self) -> list[dict]:
        """What the template shows: each weekday with its intervals and its error."""
        return [
            {
                "weekday": day,
                "label": label,
                "intervals": [
                    {"start": _as_text(start), "end": _as_text(end)} for start, end in self.days[day]
                ],
                "error": self.errors.get(day),
            }
            for day, label in WEEKDAYS
        ]


def _as_text(value) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else (value or "")
