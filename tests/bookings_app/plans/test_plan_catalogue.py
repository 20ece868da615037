"""The owner's plans: what a pack may hold, archiving, giving and selling one at the desk."""

from decimal import Decimal

import pytest

from bookings_app.models import ClientPlanSource, ServiceKind
from bookings_app.services.catalog import CatalogError
from bookings_app.services.catalog_approval import save_approval_settings
from bookings_app.services.plans import PlanError, give_plan, save_plan, set_plan_archived
from tests import factories as f

PACK = {
    "name": "Intro",
    "description": "",
    "credits": 3,
    "valid_days": 30,
    "valid_from": "purchase",
    "price": Decimal("30.00"),
    "currency": "eur",
    "one_per_client": True,
    "no_show_forfeits": True,
}


def approval(service, requires: bool):
    return save_approval_settings(
        service=service,
        requires_approval=requires,
        shared_requests=False,
        approval_notice_hours=None,
        decline_overlapping_requests=False,
        overlap_decline_message="",
        request_reminder_hours=24,
    )


def test_it_saves_a_pack_with_its_services_and_an_upper_case_currency(studio):
    plan = save_plan(services=[studio["yoga"], studio["massage"]], **PACK)
    assert plan.kind == "pack"
    assert plan.currency == "EUR"
    assert set(plan.services.all()) == {studio["yoga"], studio["massage"]}


def test_it_refuses_a_pack_without_services(studio):
    with pytest.raises(PlanError, match="at least one service"):
        save_plan(services=[], **PACK)


def test_it_refuses_a_course_in_a_pack(studio):
    course = f.service("Teacher training", kind=ServiceKind.COURSE, capacity=10)
    with pytest.raises(PlanError, match="not courses"):
        save_plan(services=[course], **PACK)


def test_it_refuses_a_service_that_needs_approval_in_a_pack(studio):
    approval(studio["massage"], True)
    with pytest.raises(PlanError, match="need your approval"):
        save_plan(services=[studio["massage"]], **PACK)


def test_it_refuses_approval_for_a_service_connected_to_a_plan(studio):
    save_plan(services=[studio["massage"]], **PACK)
    with pytest.raises(CatalogError, match="connected to a plan"):
        approval(studio["massage"], True)
    studio["massage"].refresh_from_db()
    assert studio["massage"].requires_approval is False


def test_it_sells_a_pack_at_its_price_valid_from_the_purchase(ten_classes, alice):
    pack = give_plan(plan=ten_classes, client=alice)
    assert (pack.credits_total, pack.credits_left, pack.price_paid, pack.currency) == (
        10,
        10,
        Decimal("150.00"),
        "EUR",
    )
    assert pack.valid_until is not None
    assert (pack.valid_until - pack.created_at).days == 90


def test_it_gives_a_pack_for_nothing(ten_classes, alice):
    pack = give_plan(plan=ten_classes, client=alice, source=ClientPlanSource.GIVEN, price_paid=Decimal("99"))
    assert pack.price_paid == 0


def test_a_pack_valid_from_first_use_has_no_end_until_used(studio, alice):
    plan = save_plan(services=[studio["yoga"]], **{**PACK, "valid_from": "first_use"})
    assert give_plan(plan=plan, client=alice).valid_until is None


def test_it_gives_a_one_per_client_offer_once(studio, alice):
    plan = save_plan(services=[studio["yoga"]], **PACK)
    give_plan(plan=plan, client=alice)
    with pytest.raises(PlanError, match="one per client"):
        give_plan(plan=plan, client=alice)
    give_plan(plan=plan, client=f.client("Bob"))


def test_an_archived_plan_is_no_longer_given_but_its_packs_remain(ten_classes, alice, alices_pack):
    set_plan_archived(plan=ten_classes, archived=True)
    with pytest.raises(PlanError, match="archived"):
        give_plan(plan=ten_classes, client=alice)
    alices_pack.refresh_from_db()
    assert alices_pack.credits_left == 10
    set_plan_archived(plan=ten_classes, archived=False)
    give_plan(plan=ten_classes, client=alice)
