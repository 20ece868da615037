"""The clients list shows each client's points balance, linking to its history, in one query."""

import pytest

from bookings_app.models import Client
from loyalty.services import adjust_points

CLIENTS = "/dashboard/clients/"


def test_it_shows_each_balance_linking_to_the_clients_history(as_olivia, program, alice, bob, olivia):
    adjust_points(client=alice, points=42, description="Welcome", by=olivia)

    page = as_olivia.get(CLIENTS).content.decode()

    history = f"/dashboard/loyalty/clients/{alice.pk}/history/"
    assert f'<a href="{history}"' in page and f'hx-get="{history}"' in page
    cells = {client.pk: client.column_cells for client in as_olivia.get(CLIENTS).context["page"].object_list}
    assert cells[alice.pk][0][0] == 42 and cells[bob.pk][0][0] == 0


def test_it_hides_the_column_while_the_program_is_off(as_olivia, studio, alice):
    page = as_olivia.get(CLIENTS).content.decode()

    assert "/history/" not in page


@pytest.mark.parametrize("count", [1, 50])
def test_it_reads_the_balances_in_the_lists_own_query(
    as_olivia, program, olivia, django_assert_num_queries, count
):
    for client in Client.objects.bulk_create(
        [Client(first_name=f"C{n}", email=f"c{n}@client.test") for n in range(count)]
    ):
        adjust_points(client=client, points=5, description="Welcome", by=olivia)

    # session, user, groups, count, page, labels, business, label choices, program on
    with django_assert_num_queries(9):
        response = as_olivia.get(CLIENTS)

    assert {cells[0][0] for cells in (c.column_cells for c in response.context["page"].object_list)} == {5}
