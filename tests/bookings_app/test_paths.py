"""A view's path around its varying part says what ``reverse`` says, for ids and for tokens."""

from django.urls import reverse, set_script_prefix

from bookings_app.core.paths import path_around


def test_an_id_put_between_the_two_halves_gives_the_reversed_path():
    before, after = path_around("dashboard:calendar_booking")

    for pk in (1, 42, 987654321):
        assert f"{before}{pk}{after}" == reverse("dashboard:calendar_booking", args=[pk])


def test_a_token_stand_in_works_for_views_that_take_a_token():
    before, after = path_around("automations:email_opened", "rendez-token")

    assert f"{before}abc.DEF-1{after}" == reverse("automations:email_opened", args=["abc.DEF-1"])


def test_it_follows_the_script_prefix_as_reverse_does():
    set_script_prefix("/rendez/")
    try:
        before, _after = path_around("dashboard:calendar_booking")
    finally:
        set_script_prefix("/")

    assert before.startswith("/rendez/dashboard/")
    assert path_around("dashboard:calendar_booking")[0].startswith("/dashboard/")
