"""The owner dashboard."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import owner_required
from ..forms_dashboard import BusinessSettingsForm
from ..models import Business


@owner_required
@require_http_methods(["GET", "POST"])
def business_settings(request: HttpRequest) -> HttpResponse:
    """The business's name, locale and booking policy; errors stay next to their fields."""
    form = BusinessSettingsForm(request.POST or None, instance=Business.current())
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Settings saved."))
            return redirect("dashboard:settings")
        return render(request, "dashboard/settings.html", {"form": form}, status=400)
    return render(request, "dashboard/settings.html", {"form": form})
