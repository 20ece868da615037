"""The client's Plans page gives or sells a pack and starts a membership with a form each, worded
for its kind: a membership is never called a pack."""

import pytest

from bookings_app.models import ClientPlan
from tests.support.memberships import membership_plan


def plans_page(alice) -> str:
    return f"/dashboard/clients/{alice.pk}/plans/"


@pytest.fixture
def unlimited(studio):
    return membership_plan([studio["yoga"]], name="Unlimited")


def _form(page: str, kind: str) -> str:
    start = page.index(f"give-plan-form--{kind}")
    return page[start : page.index("</form>", start)]


def test_each_kind_has_its_own_form_worded_for_it(client, olivia, alice, ten_classes, unlimited):
    client.force_login(olivia)
    page = client.get(plans_page(alice)).content.decode()
    packs, memberships = _form(page, "pack"), _form(page, "membership")
    assert "Give or sell a pack" in page and "Give or sell a membership" in page
    assert "10 classes" in packs and "Unlimited" not in packs and "Add the pack" in packs
    assert "Unlimited" in memberships and "10 classes" not in memberships
    assert "Start the membership" in memberships and "First month paid at the desk" in memberships
    assert "pack" not in memberships.lower().replace("give-plan-form--pack", "")
    assert "Renewed" in memberships and "Renewed" not in packs


def test_a_studio_with_packs_only_shows_the_pack_form_only(client, olivia, alice, ten_classes):
    client.force_login(olivia)
    page = client.get(plans_page(alice)).content.decode()
    assert "give-plan-form--pack" in page and "give-plan-form--membership" not in page


def test_the_membership_form_starts_a_membership(client, olivia, alice, ten_classes, unlimited):
    client.force_login(olivia)
    response = client.post(
        plans_page(alice), {"kind": "membership", "plan": unlimited.pk, "source": "sold", "renewal": "desk"}
    )
    assert response.status_code == 302
    assert ClientPlan.objects.get(client=alice).plan == unlimited


def test_the_pack_form_refuses_a_membership_and_says_so_in_its_place(
    client, olivia, alice, ten_classes, unlimited
):
    client.force_login(olivia)
    response = client.post(plans_page(alice), {"kind": "pack", "plan": unlimited.pk, "source": "sold"})
    assert response.status_code == 400
    assert "Select a valid choice" in _form(response.content.decode(), "pack")
    assert not ClientPlan.objects.exists()


@pytest.mark.parametrize("kind", ["", "nonsense", "membership\x00", "x" * 5000])
def test_an_odd_kind_falls_back_to_the_chosen_plans_kind(client, olivia, alice, ten_classes, kind):
    client.force_login(olivia)
    response = client.post(plans_page(alice), {"kind": kind, "plan": ten_classes.pk, "source": "given"})
    assert response.status_code == 302
    assert ClientPlan.objects.get(client=alice).plan == ten_classes


def test_a_form_sent_for_a_kind_no_longer_on_sale_is_shown_with_its_error(client, olivia, alice, ten_classes):
    client.force_login(olivia)
    response = client.post(
        plans_page(alice), {"kind": "membership", "plan": ten_classes.pk, "source": "sold"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in _form(response.content.decode(), "membership")
