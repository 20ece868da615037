"""The owner's codes: what may be saved, and what never may."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bookings_app.models import DiscountCode, DiscountKind
from bookings_app.services.discounts import (
    DiscountError,
    archive_discount_code,
    create_discount_code,
    restore_discount_code,
    update_discount_code,
)
from tests.support.discounts import book_with_code, code

pytestmark = pytest.mark.django_db


def test_it_stores_the_code_in_capitals(studio):
    assert (
        create_discount_code(code=" spring-24 ", kind=DiscountKind.PERCENT, percent=Decimal("15")).code
        == "SPRING-24"
    )


def test_a_fixed_amount_takes_the_business_currency(studio):
    saved = code(code="FIVE", kind=DiscountKind.AMOUNT, amount=Decimal("5"), percent=Decimal("50"))
    assert (saved.amount, saved.currency, saved.percent) == (Decimal("5"), "EUR", None)


def test_two_codes_cannot_differ_only_in_case(studio):
    code(code="SPRING")
    with pytest.raises(DiscountError) as refused:
        code(code="spring")
    assert refused.value.field == "code"
    assert DiscountCode.objects.count() == 1


@pytest.mark.parametrize("percent", [Decimal("0"), Decimal("-5"), Decimal("100.01"), Decimal("101"), None])
def test_a_percentage_is_more_than_0_and_at_most_100(studio, percent):
    with pytest.raises(DiscountError):
        code(percent=percent)
    assert not DiscountCode.objects.exists()


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("10000000"), None])
def test_an_amount_is_positive_and_fits(studio, amount):
    with pytest.raises(DiscountError):
        code(kind=DiscountKind.AMOUNT, amount=amount)


def test_the_dates_come_in_order(studio):
    with pytest.raises(DiscountError):
        code(valid_from=date(2030, 5, 2), valid_until=date(2030, 5, 1))


@pytest.mark.parametrize("limit", ["max_uses", "max_uses_per_client"])
def test_a_limit_is_at_least_one(studio, limit):
    with pytest.raises(DiscountError):
        code(**{limit: 0})


def test_the_database_refuses_what_the_service_would(studio):
    rows = [
        {"kind": "percent", "percent": Decimal("101")},
        {"kind": "percent", "percent": Decimal("10"), "amount": Decimal("5")},
        {"kind": "amount", "amount": Decimal("5"), "currency": ""},
        {"kind": "percent", "percent": Decimal("10"), "max_uses": 1, "uses": 2},
        {
            "kind": "percent",
            "percent": Decimal("10"),
            "valid_from": date(2030, 1, 2),
            "valid_until": date(2030, 1, 1),
        },
    ]
    for number, fields in enumerate(rows):
        with pytest.raises(IntegrityError), transaction.atomic():
            DiscountCode.objects.create(code=f"RAW{number}", **fields)
    DiscountCode.objects.create(code="ABC", kind="percent", percent=Decimal("10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DiscountCode.objects.create(code="abc", kind="percent", percent=Decimal("10"))


def test_editing_keeps_the_uses_and_refuses_a_total_below_them(yoga_session, yoga, welcome10):
    book_with_code(yoga_session, "welcome10")
    terms = {"code": "WELCOME10", "kind": DiscountKind.PERCENT, "percent": Decimal("20"), "services": [yoga]}
    welcome10.refresh_from_db()
    with pytest.raises(DiscountError) as refused:
        update_discount_code(discount_code=welcome10, max_uses=0, **terms)
    assert refused.value.field is None  # a limit below 1
    saved = update_discount_code(discount_code=welcome10, max_uses=1, **terms)
    assert (saved.uses, saved.max_uses, saved.percent) == (1, 1, Decimal("20"))
    assert list(saved.services.all()) == [yoga]


def test_a_total_below_the_uses_so_far_is_refused(yoga_session, welcome10):
    book_with_code(yoga_session, "welcome10")
    book_with_code(yoga_session.__class__.objects.get(pk=yoga_session.pk), "welcome10", "bob@client.test")
    terms = {"code": "WELCOME10", "kind": DiscountKind.PERCENT, "percent": Decimal("10")}
    with pytest.raises(DiscountError) as refused:
        update_discount_code(discount_code=welcome10, max_uses=1, **terms)
    assert refused.value.field == "max_uses" and "(2)" in refused.value.message


def test_archiving_and_restoring(welcome10):
    archive_discount_code(discount_code=welcome10)
    welcome10.refresh_from_db()
    assert welcome10.is_archived
    restore_discount_code(discount_code=welcome10)
    welcome10.refresh_from_db()
    assert not welcome10.is_archived
