"""The team sees who waits for an earlier time: a filter and a badge on the bookings list, and a
card on the booking's page with the times the client was told of."""

import pytest
from django.urls import reverse

from bookings_app.services.changes import cancel_booking
from bookings_app.services.earlier_time_moves import ask_for_earlier_time

pytestmark = pytest.mark.django_db


def _list(client, **params):
    return client.get(reverse("dashboard:bookings"), params, HTTP_ACCEPT_LANGUAGE="en")


def test_the_list_filters_and_marks_the_bookings_waiting_for_an_earlier_time(
    client, olivia, alice, bob, carla
):
    ask_for_earlier_time(booking=bob)
    client.force_login(olivia)

    everyone = _list(client).content.decode()
    assert everyone.count("Wants an earlier time") == 1
    waiting = _list(client, earlier="waiting")
    assert list(waiting.context["page"].object_list) == [bob]


def test_an_unknown_choice_is_refused_next_to_the_filter_without_narrowing(client, olivia, alice, bob):
    client.force_login(olivia)
    response = _list(client, earlier="soon")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert len(response.context["page"].object_list) == 2


def test_the_list_counts_its_queries_the_same_with_the_badge(
    client, olivia, alice, bob, carla, django_assert_num_queries
):
    for booking in (alice, bob, carla):
        ask_for_earlier_time(booking=booking)
    client.force_login(olivia)
    _list(client)
    with django_assert_num_queries(9):  # the bookings list's: its count, its page's ids, their rows
        _list(client, earlier="waiting")


def test_the_booking_page_shows_the_wish_and_the_times_told(client, olivia, alice, bob):
    ask_for_earlier_time(booking=bob)
    cancel_booking(booking=alice, by_client=True)  # 10:00 frees up: Bob is told of it
    client.force_login(olivia)

    html = client.get(reverse("dashboard:booking", args=[bob.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Waiting for an earlier time" in html
    assert "the client asks to be told if an earlier time opens with <bdi>Nina</bdi>" in html
    assert "10:00" in html and "Sent" in html


def test_a_booking_without_a_wish_has_no_card(client, olivia, alice):
    client.force_login(olivia)
    html = client.get(
        reverse("dashboard:booking", args=[alice.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Waiting for an earlier time" not in html
