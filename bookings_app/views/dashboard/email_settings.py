"""The owner's booking e-mails: on or off, own subject and opening paragraph."""

from django import forms
from django.contrib import messages
from django.forms import BaseModelFormSet, modelformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ...display.email_wording import VARIABLES, validate_wording
from ...mail.booking_emails import BOOKING_EMAILS
from ...models import BookingEmailSetting
from ...services.settings import ensure_booking_email_settings, save_booking_email_settings
from ...web.access import owner_required

KIND_LABELS = {
    "confirmation": gettext_lazy("Booking confirmation"),
    "reminder": gettext_lazy("Reminder, 24 hours before"),
    "reschedule": gettext_lazy("Booking moved"),
    "cancellation": gettext_lazy("Booking cancelled"),
    "request_received": gettext_lazy("Booking request received"),
    "request_declined": gettext_lazy("Request declined"),
    "request_expired": gettext_lazy("Request expired"),
}


class BookingEmailSettingForm(forms.ModelForm):
    class Meta:
        model = BookingEmailSetting
        fields = ["is_enabled", "subject", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def clean_subject(self) -> str:
        validate_wording(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_intro(self) -> str:
        validate_wording(self.cleaned_data["intro"])
        return self.cleaned_data["intro"]


class BaseEmailSettingsFormSet(BaseModelFormSet):
    """Edits the booking e-mails that exist, never adds one: a posted form count other than the
    rows shown (a raised ``INITIAL_FORMS``, an extra form) is refused before any form is built."""

    def clean(self) -> None:
        super().clean()
        shown = len(self.get_queryset())
        if self.initial_form_count() != shown or self.total_form_count() != shown:
            raise forms.ValidationError(
                _("The e-mail list changed meanwhile: reload the page and try again.")
            )


EmailSettingsFormSet = modelformset_factory(
    BookingEmailSetting,
    form=BookingEmailSettingForm,
    formset=BaseEmailSettingsFormSet,
    extra=0,
    can_delete=False,
    edit_only=True,
    max_num=len(BOOKING_EMAILS),
    absolute_max=len(BOOKING_EMAILS),
    validate_max=True,
)


@owner_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    ensure_booking_email_settings(BOOKING_EMAILS)
    queryset = BookingEmailSetting.objects.filter(kind__in=BOOKING_EMAILS).order_by("pk")
    formset = EmailSettingsFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        changed = {form.instance.pk: form.cleaned_data for form in formset.forms if form.has_changed()}
        save_booking_email_settings(changes=changed)
        messages.success(request, _("E-mail settings saved."))
        return redirect("dashboard:email_settings")
    refusal = formset.non_form_errors() if request.method == "POST" else None
    if refusal:  # the posted forms do not match the rows: show the rows as they are, and why
        formset = EmailSettingsFormSet(queryset=queryset)
    rows = [(KIND_LABELS.get(form.instance.kind, form.instance.kind), form) for form in formset.forms]
    context = {
        "formset": formset,
        "rows": rows,
        "refusal": " ".join(refusal or []),
        "variables": ["{" + name + "}" for name in VARIABLES],
    }
    invalid = request.method == "POST"
    return render(request, "dashboard/email_settings.html", context, status=400 if invalid else 200)
