"""An automation in one sentence, for every trigger, delay, condition and action."""

import pytest
from django.utils import translation

from automations.summary import sentence
from automations.triggers import triggers
from bookings_app.models import Label

EMAIL = {"kind": "email_client", "settings": {"subject": "Welcome!", "body": "…"}}


def test_it_reads_the_example_of_the_brief(yoga):
    words = sentence(
        trigger="first_check_in",
        params={},
        service_names=[],
        delay_amount=2,
        delay_unit="hours",
        delay_direction="after",
        conditions=[[{"field": "service", "operator": "is", "value": yoga.pk}]],
        actions=[EMAIL],
    )

    assert words == (
        "When a client is checked in for the first time, wait 2 hours, if Service is Yoga, "
        "then e-mail the client “Welcome!”."
    )


@pytest.mark.parametrize(
    "trigger, params, expected",
    [
        ("client_books", {}, "When a client books a session (Yoga)"),
        ("client_cancels", {}, "When a client cancels a booking (Yoga)"),
        ("first_check_in", {}, "When a client is checked in for the first time (Yoga)"),
        ("check_in_number", {"visits": 5}, "When a client is checked in for the 5th time (Yoga)"),
        ("check_in", {}, "When a client is checked in to a session (Yoga)"),
        ("last_check_in", {"days": 30}, "When a client was last checked in 30 days ago"),
        ("session_starts", {"per": "client"}, "When a session starts (Yoga)"),
        ("session_ends", {"per": "session"}, "When a session ends (Yoga) (once for the whole session)"),
        ("booking_requested", {}, "When a client requests a booking (Yoga)"),
        ("booking_approved", {}, "When a booking request is approved (Yoga)"),
        ("booking_declined", {}, "When a booking request is declined (Yoga)"),
        ("waitlist_joined", {}, "When a client joins a waitlist (Yoga)"),
        ("waitlist_booked", {}, "When a client is booked from the waitlist (Yoga)"),
        ("payment_received", {}, "When a client pays online (Yoga)"),
        ("refund_issued", {}, "When a refund is issued (Yoga)"),
        ("points_earned", {}, "When a client earns loyalty points"),
        ("gift_card_issued", {}, "When a gift card is issued"),
    ],
)
def test_it_says_every_trigger_in_words(db, trigger, params, expected):
    services = ["Yoga"] if triggers.get(trigger).service_filter else []

    words = sentence(
        trigger=trigger,
        params=params,
        service_names=services,
        delay_amount=0,
        delay_unit="minutes",
        delay_direction="after",
        conditions=[],
        actions=[EMAIL],
    )

    assert words.startswith(expected + ", then e-mail the client")


def test_every_registered_trigger_has_its_words():
    from automations.summary import TRIGGER_PHRASES

    assert set(TRIGGER_PHRASES) == set(triggers.keys())


def test_it_says_delays_conditions_actions_and_the_frequency(db):
    vip = Label.objects.create(name="VIP")
    actions = [
        {"kind": "notify_team", "settings": {"recipients": "owners_and_staff", "subject": "Roster"}},
        {"kind": "create_task", "settings": {"title": "Call {client_name}"}},
        {"kind": "add_label", "settings": {"label": vip.pk}},
        {"kind": "remove_label", "settings": {"label": vip.pk}},
        {"kind": "add_points", "settings": {"points": 50}},
        {"kind": "call_webhook", "settings": {"url": "https://hooks.example/x"}},
    ]
    conditions = [
        [
            {"field": "visits", "operator": "gt", "value": 3},
            {"field": "client_first_name", "operator": "is", "value": "Alice"},
        ],
        [{"field": "booking_paid", "operator": "is_true", "value": None}],
    ]

    words = sentence(
        trigger="session_starts",
        params={"per": "client"},
        service_names=[],
        delay_amount=1,
        delay_unit="days",
        delay_direction="before",
        conditions=conditions,
        actions=actions,
        frequency="once_per_client_per_days",
        frequency_days=7,
    )

    assert words == (
        "When a session starts, 1 day before the session starts, if Number of visits is greater than 3 and "
        "Client's first name is Alice, or Booking is paid is yes, then e-mail the owner and the session's "
        "staff member “Roster”, then create the task “Call {client_name}”, then add the label “VIP” to the "
        "client, then "
        "remove the label “VIP” from the client, then add 50 loyalty points, then call the webhook "
        "https://hooks.example/x (at most once per client every 7 days)."
    )


def test_it_speaks_the_active_language(db):
    with translation.override("fr"):
        words = sentence(
            trigger="client_books",
            params={},
            service_names=[],
            delay_amount=3,
            delay_unit="minutes",
            delay_direction="after",
            conditions=[],
            actions=[EMAIL],
            frequency="once_per_client",
        )
    assert words.endswith(".")
    assert isinstance(words, str)
