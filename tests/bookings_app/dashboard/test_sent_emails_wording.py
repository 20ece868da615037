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
    OutgoingEmail.objects.create(
        kind="confirmation",
        dedupe_key="wording",
        to="alice@client.test",
        from_email="hi@studio.test",
        subject="Your booking",
        body_text="Hello",
    )
    client.force_login(olivia)
    page = client.get("/dashboard/emails/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<th scope="col">{recipient}</th>' in page
    assert "המועד החדש" not in page and "Nouvel horaire" not in page


@pytest.mark.parametrize(
    ("language", "current", "new_time"),
    [
        ("fr", "Horaire actuel", "Nouvel horaire"),
        ("he", "המועד הנוכחי", "המועד החדש"),
    ],
)
def test_it_keeps_the_headings_of_the_reschedule_page(language, current, new_time):
    with translation.override(language):
        assert translation.pgettext("the current time of a booking", "From") == current
        assert translation.pgettext("the new time of a booking", "To") == new_time
        assert translation.gettext("From") != current, (
            "staff hours and e-mails say 'From', not 'current time'"
        )


@pytest.mark.parametrize(
    ("language", "kind", "name"),
    [
        ("en", "confirmation", "Booking confirmation"),
        ("en", "loyalty_balance_changed", "Points balance changed"),
        ("he", "automation_team", "אוטומציה, לצוות"),
        ("fr", "team_request_new", "Nouvelle demande, à l’équipe"),
    ],
)
def test_it_names_each_kind_of_e_mail_in_the_readers_language(client, olivia, language, kind, name):
    factories.business()
    email = OutgoingEmail.objects.create(
        kind=kind,
        dedupe_key="kind",
        to="alice@client.test",
        from_email="hi@studio.test",
        subject="Hello",
        body_text="Hello",
    )
    client.force_login(olivia)

    listing = client.get("/dashboard/emails/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    message = client.get(f"/dashboard/emails/{email.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert listing.count(name) == 2, "the row and the kind filter's choice"
    assert name in message
    assert f">{kind}<" not in listing and f">{kind}<" not in message
