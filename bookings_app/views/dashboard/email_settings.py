"""The owner's booking e-mails (and the waitlist's and earlier time's): on or off, own subject and
opening paragraph."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ...display.email_wording import VARIABLES
from ...forms.email_settings import WORDED_EMAIL_KINDS, EmailSettingsFormSet
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
    "waitlist_offer": gettext_lazy("Waitlist: a seat offered"),
    "earlier_time": gettext_lazy("An earlier time offered"),
}


@owner_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    ensure_booking_email_settings(WORDED_EMAIL_KINDS)
    queryset = BookingEmailSetting.objects.filter(kind__in=WORDED_EMAIL_KINDS).order_by("pk")
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
