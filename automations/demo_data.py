"""The demo's automations, found by ``seed_demo`` after the booking and loyalty demos.

Eight automations a studio would build, then the seeded history goes through the engine as
it would have: the recorded events are processed and their runs performed at ``now``, so
the log shows runs done, skipped (frequency limit, condition, unsubscribed), failed (a
webhook nobody answers, after its last attempt) and scheduled (that webhook's retries, the
next reminders). Runs once (the automations say it did).
"""

from datetime import datetime, timedelta

from bookings_app.models import Client, Label, Service, User
from bookings_app.services.event_outbox import unprocessed

from .engine import EVENT_CONSUMER, process_event
from .execution import execute_run
from .models import MAX_ATTEMPTS, Automation, Run, RunStatus
from .scheduling import scan_time_triggers
from .services import create_automation, create_task, opt_out

UNANSWERED_WEBHOOK = "http://127.0.0.1:9/rendez-demo"  # nothing listens there: the calls fail


def _email(subject: str, body: str) -> dict:
    return {"kind": "email_client", "settings": {"subject": subject, "body": body}}


def seed_demo(*, now: datetime) -> int:
    """Create the automations and play the history through them; returns how many records were new."""
    if Automation.objects.exists():
        return 0
    automations = _automations()
    chloe = Client.objects.filter(email="chloe@example.com").first()
    if chloe is not None:
        opt_out(client=chloe)  # she asked for no more automation e-mails
    for event_id in unprocessed(EVENT_CONSUMER).values_list("event_id", flat=True):
        process_event(event_id=event_id, now=now, execute_due_now=True)
    scan_time_triggers(now=now)
    _give_up_on_one_webhook_run(now=now)
    owner = User.objects.get(email="owner@rendez.test")
    create_task(
        title="Order new yoga mats",
        notes="Six more for the Friday class.",
        due_date=now.date() + timedelta(days=5),
        assignee=owner,
    )
    return len(automations) + Run.objects.count() + 1


def _automations() -> list[Automation]:
    vip = Label.objects.get_or_create(name="VIP")[0]
    owner = User.objects.get(email="owner@rendez.test")
    return [
        create_automation(
            name="Thank you after a first visit",
            trigger="first_check_in",
            actions=[
                _email(
                    "Thank you for coming, {client_first_name}",
                    "It was lovely to meet you at {business_name}. See you again soon!",
                ),
                {
                    "kind": "add_points",
                    "settings": {"points": 20, "description": "Thank-you points for your first visit"},
                },
            ],
        ),
        create_automation(
            name="Points earned",
            trigger="points_earned",
            actions=[
                _email(
                    "You earned {points_earned} points",
                    "Well done, {client_first_name}: you now have "
                    "{points_balance} points at {business_name}.",
                )
            ],
        ),
        create_automation(
            name="Reminder 24 hours before",
            trigger="session_starts",
            trigger_params={"per": "client"},
            delay_amount=24,
            delay_unit="hours",
            delay_direction="before",
            actions=[
                _email(
                    "See you tomorrow: {service_name}",
                    "Your {service_name} with {staff_name} starts {session_start}.",
                )
            ],
        ),
        create_automation(
            name="Your pack ends in 7 days",
            trigger="plan_expires",
            trigger_params={"days": 7},
            actions=[
                _email(
                    "Your pack “{plan_name}” ends on {plan_valid_until}",
                    "Hello {client_first_name}, you still have {plan_credits_left} classes to book "
                    "before {plan_valid_until}. See you soon at {business_name}!",
                )
            ],
        ),
        create_automation(
            name="We miss you (30 days)",
            trigger="last_check_in",
            trigger_params={"days": 30},
            actions=[
                _email(
                    "We miss you, {client_first_name}",
                    "It has been a month. Your mat is waiting at {business_name}.",
                )
            ],
        ),
        create_automation(
            name="How was your class?",
            trigger="check_in",
            delay_amount=1,
            delay_unit="days",
            frequency="once_per_client_per_days",
            frequency_days=30,
            actions=[
                _email(
                    "How was {service_name}?",
                    "Tell us how it went, {client_first_name}: just reply to this e-mail.",
                )
            ],
        ),
        create_automation(
            name="Call back after a cancellation",
            trigger="client_cancels",
            actions=[
                {
                    "kind": "create_task",
                    "settings": {
                        "title": "Call {client_name} about the cancelled {service_name}",
                        "notes": "Offer another time.",
                        "due_in_days": 1,
                        "assignee": owner.pk,
                    },
                }
            ],
        ),
        create_automation(
            name="VIP booking: tell the team",
            trigger="client_books",
            conditions=[[{"field": "client_label", "operator": "has_label", "value": vip.pk}]],
            actions=[
                {
                    "kind": "notify_team",
                    "settings": {
                        "recipients": "owners",
                        "subject": "{client_name} (VIP) booked {service_name}",
                        "body": "Prepare a warm welcome for {client_first_name}.",
                    },
                }
            ],
        ),
        create_automation(
            name="Copy massages to the accounting sheet",
            trigger="client_books",
            services=Service.objects.filter(slug="deep-tissue-massage"),
            actions=[{"kind": "call_webhook", "settings": {"url": UNANSWERED_WEBHOOK}}],
        ),
    ]


def _give_up_on_one_webhook_run(*, now: datetime) -> None:
    """The oldest webhook run goes through all its attempts, as the dispatcher would retry it."""
    run = (
        Run.objects.filter(
            automation__name="Copy massages to the accounting sheet", status=RunStatus.SCHEDULED
        )
        .order_by("pk")
        .first()
    )
    moment = now
    while run is not None and run.status == RunStatus.SCHEDULED and run.attempts < MAX_ATTEMPTS:
        moment = max(moment, run.due_at)
        execute_run(run_id=run.pk, now=moment)
        run.refresh_from_db()
