"""The form of the dashboard calendar: booking an appointment from an empty slot."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Business, Client, ServiceKind, StaffMember
from ..services.client_matching import ClientDetails
from ..web.request_input import BIGINT_MAX, wall_datetime


class NewBookingForm(forms.Form):
    """An appointment with one staff member at a wall-clock time, for a known or a new client."""

    staff = forms.IntegerField(min_value=1, max_value=BIGINT_MAX, widget=forms.HiddenInput)
    start = forms.CharField(widget=forms.HiddenInput)
    service = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Service"), empty_label=gettext_lazy("Choose a service")
    )
    client = forms.IntegerField(min_value=1, max_value=BIGINT_MAX, required=False, widget=forms.HiddenInput)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=80, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)

    def __init__(self, *args, staff_member: StaffMember, business: Business, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staff_member, self.business = staff_member, business
        services = staff_member.services.filter(kind=ServiceKind.APPOINTMENT, is_archived=False)
        self.fields["service"].queryset = services.order_by("position", "name")

    def clean_start(self) -> datetime:
        start = wall_datetime(self.cleaned_data["start"], self.business.tz)
        if start is None:
            raise forms.ValidationError(_("Choose a time on the calendar."))
        return start

    def clean(self) -> dict:
        data = super().clean()
        client_id = data.get("client")
        data["chosen_client"] = Client.objects.filter(pk=client_id).first() if client_id else None
        if data["chosen_client"] is None:
            if not data.get("first_name"):
                self.add_error("first_name", _("Choose a client above, or type the new client's first name."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Choose a client above, or type the new client's e-mail."))
        return data

    def client_details(self) -> ClientDetails:
        data = self.cleaned_data
        client = data["chosen_client"]
        if client is not None:
            return ClientDetails(
                email=client.email,
                first_name=client.first_name,
                last_name=client.last_name,
                language=client.language,
            )
        return ClientDetails(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=self.business.language,
        )
