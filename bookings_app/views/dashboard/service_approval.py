"""The "Approval" tab of an appointment's edit page: whether bookings are requests, and how
requests are handled. Registered from ``BookingsConfig.ready()``.
"""

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...forms.requests import ApprovalSettingsForm
from ...models import Business, Service, ServiceKind
from ...plug_ins.service_tabs import register_service_tab
from ...services.catalog import CatalogError
from ...services.catalog_approval import save_approval_settings

TAB = "approval"


def approval_tab(request: HttpRequest, service: Service) -> dict | HttpResponse:
    """The switches, explained; POST saves them (and the business-wide reminder) in one go."""
    business = Business.current()
    form = ApprovalSettingsForm(
        request.POST or None,
        instance=copy.copy(service),
        initial={"request_reminder_hours": business.request_reminder_hours},
    )
    if request.method != "POST":
        return {"approval_form": form}
    if form.is_valid():
        try:
            save_approval_settings(service=service, **form.cleaned_data)
        except CatalogError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Approval settings saved."))
            return redirect(f"{reverse('dashboard:service', args=[service.pk])}?tab={TAB}")
    return {"approval_form": form, "status": 400}


register_service_tab(
    TAB,
    gettext_lazy("Approval"),
    "dashboard/services/_approval_tab.html",
    approval_tab,
    applies_to=lambda service: service.kind == ServiceKind.APPOINTMENT,
    order=40,
)
