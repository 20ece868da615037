"""What clients type or send on the public side: the booking form and the availability query."""

import re
import uuid
import zoneinfo
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..display.client_zone import known_time_zone
from ..display.owner_texts import owner_text, question_choices
from ..models import Question, QuestionKind
from ..services.client_matching import ClientDetails

MAX_RANGE_DAYS = 62
MAX_YEARS_AWAY = 5
_PHONE_CHARACTERS = re.compile(r"^[0-9\s+\-()]+$")
YES, NO = "yes", "no"


def validate_phone(value: str) -> None:
    """Loose on purpose: digits, spaces and + - ( ), with 6 to 20 digits."""
    digits = sum(character.isdigit() for character in value)
    if not _PHONE_CHARACTERS.match(value) or not 6 <= digits <= 20:
        raise ValidationError(_("Enter a phone number with 6 to 20 digits, such as +33 6 12 34 56 78."))


def new_request_key() -> str:
    return uuid.uuid4().hex


class BookingForm(forms.Form):
    """Who is booking, plus one field per question of the service (``question_<pk>``)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        validators=[validate_phone],
        help_text=_("Optional, in case we need to reach you."),
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}
        ),
    )
    request_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("request_key", new_request_key())
        super().__init__(*args, **kwargs)
        self.fields["request_key"].error_messages = {
            "required": _("The form has expired. Please check your details and try again."),
            "invalid": _("The form has expired. Please check your details and try again."),
        }
        self.questions = questions
        for question in questions:
            self.fields[self._field_name(question)] = _question_field(question)

    @staticmethod
    def _field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def answers(self) -> dict[str, str]:
        """{question label: answer} for the questions answered."""
        answers = {}
        for question in self.questions:
            answer = self.cleaned_data.get(self._field_name(question), "")
            if answer:
                answers[question.label] = answer
        return answers

    def client_details(self, *, language: str, time_zone: str) -> ClientDetails:
        data = self.cleaned_data
        return ClientDetails(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            language=language,
            time_zone=time_zone,
        )


def _question_field(question: Question) -> forms.Field:
    common = {"label": owner_text(question, "label"), "required": question.is_required}
    if question.kind == QuestionKind.CHOICE:
        choices = [("", _("Choose…"))] + question_choices(question)
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), **common)


class AvailabilityQuery(forms.Form):
    """``start``/``end`` (inclusive dates), ``tz`` and ``staff`` of ``GET /api/availability/<slug>``."""

    start = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("start is required (YYYY-MM-DD)."),
            "invalid": _("start must be a date (YYYY-MM-DD)."),
        },
    )
    end = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("end is required (YYYY-MM-DD)."),
            "invalid": _("end must be a date (YYYY-MM-DD)."),
        },
    )
    tz = forms.CharField(required=False)
    staff = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": _("staff must be a staff member's id (a whole number)."),
            "min_value": _("staff must be a staff member's id (a whole number)."),
            "max_value": _("staff must be a staff member's id (a whole number)."),
        },
    )

    def __init__(self, *args, today: date, default_tz: zoneinfo.ZoneInfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.default_tz = today, default_tz

    def clean_tz(self) -> zoneinfo.ZoneInfo:
        name = self.cleaned_data["tz"]
        if not name:
            return self.default_tz
        zone = known_time_zone(name)
        if zone is None:
            raise ValidationError(_("tz must be a time zone such as Europe/Paris."))
        return zone

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if end < start:
            raise ValidationError(_("end must not be before start."))
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError(_("The range may cover at most %(days)s days.") % {"days": MAX_RANGE_DAYS})
        furthest = timedelta(days=366 * MAX_YEARS_AWAY)
        if start < self.today - furthest or end > self.today + furthest:
            raise ValidationError(
                _("Dates must be within %(years)s years of today.") % {"years": MAX_YEARS_AWAY}
            )
        return data

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""


PAY_AS_USUAL = "none"


class PlanChoiceField(forms.ChoiceField):
    """How to pay: one of the client's packs (its pk) or as usual; cleans to the pk or None."""

    def clean(self, value):
        value = super().clean(value)
        return None if value == PAY_AS_USUAL else int(value)


def _plan_choice_label(pack) -> str:
    if pack.plan.is_membership:
        if pack.sessions_left is None:
            return _("Use my membership “%(name)s”") % {"name": pack.plan.name}
        return ngettext(
            "Use my membership “%(name)s” — %(count)d session left in that period",
            "Use my membership “%(name)s” — %(count)d sessions left in that period",
            pack.sessions_left,
        ) % {"name": pack.plan.name, "count": pack.sessions_left}
    return ngettext(
        "Use my pack “%(name)s” — %(count)d credit left",
        "Use my pack “%(name)s” — %(count)d credits left",
        pack.credits_left,
    ) % {"name": pack.plan.name, "count": pack.credits_left}


def add_plan_field(form: BookingForm, packs: list, *, field_name: str) -> None:
    """Offer the ``packs`` that fit this booking ("Use my pack — N credits left"), the first chosen."""
    choices = [(str(pack.pk), _plan_choice_label(pack)) for pack in packs]
    form.fields[field_name] = PlanChoiceField(
        label=_("How to pay"),
        choices=[*choices, (PAY_AS_USUAL, _("Pay as usual"))],
        initial=choices[0][0],
        widget=forms.RadioSelect,
    )
