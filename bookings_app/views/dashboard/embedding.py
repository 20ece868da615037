"""The owner's embedding settings: the websites that may frame the booking pages, the snippet to
paste into them, and a preview of the snippet at work (docs/embedding.md)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ...forms.embedding import EmbeddingForm
from ...models import Business
from ...services.settings import update_business_settings
from ...web.access import owner_required
from ...web.links import absolute_url


def embed_snippet(business: Business) -> str:
    """The line the owner pastes, naming the frame for screen readers in the owner's language.
    The script's unhashed address stays the same across releases."""
    script = absolute_url("/" + settings.STATIC_URL.lstrip("/") + "js/embed.js")
    title = _("Book at %(business)s") % {"business": business.name}
    return format_html('<script src="{}" data-rendez-title="{}" async></script>', script, title)


@owner_required
@require_http_methods(["GET", "POST"])
def embedding(request: HttpRequest) -> HttpResponse:
    business = Business.current()
    initial = {"origins": "\n".join(business.embed_origins)}
    form = EmbeddingForm(request.POST or None, initial=initial)
    context = {"form": form, "snippet": embed_snippet(business), "origins": business.embed_origins}
    if request.method == "POST":
        if form.is_valid():
            update_business_settings(business=business, embed_origins=form.cleaned_data["origins"])
            messages.success(request, _("Settings saved."))
            return redirect("dashboard:embedding")
        return render(request, "dashboard/embedding.html", context, status=400)
    return render(request, "dashboard/embedding.html", context)


@owner_required
@require_GET
def embedding_preview(request: HttpRequest) -> HttpResponse:
    """A stand-in for the owner's website with the snippet in it (Rendez always may frame itself)."""
    return render(request, "dashboard/embedding_preview.html", {"snippet": embed_snippet(Business.current())})
