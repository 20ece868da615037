"""The plan pages: the list, the form, a client's packs, the booking limits, My bookings."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings_app.models import Business, ClientPlan, Plan
from bookings_app.services.plans import give_plan, save_plan
from bookings_app.web.accounts import user_for_client

PLAN_POST = {
    "name": "Five massages",
    "description": "",
    "credits": "5",
    "valid_days": "60",
    "valid_from": "first_use",
    "price": "200.00",
    "currency": "eur",
    "one_per_client": "",
    "no_show_forfeits": "on",
}


def plan_rows(response) -> int:
    return len(re.findall(r'href="/dashboard/plans/\d+/"', response.content.decode()))


@pytest.mark.parametrize("rows", [1, 30])
def test_the_plans_list_costs_the_same_queries_for_1_and_30_rows(
    client, olivia, studio, rows, django_assert_num_queries
):
    for number in range(rows):
        save_plan(
            services=[studio["yoga"], studio["massage"]],
            name=f"Pack {number}",
            description="",
            credits=5,
            valid_days=30,
            valid_from="purchase",
            price=Decimal("10"),
            currency="EUR",
            one_per_client=False,
            no_show_forfeits=True,
        )
    client.force_login(olivia)
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard:plans"), {"q": "pack"})
    assert plan_rows(response) == min(rows, 25)


def test_the_list_searches_and_hides_archived_plans(client, olivia, ten_classes):
    client.force_login(olivia)
    assert "10 classes" in client.get("/dashboard/plans/?q=classes").content.decode()
    assert plan_rows(client.get("/dashboard/plans/?q=massage")) == 0
    client.post(f"/dashboard/plans/{ten_classes.pk}/archive/")
    assert plan_rows(client.get("/dashboard/plans/")) == 0
    assert plan_rows(client.get("/dashboard/plans/?archived=on")) == 1


def test_the_owner_creates_a_pack(client, olivia, studio):
    client.force_login(olivia)
    response = client.post("/dashboard/plans/new/", {**PLAN_POST, "services": [studio["massage"].pk]})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.credits, plan.currency, plan.valid_from) == (5, "EUR", "first_use")


def test_the_form_says_why_a_service_that_needs_approval_cannot_be_chosen(client, olivia, studio):
    studio["massage"].requires_approval = True
    studio["massage"].save()
    client.force_login(olivia)
    response = client.post("/dashboard/plans/new/", {**PLAN_POST, "services": [studio["massage"].pk]})
    assert response.status_code == 400
    assert "cannot be part of a plan: switch approval off first" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_approval_tab_says_why_a_planned_service_cannot_require_approval(client, olivia, studio):
    save_plan(
        services=[studio["massage"]],
        **{
            **PLAN_POST,
            "credits": 5,
            "valid_days": 60,
            "price": Decimal("1"),
            "no_show_forfeits": True,
            "one_per_client": False,
        },
    )
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/services/{studio['massage'].pk}/?tab=approval",
        {"requires_approval": "on", "request_reminder_hours": "24"},
    )
    assert response.status_code == 400
    assert "connected to a plan cannot require approval" in response.content.decode()


def test_bad_plan_input_is_a_400_with_reasons(client, olivia, studio):
    client.force_login(olivia)
    response = client.post(
        "/dashboard/plans/new/",
        {**PLAN_POST, "credits": "-1", "price": "-5", "currency": "€€", "services": ["x"]},
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_the_owner_sells_a_pack_at_the_desk_and_sees_it_on_the_clients_page(
    client, olivia, ten_classes, alice
):
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/clients/{alice.pk}/plans/",
        {"plan": ten_classes.pk, "source": "sold", "price_paid": "140"},
    )
    assert response.status_code == 302
    pack = ClientPlan.objects.get(client=alice)
    assert pack.price_paid == Decimal("140.00")
    assert pack.created_by == olivia
    page = client.get(f"/dashboard/clients/{alice.pk}/plans/").content.decode()
    assert "10 / 10" in page


def test_the_clients_plans_open_as_a_dialog(client, olivia, alices_pack, alice):
    client.force_login(olivia)
    response = client.get(f"/dashboard/clients/{alice.pk}/plans/", headers={"HX-Request": "true"})
    assert "<dialog open" in response.content.decode()
    assert (
        f'href="/dashboard/clients/{alice.pk}/plans/"'
        in client.get(f"/dashboard/clients/{alice.pk}/").content.decode()
    )


def test_a_one_per_client_offer_refused_twice_says_why(client, olivia, ten_classes, alice):
    Plan.objects.filter(pk=ten_classes.pk).update(one_per_client=True)
    give_plan(plan=ten_classes, client=alice)
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/clients/{alice.pk}/plans/", {"plan": ten_classes.pk, "source": "given"}
    )
    assert response.status_code == 400
    assert "already had it" in response.content.decode()


def test_staff_may_not_open_the_plan_pages(client, sam, ten_classes, alice):
    client.force_login(sam)
    for url in (
        "/dashboard/plans/",
        f"/dashboard/plans/{ten_classes.pk}/",
        f"/dashboard/clients/{alice.pk}/plans/",
    ):
        assert client.get(url).status_code in (302, 403)


def test_the_owner_sets_booking_limits(client, olivia, studio):
    client.force_login(olivia)
    business = Business.current()
    data = {
        field: getattr(business, field)
        for field in (
            "name",
            "time_zone",
            "currency",
            "language",
            "sender_email",
            "min_notice_minutes",
            "max_advance_days",
            "cancel_window_hours",
            "slot_step_minutes",
        )
    }
    response = client.post(
        "/dashboard/settings/", {**data, "max_upcoming_bookings": "4", "max_bookings_per_week": "2"}
    )
    assert response.status_code == 302
    business.refresh_from_db()
    assert (
        business.max_upcoming_bookings,
        business.max_bookings_per_day,
        business.max_bookings_per_week,
    ) == (4, None, 2)


def test_my_bookings_shows_my_packs_credits_and_end(client, alices_pack, alice):
    client.force_login(user_for_client(alice))
    page = client.get("/my/").content.decode()
    assert "My plans" in page
    assert "10 credits left" in page
    assert "valid until" in page
