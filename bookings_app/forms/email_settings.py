"""The forms of the owner's booking e-mails page: on or off, own subject and opening paragraph."""

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext as _

from ..display.email_wording import validate_wording
from ..mail.booking_emails import BOOKING_EMAILS
from ..mail.earlier_time_emails import EARLIER_TIME
from ..mail.waitlist_emails import OFFER
from ..models import BookingEmailSetting

# The e-mails the owner words on the page: the booking e-mails, the waitlist's offer of a seat and
# the earlier time told to a client (the same subject, opening paragraph and variables).
WORDED_EMAIL_KINDS: tuple[str, ...] = (*BOOKING_EMAILS, OFFER, EARLIER_TIME)


class BookingEmailSettingForm(forms.ModelForm):
    class Meta:
        model = BookingEmailSetting
        fields = ["is_enabled", "subject", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def clean_subject(self) -> str:
        validate_wording(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_intro(self) -> str:
        validate_wording(self.cleaned_data["intro"])
        return self.cleaned_data["intro"]


class BaseEmailSettingsFormSet(BaseModelFormSet):
    """Edits the booking e-mails that exist, never adds one: a posted form count other than the
    rows shown (a raised ``INITIAL_FORMS``, an extra form) is refused before any form is built."""

    def clean(self) -> None:
        super().clean()
        shown = len(self.get_queryset())
        if self.initial_form_count() != shown or self.total_form_count() != shown:
            raise forms.ValidationError(
                _("The e-mail list changed meanwhile: reload the page and try again.")
            )


EmailSettingsFormSet = modelformset_factory(
    BookingEmailSetting,
    form=BookingEmailSettingForm,
    formset=BaseEmailSettingsFormSet,
    extra=0,
    can_delete=False,
    edit_only=True,
    max_num=len(WORDED_EMAIL_KINDS),
    absolute_max=len(WORDED_EMAIL_KINDS),
    validate_max=True,
)
