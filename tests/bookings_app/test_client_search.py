"""The one client search rule (bookings_app.selectors.search_clients) every client box uses."""

import pytest

from bookings_app.selectors import client_picker, search_clients, search_words
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "alice": factories.client("Alice", last_name="Martin", phone="+33 6 12 34 56 78"),
        "alan": factories.client("Alan", last_name="Marsh", email="al@work.test", phone="06.99.00.11.22"),
        "maria": factories.client("Maria", last_name="Alvarez", email="maria@client.test"),
    }


def found(query: str) -> list[str]:
    return [client.first_name for client in search_clients(query)]


def test_every_word_must_match_one_of_name_email_or_phone(people):
    assert found("al mar") == ["Alan", "Alice", "Maria"]
    assert found("alice martin") == ["Alice"]
    assert found("mar work") == ["Alan"]
    assert found("alice marsh") == []


def test_it_ignores_case(people):
    assert found("ALICE mArTiN") == ["Alice"]
    assert found("MARIA@CLIENT") == ["Maria"]


def test_it_matches_a_phone_on_its_digits_whatever_the_separators(people):
    assert found("0699001122") == ["Alan"]
    assert found("06 99 00") == ["Alan"]
    assert found("12-34-56") == ["Alice"]
    assert found("+33 6 12") == ["Alice"]


def test_an_empty_search_finds_everyone_but_a_picker_offers_no_one(people):
    assert found("  ") == ["Alan", "Alice", "Maria"]
    assert client_picker("  ") == []
    assert [client.first_name for client in client_picker("a", limit=2)] == ["Alan", "Alice"]


def test_it_reads_a_bounded_search():
    assert search_words("a b c d e f g") == ["a", "b", "c", "d", "e"]
    assert search_words("x" * 5000) == ["x" * 100]
    assert search_words("06 12 34 56 78") == ["06 12 34 56 78"]


@pytest.mark.parametrize("odd", ["%", "_", "\\", "' OR 1=1 --", "ß" * 300, "😀", "a%b_c"])
def test_odd_input_is_a_harmless_empty_search(people, odd):
    assert found(odd) == []
