"""Memberships as the membership tests make them (tests/bookings_app/memberships)."""

from decimal import Decimal

from bookings_app.models import Billing
from bookings_app.services.plans import give_plan, save_plan


def membership_plan(services, *, name="Unlimited", sessions_per_period=None, period="week", notice_days=0):
    return save_plan(
        services=services,
        kind="membership",
        name=name,
        description="",
        credits=1,
        valid_days=30,
        valid_from="purchase",
        price=Decimal("89.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
        sessions_per_period=sessions_per_period,
        period=period,
        notice_days=notice_days,
    )


def member(plan, client, *, now, card="renews"):
    return give_plan(
        plan=plan, client=client, now=now, billing=Billing.PROVIDER, provider="test", test_card=card
    )
