"""The owner's booking e-mails: on or off, own subject and opening paragraph."""

from django import forms
from django.contrib import messages
from django.forms import modelformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..access import owner_required
from ..email_wording import VARIABLES, validate_wording
from ..models import BookingEmailSetting
from ..services.emails import BOOKING_EMAILS

KIND_LABELS = {
    "confirmation": gettext_lazy("Booking confirmation"),
    "reminder": gettext_lazy("Reminder, 24 hours before"),
    "reschedule": gettext_lazy("Booking moved"),
    "cancellation": gettext_lazy("Booking cancelled"),
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


EmailSettingsFormSet = modelformset_factory(BookingEmailSetting, form=BookingEmailSettingForm, extra=0)


@owner_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    for kind in BOOKING_EMAILS:
        BookingEmailSetting.objects.get_or_create(kind=kind)
    queryset = BookingEmailSetting.objects.filter(kind__in=BOOKING_EMAILS).order_by("pk")
    formset = EmailSettingsFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("E-mail settings saved."))
        return redirect("dashboard:email_settings")
    rows = [(KIND_LABELS.get(form.instance.kind, form.instance.kind), form) for form in formset.forms]
    context = {"formset": formset, "rows": rows, "variables": ["{" + name + "}" for name in VARIABLES]}
    invalid = request.method == "POST"
    return render(request, "dashboard/email_settings.html", context, status=400 if invalid else 200)
