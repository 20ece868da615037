"""Points added or deducted by hand: clear refusals, the ledger unchanged, the client told."""

import pytest
from django.core.exceptions import ValidationError

from bookings_app.models import OutgoingEmail
from loyalty.errors import DescriptionRequired, InsufficientPoints, InvalidAmount, LoyaltyDisabled
from loyalty.models import EntryKind, LedgerEntry, Program
from loyalty.selectors import balance_of
from loyalty.services import adjust_points, give_points


def test_it_adds_points_with_the_description_the_client_sees(program, alice, olivia):
    entry = adjust_points(client=alice, points=50, description="  Welcome   bonus ", by=olivia)

    assert (entry.kind, entry.points, entry.balance_after) == (EntryKind.MANUAL, 50, 50)
    assert (entry.description, entry.created_by) == ("Welcome bonus", olivia)
    assert balance_of(alice) == 50


def test_it_deducts_points_with_a_minus_sign(program, alice, olivia):
    adjust_points(client=alice, points=50, description="Welcome bonus", by=olivia)

    entry = adjust_points(client=alice, points=-20, description="Drink at the bar", by=olivia)

    assert (entry.points, entry.balance_after) == (-20, 30)
    assert balance_of(alice) == 30


def test_it_refuses_a_deduction_larger_than_the_balance_and_changes_nothing(program, alice, olivia):
    adjust_points(client=alice, points=15, description="Welcome bonus", by=olivia)

    with pytest.raises(InsufficientPoints) as refused:
        adjust_points(client=alice, points=-16, description="Too much", by=olivia)

    assert str(refused.value.message) == "There are not enough points for this."
    assert balance_of(alice) == 15
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("points", [0, 2.5, "10", True, None])
def test_it_refuses_zero_and_anything_but_a_whole_number(program, alice, olivia, points):
    with pytest.raises(InvalidAmount) as refused:
        adjust_points(client=alice, points=points, description="Bonus", by=olivia)

    assert "whole number of points other than zero" in str(refused.value.message)
    assert not LedgerEntry.objects.exists()


def test_it_asks_for_a_description(program, alice, olivia):
    with pytest.raises(DescriptionRequired) as refused:
        adjust_points(client=alice, points=5, description="   ", by=olivia)

    assert "the client sees it" in str(refused.value.message)
    assert not LedgerEntry.objects.exists()


def test_it_refuses_while_the_program_is_off(program, alice, olivia):
    Program.objects.filter(pk=1).update(is_enabled=False)

    with pytest.raises(LoyaltyDisabled):
        adjust_points(client=alice, points=5, description="Bonus", by=olivia)


def test_it_tells_the_client_their_balance_changed(program, alice, olivia):
    adjust_points(client=alice, points=50, description="Welcome bonus", by=olivia)
    entry = adjust_points(client=alice, points=-20, description="Drink at the bar", by=olivia)

    email = OutgoingEmail.objects.get(dedupe_key=f"loyalty:manual:{entry.pk}")
    assert (email.to, email.client, email.kind) == ("alice@client.test", alice, "loyalty_balance_changed")
    assert email.subject == "Your points balance at Studio Lumen has changed"
    assert "Your points balance changed by -20: Drink at the bar" in email.body_text
    assert "Your balance is now 30 points." in email.body_text


def test_it_uses_the_owners_wording_and_escapes_it_in_html(program, alice, olivia):
    Program.objects.filter(pk=1).update(
        template_balance_changed_subject="{client_first_name}, {points} points!",
        template_balance_changed_body="Dear {client_name},\n\n{description} <b>now {balance}</b>",
    )

    entry = adjust_points(client=alice, points=5, description="<script>x</script>", by=olivia)

    email = OutgoingEmail.objects.get(dedupe_key=f"loyalty:manual:{entry.pk}")
    assert email.subject == "Alice, +5 points!"
    assert email.body_text == "Dear Alice Martin,\n\n<script>x</script> <b>now 5</b>\n"
    assert "&lt;script&gt;x&lt;/script&gt; &lt;b&gt;now 5&lt;/b&gt;" in email.body_html
    assert "<script>" not in email.body_html


def test_it_refuses_wording_with_an_unknown_variable(program):
    program.template_points_earned_body = "You have {balence} points, {client_first_name}."

    with pytest.raises(ValidationError) as refused:
        program.save()

    assert "Unknown variable: {balence}" in str(refused.value.message_dict["template_points_earned_body"])
    assert Program.current().template_points_earned_body == ""


def test_it_refuses_wording_with_a_lone_brace(program):
    program.template_balance_changed_subject = "Points {"

    with pytest.raises(ValidationError):
        program.save()


def test_points_an_automation_gives_are_shown_as_given_by_it_and_never_taken(program, alice):
    entry = give_points(client=alice, points=10, description="Welcome bonus")

    assert (entry.kind, entry.get_kind_display(), entry.created_by) == (
        EntryKind.AUTOMATION,
        "Given by an automation",
        None,
    )
    with pytest.raises(InvalidAmount):
        give_points(client=alice, points=-5, description="Taken")
    assert balance_of(alice) == 10
