"""What a client types on the public plan pages: a search, and the page to come back to."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

MAX_NEXT = 500


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site ("/s/yoga/sessions/4/book/"), else ""."""
    value = (value or "").strip()
    if (
        not value
        or len(value) > MAX_NEXT
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ord(c) < 32 for c in value)
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    ):
        return ""
    return value


class PlanSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class BuyPlanForm(forms.Form):
    """Buying is one button; ``next`` is where to come back (dropped unless a local path)."""

    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def clean_next(self) -> str:
        return safe_next(self.cleaned_data.get("next"))
