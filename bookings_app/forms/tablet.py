"""The form of the staff tablet: adding a walk-in to a session."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Client, ClientPlan
from ..services.client_matching import ClientDetails


class WalkInForm(forms.Form):
    """A known client (picked from the search, paying as usual or with one of their packs) or a
    new one: first name and e-mail then required."""

    client = forms.ModelChoiceField(queryset=Client.objects.all(), required=False, widget=forms.HiddenInput)
    # A found client's pack or membership paying for the seat (its button in the search results).
    client_plan = forms.ModelChoiceField(
        queryset=ClientPlan.objects.select_related("client"), required=False, widget=forms.HiddenInput
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=80, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        pack = cleaned.get("client_plan")
        if pack is not None:
            if cleaned.get("client") not in (None, pack.client):
                self.add_error("client_plan", _("This plan is another client's."))
            cleaned["client"] = pack.client
        if cleaned.get("client") is None and "client_plan" not in self.errors:
            for name in ("first_name", "email"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for a new client."))
        return cleaned

    def client_details(self) -> ClientDetails:
        return ClientDetails(
            email=self.cleaned_data["email"],
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            phone=self.cleaned_data["phone"],
        )
