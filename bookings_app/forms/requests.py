"""Forms of the booking-request pages: the service's Approval tab, rescheduling and declining a request.

Validation only: the services in ``services/requests.py`` and ``services/catalog_approval.py`` write.
"""

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..display import display_time
from ..models import Booking, Business, Service, StaffMember
from ..selectors import availability
from ..services.plans import approval_conflict_message
from ..web.request_input import CalendarDateField
from .people import DateInput

MAX_MESSAGE = 2000


class ApprovalSettingsForm(forms.ModelForm):
    """The service's approval switches, and the business-wide reminder delay shown beside them."""

    request_reminder_hours = forms.IntegerField(
        label=_("Remind me of unanswered requests after (hours)"),
        min_value=0,
        max_value=24 * 30,
        help_text=_(
            "For every service. If a request is still waiting after this many hours, you and the "
            "staff member get one reminder e-mail. 0 turns the reminder off."
        ),
    )

    class Meta:
        model = Service
        fields = [
            "requires_approval",
            "shared_requests",
            "approval_notice_hours",
            "decline_overlapping_requests",
            "overlap_decline_message",
        ]
        labels = {
            "requires_approval": _("Manually approve or decline booking requests"),
            "shared_requests": _("Several clients may request the same slot"),
            "approval_notice_hours": _(
                "Only ask for approval when the booking is made less than this many hours ahead"
            ),
            "decline_overlapping_requests": _(
                "Decline overlapping requests automatically when one is approved"
            ),
            "overlap_decline_message": _("Message to the clients whose requests are declined this way"),
        }
        help_texts = {
            "requires_approval": _(
                "Clients see “Request to book” instead of “Book now”. Their booking waits in Requests "
                "until you approve, reschedule or decline it, and they get an e-mail with your answer."
            ),
            "shared_requests": _(
                "On: the time stays open to other clients until you approve one of the requests. "
                "Off: the first request holds the time, exactly like a confirmed booking."
            ),
            "approval_notice_hours": _(
                "Leave empty to ask for approval every time. With 24, a booking made two days ahead is "
                "confirmed at once; one made tonight for tomorrow morning waits for you."
            ),
            "decline_overlapping_requests": _(
                "Only matters when several clients may request the same slot: the others asking for "
                "that staff member and time are declined and told by e-mail."
            ),
            "overlap_decline_message": _(
                "Optional, e.g. “Sorry, that time has just been taken — please choose another one.”"
            ),
        }
        widgets = {
            "approval_notice_hours": forms.NumberInput(attrs={"min": 1, "placeholder": _("Always")}),
            "overlap_decline_message": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_requires_approval(self) -> bool:
        requires = self.cleaned_data.get("requires_approval", False)
        if requires and self.instance.pk and self.instance.plans.exists():
            raise ValidationError(approval_conflict_message())
        return requires

    def clean_approval_notice_hours(self) -> int | None:
        hours = self.cleaned_data.get("approval_notice_hours")
        if hours is not None and not 1 <= hours <= 24 * 365:
            raise ValidationError(_("Enter a number of hours between 1 and 8760, or leave it empty."))
        return hours

    def clean_overlap_decline_message(self) -> str:
        message = self.cleaned_data.get("overlap_decline_message", "")
        if len(message) > MAX_MESSAGE:
            raise ValidationError(_("Keep the message under 2000 characters."))
        return message

    def _post_clean(self) -> None:
        # The service function decides (and explains) what may be saved; the model is not written here.
        pass


class NotifyClientForm(forms.Form):
    """Whether to e-mail the client, and the words to add."""

    notify = forms.BooleanField(label=_("Notify the client by e-mail"), required=False, initial=True)
    message = forms.CharField(
        label=_("Message to the client"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineRequestForm(NotifyClientForm):
    message = forms.CharField(
        label=_("Message to the client"),
        required=False,
        max_length=MAX_MESSAGE,
        help_text=_("Optional: why, or which other times would suit."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RescheduleRequestForm(NotifyClientForm):
    """Staff member, day, then one of that day's free times; a private note; the client's e-mail.

    The times offered are the staff member's free slots that day, plus the request's own time:
    when the service's requests hold their slot, that time is not free but is still the client's.
    """

    staff = forms.ModelChoiceField(
        label=_("Staff member"), queryset=StaffMember.objects.none(), empty_label=None
    )
    day = CalendarDateField(label=_("Date"), widget=DateInput())
    start = forms.ChoiceField(
        label=_("Time"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the free times.")},
    )
    private_note = forms.CharField(
        label=_("Private note"),
        required=False,
        max_length=MAX_MESSAGE,
        help_text=_("Kept with the booking for the team; the client never sees it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["staff", "day", "start", "private_note", "notify", "message"]

    def __init__(self, *args, booking: Booking, business: Business, **kwargs):
        kwargs.setdefault("auto_id", f"id_request{booking.pk}_%s")  # several rows may be open at once
        super().__init__(*args, **kwargs)
        self.booking, self.business = booking, business
        self.fields["staff"].queryset = booking.service.staff.filter(is_active=True).order_by("name", "pk")
        self.fields["start"].error_messages["invalid_choice"] = _(
            "This time is not free any more. Choose another one."
        )
        self.chosen_staff, self.chosen_day = self._chosen()
        self.slot_starts = self._offered_starts()
        self.fields["start"].choices = [(start.isoformat(), self._label(start)) for start in self.slot_starts]

    def _chosen(self) -> tuple[StaffMember | None, date | None]:
        try:
            staff = self.fields["staff"].clean(self["staff"].value())
            day = self.fields["day"].clean(self["day"].value())
        except ValidationError:
            return None, None
        return staff, day

    def _offered_starts(self) -> list[datetime]:
        staff, day = self.chosen_staff, self.chosen_day
        if staff is None or day is None:
            return []
        service, session = self.booking.service, self.booking.session
        slots = availability.free_slots(
            service=service, start_date=day, end_date=day, staff=staff, business=self.business
        )
        starts = {slot.start.astimezone(UTC) for slot in slots}
        if self.is_current(staff=staff, day=day) and session.start > timezone.now():
            starts.add(session.start.astimezone(UTC))
        return [start.astimezone(self.business.tz) for start in sorted(starts)]

    def is_current(self, *, staff: StaffMember, day: date) -> bool:
        session = self.booking.session
        return staff.pk == session.staff_id and day == session.start.astimezone(self.business.tz).date()

    def _label(self, start: datetime) -> str:
        label = display_time.clock(start.astimezone(self.business.tz), self.business)
        if start == self.booking.session.start and self.chosen_staff.pk == self.booking.session.staff_id:
            return _("%(time)s (the requested time)") % {"time": label}
        return label

    def clean_start(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["start"])
