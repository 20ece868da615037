"""The Sent e-mails column "To" names the recipient in every language; the client's reschedule
page keeps its own "From" and "To" (the current and the new time), which once lent their Hebrew
and French words to the owner's e-mails, staff hours and time off."""

import pytest
from django.utils import translation

from bookings_app.models import OutgoingEmail
from tests import factories


@pytest.mark.parametrize(("language", "recipient"), [("en", "To"), ("fr", "À"), ("he", "אל")])
def test_it_heads_the_recipient_column_with_to(client, olivia, language, recipient):
    factories.business()
    OutgoingEmail.objects.create(kind="confirmation", dedupe_key="wording", to="alice@client.test",
                                 from_email="hi@studio.test", subject="Your booking", body_text="Hello")
    client.force_login(olivia)
    page = client.get("/dashboard/emails/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<th scope="col">{recipient}</th>' in page
    assert "המועד החדש" not in page and "Nouvel horaire" not in page


@pytest.mark.parametrize(("language", "current", "new_time"), [
    ("fr", "Horaire actuel", "Nouvel horaire"), ("he", "המועד הנוכחי", "המועד החדש"),
])
def test_it_keeps_the_headings_of_the_reschedule_page(language, current, new_time):
    with translation.override(language):
        assert translation.pgettext("the current time of a booking", "From") == current
        assert translation.pgettext("the new time of a booking", "To") == new_time
        assert translation.gettext("From") != current, "staff hours and e-mails say 'From', not 'current time'"
