"""The membership pages: the plan form for a membership, the list, a client's Plans page (extend,
freeze, cancel, a renewal paid at the desk, the history), the booking form and My bookings."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bookings_app.models import Booking, ClientPlan, MembershipRenewal, MembershipStatus, Plan
from bookings_app.services.memberships import freeze_membership
from bookings_app.services.plans import give_plan
from bookings_app.web.accounts import user_for_client
from tests import factories as f
from tests.support.memberships import member, membership_plan

MEMBERSHIP_POST = {
    "name": "Unlimited yoga",
    "description": "",
    "sessions_per_period": "",
    "period": "week",
    "notice_days": "14",
    "price": "89.00",
    "currency": "eur",
}
FORM = {
    "first_name": "Alice",
    "last_name": "Martin",
    "email": "alice@client.test",
    "phone": "",
    "request_key": "a" * 32,
}


def plans_page(alice) -> str:
    return f"/dashboard/clients/{alice.pk}/plans/"


def action(membership, name) -> str:
    return reverse("dashboard:membership_action", args=[membership.client_id, membership.pk, name])


def test_the_owner_creates_a_membership(client, olivia, studio):
    client.force_login(olivia)
    page = client.get("/dashboard/plans/new/?kind=membership").content.decode()
    assert "New membership" in page and 'name="credits"' not in page and 'name="notice_days"' in page
    response = client.post(
        "/dashboard/plans/new/?kind=membership", {**MEMBERSHIP_POST, "services": [studio["yoga"].pk]}
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.kind, plan.sessions_per_period, plan.notice_days, plan.price) == (
        "membership",
        None,
        14,
        Decimal("89.00"),
    )


def test_editing_keeps_a_membership_a_membership(client, olivia, unlimited, studio):
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/plans/{unlimited.pk}/",
        {**MEMBERSHIP_POST, "sessions_per_period": "3", "period": "month", "services": [studio["yoga"].pk]},
    )
    assert response.status_code == 302
    unlimited.refresh_from_db()
    assert (unlimited.kind, unlimited.sessions_per_period, unlimited.period) == ("membership", 3, "month")


@pytest.mark.parametrize(
    "bad",
    [
        {"sessions_per_period": "0"},
        {"sessions_per_period": "-3"},
        {"sessions_per_period": "99999999999999999999"},
        {"sessions_per_period": "two"},
        {"period": "fortnight"},
        {"notice_days": "-1"},
        {"notice_days": "400"},
        {"notice_days": "\x00"},
        {"price": "-1"},
        {"price": "1e400"},
        {"currency": "€€€"},
        {"name": ""},
        {"name": "x" * 500},
    ],
)
def test_bad_membership_input_is_a_400_and_saves_nothing(client, olivia, studio, bad):
    client.force_login(olivia)
    response = client.post(
        "/dashboard/plans/new/?kind=membership", {**MEMBERSHIP_POST, "services": [studio["yoga"].pk], **bad}
    )
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode() or "field-error" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_plans_list_with_memberships_costs_the_same_queries(
    client, olivia, studio, rows, django_assert_num_queries
):
    for number in range(rows):
        membership_plan([studio["yoga"]], name=f"Member {number}", sessions_per_period=number % 3 or None)
    client.force_login(olivia)
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard:plans"), {"q": "member"})
    assert len(re.findall(r'href="/dashboard/plans/\d+/"', response.content.decode())) == min(rows, 25)
    assert "Membership, renewed monthly" in response.content.decode()


def test_the_owner_sells_a_membership_renewed_by_a_test_card(client, olivia, unlimited, alice):
    client.force_login(olivia)
    response = client.post(
        plans_page(alice), {"plan": unlimited.pk, "source": "sold", "renewal": "test_declines"}
    )
    assert response.status_code == 302
    membership = ClientPlan.objects.get()
    assert (membership.billing, membership.provider, membership.test_card) == ("provider", "test", "declines")
    page = client.get(plans_page(alice)).content.decode()
    assert "Declines renewals" in page and "Next renewal" in page


def test_a_forged_renewal_choice_is_refused(client, olivia, unlimited, alice):
    client.force_login(olivia)
    response = client.post(plans_page(alice), {"plan": unlimited.pk, "source": "sold", "renewal": "free"})
    assert response.status_code == 400 and not ClientPlan.objects.exists()


@pytest.mark.parametrize("memberships", [1, 8])
def test_the_clients_plans_page_costs_the_same_queries_for_1_and_8_memberships(
    client, olivia, unlimited, alice, started, memberships, django_assert_num_queries
):
    for _ in range(memberships):
        held = member(unlimited, alice, now=started)
        freeze_membership(
            membership=held,
            starts_at=started + timedelta(days=3),
            ends_at=started + timedelta(days=5),
            now=started,
        )
    client.force_login(olivia)
    with django_assert_num_queries(12):  # with the kinds of plan there are to give (one form each)
        page = client.get(plans_page(alice)).content.decode()
    assert page.count('class="card membership"') == memberships


def test_the_owner_extends_freezes_records_a_desk_renewal_and_cancels(
    client, olivia, unlimited, alice, next_week
):
    membership = give_plan(plan=unlimited, client=alice)
    end = membership.period_end
    client.force_login(olivia)
    prefix = f"m{membership.pk}"

    assert client.post(action(membership, "extend"), {f"{prefix}-extend-days": "5"}).status_code == 302
    freeze = {
        f"{prefix}-freeze-starts_on": next_week[0].isoformat(),
        f"{prefix}-freeze-ends_on": next_week[1].isoformat(),
    }
    assert client.post(action(membership, "freeze"), freeze).status_code == 302
    membership.refresh_from_db()
    assert membership.period_end == end + timedelta(days=7)
    assert client.post(action(membership, "renew"), {f"{prefix}-renew-amount": ""}).status_code == 302
    assert MembershipRenewal.objects.get().amount == Decimal("89.00")
    assert client.post(action(membership, "cancel"), {f"{prefix}-cancel-when": "now"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED
    page = client.get(plans_page(alice)).content.decode()
    assert "Paid at the desk" in page and "Cancelled" in page


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("extend", {"days": "0"}),
        ("extend", {"days": "367"}),
        ("extend", {"days": "ten"}),
        ("extend", {}),
        ("freeze", {"starts_on": "2026-02-30", "ends_on": "2026-03-01"}),
        ("freeze", {"starts_on": "tomorrow", "ends_on": ""}),
        ("freeze", {"starts_on": "9999-01-01", "ends_on": "9999-01-02"}),
        ("freeze", {"starts_on": "1990-01-01", "ends_on": "1990-01-02"}),
        ("cancel", {"when": "yesterday"}),
        ("renew", {"amount": "-5"}),
        ("renew", {"amount": "1e400"}),
        ("renew", {"amount": "x" * 300}),
    ],
)
def test_bad_membership_actions_are_a_400_next_to_the_field_and_change_nothing(
    client, olivia, unlimited, alice, name, data
):
    membership = give_plan(plan=unlimited, client=alice)
    before = ClientPlan.objects.values().get(pk=membership.pk)
    client.force_login(olivia)
    response = client.post(
        action(membership, name), {f"m{membership.pk}-{name}-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert ClientPlan.objects.values().get(pk=membership.pk) == before
    assert not MembershipRenewal.objects.exists()


def test_a_freeze_that_ends_before_it_starts_says_so(client, olivia, unlimited, alice, next_week):
    membership = give_plan(plan=unlimited, client=alice)
    client.force_login(olivia)
    data = {
        f"m{membership.pk}-freeze-starts_on": next_week[3].isoformat(),
        f"m{membership.pk}-freeze-ends_on": next_week[1].isoformat(),
    }
    response = client.post(action(membership, "freeze"), data)
    assert response.status_code == 400 and "The freeze must end after it starts." in response.content.decode()


def test_unknown_actions_and_other_clients_memberships_are_not_found(client, olivia, unlimited, alice):
    membership = give_plan(plan=unlimited, client=alice)
    bob = f.client("Bob")
    client.force_login(olivia)
    assert client.post(action(membership, "delete")).status_code == 404
    assert (
        client.post(
            reverse("dashboard:membership_action", args=[bob.pk, membership.pk, "extend"])
        ).status_code
        == 404
    )


def test_staff_may_not_act_on_memberships(client, sam, unlimited, alice):
    membership = give_plan(plan=unlimited, client=alice)
    client.force_login(sam)
    assert client.post(
        action(membership, "cancel"), {f"m{membership.pk}-cancel-when": "now"}
    ).status_code in (302, 403)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_the_booking_form_offers_the_membership_and_books_without_paying(
    client, alices_membership, alice, yoga_next_week
):
    client.force_login(user_for_client(alice))
    url = f"/s/yoga/sessions/{yoga_next_week[0].pk}/book/"
    assert "Use my membership “Unlimited”" in client.get(url).content.decode()
    response = client.post(url, {**FORM, "use_plan": str(alices_membership.pk)})
    assert response.status_code == 303
    assert Booking.objects.get().plan_credit.client_plan == alices_membership


def test_a_frozen_day_is_refused_on_the_form_with_the_reason(
    client, alices_membership, alice, yoga_next_week, next_week
):
    client.force_login(user_for_client(alice))
    url = f"/s/yoga/sessions/{yoga_next_week[0].pk}/book/"
    client.get(url)
    freeze_membership(
        membership=alices_membership,
        starts_at=f.local(next_week[0], "00:00"),
        ends_at=f.local(next_week[1], "00:00"),
        now=timezone.now(),
    )
    response = client.post(url, {**FORM, "use_plan": str(alices_membership.pk)})
    assert response.status_code == 409
    assert not Booking.objects.exists()


def test_my_bookings_shows_the_membership_and_cancels_it_with_notice(client, unlimited, alice, started):
    unlimited.notice_days = 45
    unlimited.save()
    membership = member(unlimited, alice, now=started)
    client.force_login(user_for_client(alice))
    page = client.get("/my/").content.decode()
    assert "Next renewal" in page and "Cancel my membership" in page and "Active" in page
    response = client.post(reverse("my_membership_cancel", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLING
    assert membership.cancel_at > started + timedelta(days=45)
    page = client.get("/my/").content.decode()
    assert "Cancelling at period end" in page and "Cancel my membership" not in page


def test_a_client_cannot_cancel_someone_elses_membership(client, alices_membership):
    bob = f.client("Bob", email="bob@client.test")
    client.force_login(user_for_client(bob))
    assert client.post(reverse("my_membership_cancel", args=[alices_membership.pk])).status_code == 404
    client.logout()
    assert client.post(reverse("my_membership_cancel", args=[alices_membership.pk])).status_code == 302
    alices_membership.refresh_from_db()
    assert alices_membership.status == MembershipStatus.ACTIVE


def test_my_bookings_tells_a_freezes_first_and_last_day(client, alices_membership, alice, next_week):
    freeze_membership(
        membership=alices_membership,
        starts_at=f.local(next_week[0], "00:00"),
        ends_at=f.local(next_week[2], "00:00"),
        now=timezone.now(),
    )
    client.force_login(user_for_client(alice))
    page = client.get("/my/", headers={"Accept-Language": "en"}).content.decode()
    first, last = (date_format(day, "DATE_FORMAT") for day in (next_week[0], next_week[1]))
    assert f"Frozen from {first} to {last}: no bookings then." in page
