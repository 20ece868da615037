"""The race harness (tests/support/races.py) every race test relies on."""

import threading

import pytest

from bookings_app.core.errors import BookingError, SessionFull
from tests.support.races import in_words, race


def test_it_releases_every_contender_together_and_answers_in_their_order():
    arrived = []
    everyone_arrived = threading.Event()

    def attempt(number: int) -> int:
        arrived.append(number)
        if len(arrived) == 5:
            everyone_arrived.set()
        assert everyone_arrived.wait(timeout=10), "a contender ran alone"
        return number * 10

    assert race(attempt, range(5)) == [0, 10, 20, 30, 40]


def test_it_gives_back_a_refusal_and_lets_any_other_error_fail_the_race():
    def book(number: int) -> str:
        if number % 2:
            raise SessionFull()
        return "booked"

    outcomes = race(book, range(4), refused=BookingError)

    assert outcomes[0::2] == ["booked", "booked"]
    assert all(isinstance(outcome, SessionFull) for outcome in outcomes[1::2])
    with pytest.raises(SessionFull):
        race(book, range(4))


def test_each_contender_gets_ready_in_its_own_thread_before_the_start():
    threads = {}

    def open_the_form(number: int) -> tuple[int, int]:
        return number, threading.get_ident()

    def send_it(opened: tuple[int, int]) -> bool:
        number, opened_in = opened
        threads[number] = opened_in
        return opened_in == threading.get_ident()

    assert race(send_it, range(3), get_ready=open_the_form) == [True, True, True]
    assert len(set(threads.values())) == 3


def test_it_words_each_outcome_as_the_person_reads_it():
    outcomes = ["a booking", SessionFull()]

    assert in_words(outcomes, success="booked") == ["booked", "Sorry, this session is full."]
