"""Adding or deducting points by hand, from the report's toolbar or a row; bad input changes nothing."""

import pytest

from bookings_app.models import OutgoingEmail
from loyalty.models import LedgerEntry
from loyalty.selectors import balance_of
from loyalty.services import adjust_points
from tests.support.htmx import htmx

ADJUST = "/dashboard/loyalty/points/adjust/"


def test_it_adds_points_and_tells_the_client(as_olivia, program, alice, olivia):
    response = as_olivia.post(ADJUST, {"client": alice.pk, "points": "25", "description": "Birthday bonus"})

    assert response.status_code == 302
    entry = LedgerEntry.objects.get(client=alice)
    assert (entry.points, entry.description, entry.created_by) == (25, "Birthday bonus", olivia)
    assert OutgoingEmail.objects.filter(kind="loyalty_balance_changed", to=alice.email).exists()


def test_it_deducts_with_a_minus_sign(as_olivia, program, alice, olivia):
    adjust_points(client=alice, points=40, description="Welcome", by=olivia)

    as_olivia.post(ADJUST, {"client": alice.pk, "points": "-15", "description": "Correction"})

    assert balance_of(alice) == 25


def test_it_refuses_a_deduction_larger_than_the_balance_next_to_the_field(as_olivia, program, alice, olivia):
    adjust_points(client=alice, points=10, description="Welcome", by=olivia)

    response = as_olivia.post(ADJUST, {"client": alice.pk, "points": "-30", "description": "Oops"}, **htmx())

    assert response.status_code == 400
    assert "Alice Martin has only 10 points: deduct at most that." in response.content.decode()
    assert LedgerEntry.objects.filter(client=alice).count() == 1 and balance_of(alice) == 10


@pytest.mark.parametrize("typed", ["1.5", "ten", "", "0"])
def test_it_refuses_an_amount_that_is_not_a_whole_number_of_points(as_olivia, program, alice, typed):
    response = as_olivia.post(ADJUST, {"client": alice.pk, "points": typed, "description": "Bonus"}, **htmx())

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_it_asks_for_a_client_and_a_description(as_olivia, program):
    response = as_olivia.post(ADJUST, {"points": "5", "description": ""})

    page = response.content.decode()
    assert "Search for a client and choose one." in page
    assert "This field is required." in page
    assert not LedgerEntry.objects.exists()


def test_it_preselects_the_client_of_a_row(as_olivia, program, alice):
    response = as_olivia.get(f"{ADJUST}?client={alice.pk}", **htmx())

    page = response.content.decode()
    assert "<dialog open" in page
    assert f'name="client" value="{alice.pk}" checked' in page


def test_it_closes_the_dialog_and_refreshes_the_report_after_saving(as_olivia, program, alice):
    response = as_olivia.post(ADJUST, {"client": alice.pk, "points": "5", "description": "Thanks"}, **htmx())

    assert response.status_code == 200
    assert response["HX-Trigger"] == "points-changed"
    assert "+5 points for Alice Martin" in response.content.decode()


def test_it_finds_clients_for_the_picker(as_olivia, program, alice, bob):
    response = as_olivia.get("/dashboard/loyalty/clients/search/?client_q=mart", **htmx())

    page = response.content.decode()
    assert f'value="{alice.pk}"' in page and f'value="{bob.pk}"' not in page
