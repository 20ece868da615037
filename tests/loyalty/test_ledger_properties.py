"""Whatever happens, in whatever order, the ledger adds up and no balance goes below zero.

Hypothesis plays random sequences of earn / manual / buy / redeem / cancel-and-reverse on
two clients and checks, after every step, the stored balances against the entries, against
a model of what they should be, against ``check_ledger()``, and every gift card's value.
"""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from bookings_app.models import Booking, BookingStatus, ServiceKind
from bookings_app.services.changes import cancel_booking
from loyalty.errors import GiftCardEmpty, InsufficientPoints
from loyalty.ledger_check import check_ledger
from loyalty.models import Balance, GiftCard, GiftCardProduct, LedgerEntry, Program, ServicePoints
from loyalty.services import (
    adjust_points,
    buy_gift_card_with_points,
    credit_points_for_ended_sessions,
    redeem_gift_card,
)
from tests import factories as f
from tests.factories import make_person
from tests.support.loyalty import settle_cancellations

VISIT_POINTS, CARD_PRICE = 10, 25
WHO = st.sampled_from(["alice", "bob"])
STEPS = st.one_of(
    st.tuples(st.just("earn"), WHO),
    st.tuples(st.just("manual"), WHO, st.one_of(st.integers(-40, -1), st.integers(1, 40))),
    st.tuples(st.just("buy"), WHO),
    st.tuples(st.just("redeem"), WHO, st.integers(0, 5), st.decimals("0.01", "30", places=2)),
    st.tuples(st.just("cancel"), st.booleans(), st.integers(0, 20)),
)


class LedgerPropertiesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        f.business(name="Studio Lumen")
        Program.objects.update_or_create(pk=1, defaults={"is_enabled": True, "credit_delay_hours": 3})
        cls.nina = f.staff_member("Nina")
        cls.yoga = f.service(
            "Yoga", kind=ServiceKind.CLASS, staff=[cls.nina], capacity=10, price=Decimal("20")
        )
        ServicePoints.objects.create(service=cls.yoga, points=VISIT_POINTS)
        cls.product = GiftCardProduct.objects.create(
            name="Voucher", value=Decimal("15.00"), validity_days=30, points_price=CARD_PRICE
        )
        cls.olivia = make_person("olivia@studio.test", "Olivia", password=None)
        cls.clients = {"alice": f.client("Alice"), "bob": f.client("Bob", language="fr")}

    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(STEPS, min_size=1, max_size=18))
    def test_it_keeps_every_balance_equal_to_its_entries_and_never_negative(self, steps) -> None:
        self.expected = {name: 0 for name in self.clients}
        self.slots = 0
        # The PDF has its own tests; here it would only make each example slower.
        with mock.patch("loyalty.notifications.gift_card_pdf", return_value=b"%PDF-1.7 stub"):
            for step in steps:
                getattr(self, f"_{step[0]}")(*step[1:])
                self._check_invariants(step)

    # --- steps: each one changes the model exactly as the ledger should change --------

    def _earn(self, who: str) -> None:
        self._book(who, ended=True)
        self.expected[who] += VISIT_POINTS * credit_points_for_ended_sessions()

    def _manual(self, who: str, points: int) -> None:
        enough = self.expected[who] + points >= 0
        try:
            adjust_points(client=self.clients[who], points=points, description="By hand", by=self.olivia)
        except InsufficientPoints:
            assert not enough
        else:
            assert enough
            self.expected[who] += points

    def _buy(self, who: str) -> None:
        enough = self.expected[who] >= CARD_PRICE
        try:
            buy_gift_card_with_points(client=self.clients[who], product=self.product)
        except InsufficientPoints:
            assert not enough
        else:
            assert enough
            self.expected[who] -= CARD_PRICE

    def _redeem(self, who: str, card_index: int, amount: Decimal) -> None:
        cards = list(GiftCard.objects.order_by("pk"))
        if not cards:
            return
        booking = self._book(who, ended=False)
        try:
            redeem_gift_card(code=cards[card_index % len(cards)].code, booking=booking, amount_due=amount)
        except GiftCardEmpty:
            pass

    def _cancel(self, credited_only: bool, booking_index: int) -> None:
        live = Booking.objects.filter(status=BookingStatus.CONFIRMED).select_related("client").order_by("pk")
        if credited_only:  # a visit that earned points: its reversal is the interesting part
            live = live.filter(ledger_entries__kind="earned")
        live = list(live)
        if not live:
            return
        booking = live[booking_index % len(live)]
        earned = booking.ledger_entries.filter(kind="earned").exists()
        cancel_booking(booking=booking, by_client=False)
        settle_cancellations()
        if earned:
            who = next(name for name, client in self.clients.items() if client == booking.client)
            self.expected[who] -= min(VISIT_POINTS, self.expected[who])

    def _book(self, who: str, *, ended: bool) -> Booking:
        """A booking in a session of its own, ended four hours ago or starting tomorrow."""
        self.slots += 1
        shift = timedelta(hours=2 * self.slots)
        if ended:
            start = timezone.now() - timedelta(hours=5) - shift
        else:
            start = timezone.now() + timedelta(days=1) + shift
        return f.booking(f.session(self.yoga, self.nina, start), self.clients[who])

    # --- what must hold after every step -----------------------------------------------

    def _check_invariants(self, step: tuple) -> None:
        for name, client in self.clients.items():
            stored = Balance.objects.filter(client=client).values_list("points", flat=True).first() or 0
            total = LedgerEntry.objects.filter(client=client).aggregate(total=Sum("points"))["total"] or 0
            assert stored == total == self.expected[name], (step, name, stored, total, self.expected[name])
        assert not Balance.objects.filter(points__lt=0).exists()
        assert not LedgerEntry.objects.filter(balance_after__lt=0).exists()
        assert check_ledger() == [], step
        for card in GiftCard.objects.all():
            live = card.redemptions.filter(refunded_at__isnull=True)
            paid = live.aggregate(total=Sum("amount"))["total"] or 0
            assert Decimal("0") <= card.remaining_value <= card.initial_value
            assert card.remaining_value + paid == card.initial_value, (step, card.pk)
