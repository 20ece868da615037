"""Racing webhook deliveries and delivery tasks, real threads, real database: one card per order
and one gift e-mail, whatever arrives at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import Business, OutgoingEmail, PaymentLedgerEntry
from bookings_app.payments import provider
from bookings_app.payments.testing import event_body, sign
from bookings_app.services import payments
from loyalty.models import GiftCard, GiftCardOrder
from loyalty.services import deliver_due_gift_cards
from tests.support.gift_sales import order_card
from tests.support.races import CROWD, race

pytestmark = pytest.mark.django_db(transaction=True)


def _paid_event(payment, event_id: str | None = None):
    body = event_body(
        kind="payment.succeeded",
        reference=payment.provider_reference,
        amount=payment.amount,
        currency=payment.currency,
        event_id=event_id,
    )
    return provider("test").parse_webhook(body, {"Rendez-Signature": sign(body)})


def test_one_event_delivered_many_times_at_once_issues_one_card(card_50):
    order, payment = order_card(product=card_50)
    event = _paid_event(payment, "evt_dup")

    outcomes = race(lambda _: payments.process_provider_event(event).code, range(CROWD))

    assert outcomes.count("fulfilled") == 1 and set(outcomes) == {"fulfilled", "duplicate"}
    assert GiftCard.objects.count() == 1
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="charge").count() == 1
    assert OutgoingEmail.objects.filter(kind="loyalty_gift_card").count() == 1
    print(f"\n{CROWD} deliveries of one event: 1 card, {outcomes.count('duplicate')} duplicates")


def test_many_paid_events_at_once_issue_one_card(card_50):
    order, payment = order_card(product=card_50)
    events = [_paid_event(payment) for _ in range(CROWD)]

    outcomes = race(lambda event: payments.process_provider_event(event).code, events)

    assert outcomes.count("fulfilled") == 1 and set(outcomes) == {"fulfilled", "already_paid"}
    assert GiftCard.objects.count() == 1 and GiftCardOrder.objects.get().gift_card is not None


def test_delivery_tasks_running_at_once_send_the_gift_once(card_50):
    tomorrow = timezone.localtime(timezone.now(), Business.current().tz).date() + timedelta(days=1)
    order, payment = order_card(product=card_50, gift_to="dan@example.test", deliver_on=tomorrow)
    payments.process_provider_event(_paid_event(payment))
    later = timezone.now() + timedelta(days=1, hours=1)

    sent = race(lambda _: deliver_due_gift_cards(now=later), range(CROWD))

    assert sum(sent) == 1
    assert OutgoingEmail.objects.filter(kind="loyalty_gift_delivery").count() == 1


def test_refunding_one_sold_card_many_times_at_once_refunds_it_once(card_50):
    from bookings_app.models import PaymentRefund
    from loyalty.services.gift_card_refunds import GiftCardRefundRefused, refund_sold_gift_card

    order, payment = order_card(product=card_50)
    payments.process_provider_event(_paid_event(payment))
    order.refresh_from_db()

    outcomes = race(lambda _: refund_sold_gift_card(order=order), range(CROWD), refused=GiftCardRefundRefused)

    asked = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert len(asked) == 1 and PaymentRefund.objects.filter(payment=payment).count() == 1
    sent = race(lambda _: payments.send_refund(refund_id=asked[0].pk), range(4))
    assert {refund.pk for refund in sent} == {asked[0].pk}
    assert PaymentLedgerEntry.objects.filter(payment=payment, kind="refund").count() == 1
    assert GiftCard.objects.get().voided_at is not None
