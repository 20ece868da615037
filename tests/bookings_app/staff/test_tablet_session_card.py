"""A session card's address answers htmx with the card, and a person who opens it (typed, or by
the back button) with that card on its day's page, never a bare fragment."""

import pytest
from django.utils import timezone

from bookings_app.models import ServiceKind
from bookings_app.web.roles import STAFF
from tests import factories
from tests.factories import make_person


@pytest.fixture
def yoga(sam):
    business = factories.business()
    member = factories.staff_member("Sam")
    member.user = sam
    member.save()
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[member], capacity=10)
    day = timezone.localdate(timezone=business.tz)
    return factories.session(yoga, member, factories.local(day, "18:00"))


def test_it_answers_htmx_with_the_card_alone(client, sam, yoga):
    client.force_login(sam)
    response = client.get(f"/staff/sessions/{yoga.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<article class="session-card')
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}],
    ids=["typed", "back-button"],
)
def test_it_opens_the_day_page_at_the_card(client, sam, yoga, headers):
    client.force_login(sam)
    response = client.get(f"/staff/sessions/{yoga.pk}/", headers=headers)
    assert response.status_code == 302
    day = timezone.localdate(yoga.start, timezone=factories.business().tz)
    assert response["Location"] == f"/staff/?date={day.isoformat()}#session-{yoga.pk}"
    page = client.get(response["Location"]).content.decode()
    assert page.lstrip().startswith("<!doctype html>") and f'id="session-{yoga.pk}"' in page


def test_it_hides_another_staff_members_session(client, yoga, db):
    client.force_login(make_person("tom@studio.test", "Tom", STAFF))
    assert client.get(f"/staff/sessions/{yoga.pk}/").status_code == 404
