"""The team's form to cancel a class or course session."""

from django import forms
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 1000


class CancelSessionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the clients (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto", "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=_("Shown in the cancellation e-mail, for example a new date or an apology."),
    )
    notify = forms.BooleanField(label=_("E-mail the booked clients"), required=False, initial=True)
