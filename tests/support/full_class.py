"""Thursday's yoga class, full: what tests of cancelling a session start from."""

from decimal import Decimal

from bookings_app.models import PaymentPolicy, Service, ServiceKind, Session
from bookings_app.services.bookings import book_class_seat
from bookings_app.services.checkout import book_and_pay
from bookings_app.services.plans import give_plan, save_plan, use_credit
from bookings_app.services.waitlist import join_waitlist
from tests import factories as f
from tests.support.payments import deliver, hold_seat


def thursday_yoga() -> tuple[Service, Session]:
    """Nina's yoga class next Thursday at 18:00, four seats, a waitlist, 20 EUR."""
    f.business(currency="EUR", payment_hold_minutes=15)
    nina = f.staff_member("Nina")
    yoga = f.service(
        "Yoga",
        kind=ServiceKind.CLASS,
        staff=[nina],
        capacity=4,
        price=Decimal("20.00"),
        waitlist_enabled=True,
    )
    return yoga, f.session(yoga, nina, f.local(f.next_weekday(3), "18:00"), capacity=4)


def fill_thursday(yoga, thursday) -> dict:
    """Bob paid in person, Carla online, Dan with his pack, Eve is still paying; Fay and Gil wait."""
    """Bob paid in person, Carla online, Dan with his pack, Eve is still paying; Fay and Gil wait."""
    bob = book_class_seat(session=thursday, details=f.racer(1))
    yoga.payment_policy = PaymentPolicy.FULL
    yoga.save(update_fields=["payment_policy"])
    carla, carla_payment = hold_seat(thursday, 2)
    deliver(carla_payment)
    yoga.payment_policy = PaymentPolicy.IN_PERSON
    yoga.save(update_fields=["payment_policy"])
    pack_plan = save_plan(
        services=[yoga],
        name="10 classes",
        description="",
        credits=10,
        valid_days=90,
        valid_from="purchase",
        price=Decimal("150.00"),
        currency="EUR",
        one_per_client=False,
        no_show_forfeits=True,
    )
    dan_pack = give_plan(plan=pack_plan, client=f.client("Dan", email=f.racer(3).email))
    dan = book_and_pay(
        book=lambda: book_class_seat(session=thursday, details=f.racer(3)),
        pay=lambda bookings: use_credit(client_plan_id=dan_pack.pk, bookings=bookings),
    )
    yoga.payment_policy = PaymentPolicy.FULL
    yoga.save(update_fields=["payment_policy"])
    eve, eve_payment = hold_seat(thursday, 4)
    line = [join_waitlist(session=thursday, details=f.racer(n)) for n in (5, 6)]
    return {
        "bob": bob,
        "carla": carla,
        "carla_payment": carla_payment,
        "dan": dan,
        "dan_pack": dan_pack,
        "eve": eve,
        "eve_payment": eve_payment,
        "line": line,
    }
