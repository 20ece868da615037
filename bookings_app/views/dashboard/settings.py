"""The owner dashboard."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ...forms.settings import BusinessSettingsForm
from ...models import Business
from ...services.settings import update_business_settings
from ...web.access import owner_required


@owner_required
@require_http_methods(["GET", "POST"])
def business_settings(request: HttpRequest) -> HttpResponse:
    """The business's name, locale and booking policy; errors stay next to their fields."""
    business = Business.current()
    form = BusinessSettingsForm(request.POST or None, instance=business)
    if request.method == "POST":
        if form.is_valid():
            update_business_settings(business=business, **form.cleaned_data)
            messages.success(request, _("Settings saved."))
            return redirect("dashboard:settings")
        return render(request, "dashboard/settings.html", {"form": form}, status=400)
    return render(request, "dashboard/settings.html", {"form": form})
