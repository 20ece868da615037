"""The owner's discount code pages: the list (search, pages, uses so far), the form and its bad input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import DiscountCode
from tests.support.discounts import book_with_code, code

pytestmark = pytest.mark.django_db

LIST = reverse("dashboard:discount_codes")
NEW = reverse("dashboard:discount_code_new")


def form(**fields) -> dict:
    return {"code": "SUMMER", "kind": "percent", "percent": "15", "amount": "", **fields}


def test_the_list_shows_each_code_with_its_uses_so_far(client, olivia, yoga_session, yoga):
    code(code="ONCE", max_uses=5, max_uses_per_client=1, services=[yoga])
    book_with_code(yoga_session, "once")
    client.force_login(olivia)
    page = client.get(LIST).content.decode()
    assert "ONCE" in page and "1 of 5" in page and "1 per client" in page and "Yoga" in page
    assert 'aria-current="page">Discount codes' in page


def test_the_list_searches_codes_and_hides_archived_ones(client, olivia, studio):
    code(code="SPRING")
    code(code="SUMMER")
    gone = code(code="SPRINGOLD")
    gone.archived_at = gone.created_at
    gone.save()
    client.force_login(olivia)
    found = client.get(LIST, {"q": "spr"}).context["page"].object_list
    assert [c.code for c in found] == ["SPRING"]
    archived = client.get(LIST, {"q": "spr", "archived": "on"}).context["page"].object_list
    assert [c.code for c in archived] == ["SPRINGOLD"]
    fragment = client.get(LIST, {"q": "summer"}, HTTP_HX_REQUEST="true").content.decode()
    assert "SUMMER" in fragment and "<html" not in fragment


@pytest.mark.parametrize("count", [1, 60])
def test_the_list_takes_the_same_queries_for_1_and_60_codes(
    client, olivia, yoga, pilates, django_assert_num_queries, count
):
    for number in range(count):
        code(code=f"CODE{number}", services=[yoga, pilates])
    client.force_login(olivia)
    # session, user, groups, count, page, services of the page's codes, business
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == min(count, 25)
    if count > 25:
        assert 'rel="next"' in response.content.decode()


def test_the_owner_creates_a_code_for_some_services(client, olivia, yoga):
    client.force_login(olivia)
    response = client.post(
        NEW,
        form(
            code="summer",
            services=[yoga.pk],
            valid_from="2030-06-01",
            valid_until="2030-08-31",
            max_uses="50",
        ),
    )
    assert response.status_code == 302
    saved = DiscountCode.objects.get()
    assert (saved.code, saved.percent, saved.max_uses, list(saved.services.all())) == (
        "SUMMER",
        Decimal("15"),
        50,
        [yoga],
    )


def test_the_owner_creates_a_fixed_amount_in_the_business_currency(client, olivia, studio):
    client.force_login(olivia)
    page = client.get(NEW).content.decode()
    assert "Amount off (EUR)" in page
    client.post(NEW, form(kind="amount", percent="", amount="7.5"))
    saved = DiscountCode.objects.get()
    assert (saved.kind, saved.amount, saved.currency, saved.percent) == (
        "amount",
        Decimal("7.50"),
        "EUR",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent": "-5"}, "percent"),
        ({"percent": "0"}, "percent"),
        ({"percent": "101"}, "percent"),
        ({"percent": "100.001"}, "percent"),
        ({"percent": "ten"}, "percent"),
        ({"percent": "NaN"}, "percent"),
        ({"percent": "1e309"}, "percent"),
        ({"percent": ""}, "percent"),
        ({"kind": "amount", "amount": "-1"}, "amount"),
        ({"kind": "amount", "amount": "9" * 30}, "amount"),
        ({"kind": "amount", "amount": "abc"}, "amount"),
        ({"kind": "amount", "amount": "Infinity"}, "amount"),
        ({"kind": "amount", "amount": ""}, "amount"),
        ({"kind": "free"}, "kind"),
        ({"code": ""}, "code"),
        ({"code": "TWO WORDS"}, "code"),
        ({"code": "<script>"}, "code"),
        ({"code": "A" * 33}, "code"),
        ({"max_uses": "0"}, "max_uses"),
        ({"max_uses": "-3"}, "max_uses"),
        ({"max_uses": "9" * 30}, "max_uses"),
        ({"max_uses_per_client": "1.5"}, "max_uses_per_client"),
        ({"valid_from": "2026-02-30"}, "valid_from"),
        ({"valid_from": "2030-05-02", "valid_until": "2030-05-01"}, "valid_until"),
        ({"services": ["999999"]}, "services"),
        ({"services": ["x"]}, "services"),
        ({"services": ["9" * 30]}, "services"),
        ({"services": ["-1"]}, "services"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(client, olivia, studio, fields, field):
    client.force_login(olivia)
    response = client.post(NEW, form(**fields))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'class="field-error"' in response.content.decode()
    assert not DiscountCode.objects.exists()


def test_a_code_that_differs_only_in_case_is_refused_next_to_the_code(client, olivia, studio):
    code(code="SUMMER")
    client.force_login(olivia)
    response = client.post(NEW, form(code="Summer"))
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["Another discount code is already called “SUMMER”."]


def test_the_owner_edits_a_code_but_not_below_its_uses(client, olivia, yoga_session):
    saved = code(code="ONCE", max_uses=5)
    book_with_code(yoga_session, "once")
    book_with_code(yoga_session.__class__.objects.get(pk=yoga_session.pk), "once", "bob@client.test")
    client.force_login(olivia)
    url = reverse("dashboard:discount_code", args=[saved.pk])
    assert "Used 2 of 5 times." in client.get(url).content.decode()
    refused = client.post(url, form(code="ONCE", max_uses="1"))
    assert refused.status_code == 400 and "cannot be lower" in refused.context["form"].errors["max_uses"][0]
    assert client.post(url, form(code="ONCE", percent="20", max_uses="2")).status_code == 302
    saved.refresh_from_db()
    assert (saved.percent, saved.max_uses, saved.uses) == (Decimal("20"), 2, 2)


def test_the_owner_archives_and_restores_a_code(client, olivia, welcome10):
    client.force_login(olivia)
    client.post(reverse("dashboard:discount_code_archive", args=[welcome10.pk]))
    welcome10.refresh_from_db()
    assert welcome10.is_archived and not client.get(LIST).context["page"].object_list
    client.post(reverse("dashboard:discount_code_restore", args=[welcome10.pk]))
    welcome10.refresh_from_db()
    assert not welcome10.is_archived


def test_the_front_desk_cannot_see_or_change_codes(client, sam, welcome10):
    client.force_login(sam)
    assert client.get(LIST).status_code == 403
    assert client.post(reverse("dashboard:discount_code", args=[welcome10.pk]), form()).status_code == 403
    assert client.post(reverse("dashboard:discount_code_archive", args=[welcome10.pk])).status_code == 403
    welcome10.refresh_from_db()
    assert welcome10.percent == Decimal("10") and not welcome10.is_archived


def test_an_unknown_code_is_not_found(client, olivia, studio):
    client.force_login(olivia)
    assert client.get(reverse("dashboard:discount_code", args=[999])).status_code == 404
