"""Forms of the dashboard's calendar feeds page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Business, StaffMember


class FeedPrivacyForm(forms.ModelForm):
    """What staff members' calendar feeds show."""

    class Meta:
        model = Business
        fields = ["feed_client_names", "feed_private_notes"]
        # The help line under each switch is read with it (templates/dashboard/calendar_feeds.html).
        widgets = {
            "feed_client_names": forms.CheckboxInput(attrs={"aria-describedby": "feed-client-names-help"}),
            "feed_private_notes": forms.CheckboxInput(attrs={"aria-describedby": "feed-private-notes-help"}),
        }


class NewFeedForm(forms.Form):
    """Make the business's address (no staff member) or a staff member's."""

    staff = forms.ModelChoiceField(
        label=_("staff member"), queryset=StaffMember.objects.filter(is_active=True), required=False
    )
