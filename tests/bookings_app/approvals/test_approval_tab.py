"""The service edit page's Approval tab and ``services.catalog_approval.save_approval_settings``."""

import pytest

from bookings_app.models import Business, Service, ServiceKind
from bookings_app.services.catalog import CatalogError
from bookings_app.services.catalog_approval import save_approval_settings
from tests import factories as f

pytestmark = pytest.mark.django_db

SETTINGS = {
    "requires_approval": True,
    "shared_requests": True,
    "approval_notice_hours": 48,
    "decline_overlapping_requests": True,
    "overlap_decline_message": "  That hour is taken.  ",
    "request_reminder_hours": 6,
}


def _tab_url(service: Service) -> str:
    return f"/dashboard/services/{service.pk}/?tab=approval"


@pytest.fixture
def therapy():
    f.business()
    return f.service("Therapy", staff=[f.staff_member("Nina")])


def test_it_saves_the_switches_and_the_business_reminder_together(therapy):
    save_approval_settings(service=therapy, **SETTINGS)
    therapy.refresh_from_db()
    switches = (therapy.requires_approval, therapy.shared_requests, therapy.approval_notice_hours)
    assert switches == (True, True, 48)
    assert therapy.decline_overlapping_requests and therapy.overlap_decline_message == "That hour is taken."
    assert Business.current().request_reminder_hours == 6


@pytest.mark.parametrize("kind", [ServiceKind.CLASS, ServiceKind.COURSE])
def test_it_refuses_approval_on_a_class_or_course_with_the_constraints_message(kind):
    f.business(request_reminder_hours=24)
    group = f.service("Yoga", kind=kind, capacity=10)
    with pytest.raises(CatalogError, match="appointments only, not classes or courses"):
        save_approval_settings(service=group, **SETTINGS)
    group.refresh_from_db()
    assert not group.requires_approval and not group.shared_requests
    assert Business.current().request_reminder_hours == 24


def test_it_lets_a_class_keep_approval_off(db):
    f.business()
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, capacity=10)
    save_approval_settings(service=yoga, **{**SETTINGS, "requires_approval": False})
    assert Business.current().request_reminder_hours == 6


def test_it_shows_the_tab_with_plain_explanations_on_an_appointment(client, olivia, therapy):
    client.force_login(olivia)
    response = client.get(_tab_url(therapy))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Manually approve or decline booking requests" in page
    assert "Several clients may request the same slot" in page
    assert "the first request holds the time, exactly like a confirmed booking" in page
    assert "Remind me of unanswered requests after (hours)" in page


def test_it_saves_the_tab_on_an_appointment(client, olivia, therapy):
    client.force_login(olivia)
    response = client.post(
        _tab_url(therapy),
        {
            "requires_approval": "on",
            "approval_notice_hours": "12",
            "overlap_decline_message": "",
            "request_reminder_hours": "0",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?tab=approval")
    therapy.refresh_from_db()
    assert therapy.requires_approval and not therapy.shared_requests and therapy.approval_notice_hours == 12
    assert Business.current().request_reminder_hours == 0


def test_it_shows_errors_next_to_the_fields_with_400(client, olivia, therapy):
    client.force_login(olivia)
    response = client.post(
        _tab_url(therapy),
        {"requires_approval": "on", "approval_notice_hours": "0", "request_reminder_hours": "-3"},
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="field-error"') == 2
    therapy.refresh_from_db()
    assert not therapy.requires_approval


def test_it_offers_no_approval_tab_on_a_class(client, olivia):
    f.business()
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, capacity=10)
    client.force_login(olivia)
    response = client.get(f"/dashboard/services/{yoga.pk}/")
    assert response.status_code == 200
    assert "?tab=approval" not in response.content.decode()


@pytest.mark.parametrize("who, status", [(None, 302), ("carla", 403), ("sam", 403), ("olivia", 200)])
def test_it_lets_only_the_owner_open_the_tab(client, therapy, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(_tab_url(therapy))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/dashboard/login/")
