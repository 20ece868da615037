"""The loyalty e-mails: to the right client, in their language, saying what happened."""

import base64
from decimal import Decimal

from bookings_app.models import OutgoingEmail
from loyalty.models import Program
from loyalty.services import adjust_points, credit_points_for_ended_sessions, issue_gift_card
from tests.factories import visit


def test_it_names_the_visit_and_the_balance_in_the_points_earned_email(program, yoga, nina, alice, olivia):
    adjust_points(client=alice, points=5, description="Welcome", by=olivia)
    visit(yoga, nina, alice)

    credit_points_for_ended_sessions()

    email = OutgoingEmail.objects.get(kind="loyalty_points_earned")
    assert (email.to, email.client, email.language) == ("alice@client.test", alice, "en")
    assert email.subject == "You earned 10 points at Studio Lumen"
    assert "Thank you for coming to Yoga: you earned 10 points." in email.body_text
    assert "Your balance is now 15 points." in email.body_text
    assert "Hello Alice," in email.body_html and 'lang="en"' in email.body_html


def test_it_writes_the_points_earned_email_in_the_owners_wording(program, yoga, nina, alice):
    Program.objects.filter(pk=1).update(
        template_points_earned_subject="+{points} for {service_name}",
        template_points_earned_body="{client_first_name}: {balance} points at {business_name}.",
    )
    visit(yoga, nina, alice)

    credit_points_for_ended_sessions()

    email = OutgoingEmail.objects.get(kind="loyalty_points_earned")
    assert email.subject == "+10 for Yoga"
    assert email.body_text == "Alice: 10 points at Studio Lumen.\n"


def test_it_writes_to_a_french_client_in_french(program, yoga, nina, bob):
    visit(yoga, nina, bob)

    credit_points_for_ended_sessions()

    email = OutgoingEmail.objects.get(kind="loyalty_points_earned", to="bob@client.test")
    assert email.language == "fr"
    assert 'lang="fr"' in email.body_html


def test_it_mails_the_gift_card_code_last_day_and_pdf(program, voucher, bob, olivia):
    card = issue_gift_card(product=voucher, client=bob, by=olivia)

    email = OutgoingEmail.objects.get(kind="loyalty_gift_card")
    assert (email.to, email.client, email.language) == ("bob@client.test", bob, "fr")
    assert card.display_code in email.body_text and card.display_code in email.body_html
    assert "25,00 EUR" in email.subject  # French number format
    french_months = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    assert any(month in email.body_text for month in french_months)
    pdf = base64.b64decode(email.attachments[0]["content"])
    assert pdf.startswith(b"%PDF-")


def test_it_says_how_to_use_the_card(program, studio, alice, olivia):
    issue_gift_card(value=Decimal("40"), client=alice, by=olivia)

    email = OutgoingEmail.objects.get(kind="loyalty_gift_card")
    assert email.subject == "Your 40.00 EUR gift card from Studio Lumen"
    assert "enter the code at checkout" in email.body_text
    assert "A printable card is attached." in email.body_text
