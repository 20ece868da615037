"""Forms of the dashboard's Clients, Bookings and Sent e-mails pages (validation only: services write)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..mail.composers import email_kind_name
from ..models import Attendance, BookingStatus, EmailStatus, Label, OutgoingEmail, Service, StaffMember
from ..selectors.bookings import NO_ATTENDANCE, WANTS_EARLIER
from ..web.request_input import CalendarDateField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, e-mail or phone"), "autocomplete": "off"}
        ),
    )
    label = forms.ModelChoiceField(
        label=_("Label"), queryset=Label.objects.all(), required=False, empty_label=_("All labels")
    )


class ClientDetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "type": "tel"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class LabelForm(forms.Form):
    name = forms.CharField(
        label=_("Add a label"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"list": "label-names", "autocomplete": "off", "placeholder": _("e.g. VIP")}
        ),
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ClientImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "UTF-8, first row with the column names: email and first_name, "
            "optionally last_name, phone, labels (separated by ;) and notes. Up to 5 MB."
        ),
    )


PAID_CHOICES = [("", _("Paid or not")), ("paid", _("Paid")), ("unpaid", _("Unpaid"))]


class BookingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Client"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, e-mail or phone"), "autocomplete": "off"}
        ),
    )
    date_from = CalendarDateField(label=_("From"), required=False, widget=DateInput())
    date_to = CalendarDateField(label=_("Until"), required=False, widget=DateInput())
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.all(), required=False, empty_label=_("All services")
    )
    staff = forms.ModelChoiceField(
        label=_("Staff"), queryset=StaffMember.objects.all(), required=False, empty_label=_("All staff")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *BookingStatus.choices]
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        required=False,
        choices=[
            ("", _("Any attendance")),
            *Attendance.choices,
            (NO_ATTENDANCE, _("Not recorded")),
        ],
    )
    paid = forms.ChoiceField(label=_("Payment"), required=False, choices=PAID_CHOICES)
    earlier = forms.ChoiceField(
        label=_("Earlier time"),
        required=False,
        choices=[("", _("Asked or not")), (WANTS_EARLIER, _("Waiting for an earlier time"))],
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class EmailFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Recipient or subject"), "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *EmailStatus.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = OutgoingEmail.objects.order_by("kind").values_list("kind", flat=True).distinct()
        self.fields["kind"].choices = [
            ("", _("Any kind")),
            *((kind, email_kind_name(kind)) for kind in kinds),
        ]


class RescheduleDayForm(forms.Form):
    day = CalendarDateField(label=_("Date"), widget=DateInput())
    staff = forms.ModelChoiceField(
        label=_("Staff"), queryset=StaffMember.objects.none(), required=False, empty_label=_("Anyone")
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = service.staff.filter(is_active=True)
