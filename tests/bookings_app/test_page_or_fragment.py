"""Every page that htmx updates in part answers the same way (``bookings_app.web.pages``): an htmx
request gets the fragment it swaps in, while a history-restore request (the back button, once
htmx has lost its snapshot) and a plain request get the whole page; the answer varies on
``HX-Request`` so that no cache serves one for the other."""

import pytest
from django.urls import reverse
from django.utils import timezone

from automations.services import create_automation
from bookings_app.models import BookingStatus, ServiceKind
from loyalty.models import Program
from tests import factories

HTMX = {"HX-Request": "true"}
BACK_BUTTON = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def studio(olivia):
    """A business with one staff member, a client, a booking, a request and an automation."""
    business = factories.business()
    nina = factories.staff_member("Nina")
    nina.user = olivia
    nina.save()
    massage = factories.service("Massage", staff=[nina])
    day = factories.next_weekday(1, after=timezone.localdate(timezone=business.tz))
    alice = factories.client("Alice")
    booking = factories.booking(factories.session(massage, nina, factories.local(day, "10:00")), alice)
    asked = factories.booking(
        factories.session(massage, nina, factories.local(day, "14:00")),
        factories.client("Bea"),
        status=BookingStatus.REQUESTED,
    )
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=8)
    class_session = factories.session(yoga, nina, factories.local(day, "18:00"))
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    automation = create_automation(
        name="Thank you",
        trigger="client_books",
        actions=[{"kind": "email_client", "settings": {"subject": "Hi", "body": "Thanks."}}],
    )
    return {
        "client": alice.pk,
        "booking": booking.pk,
        "request": asked.pk,
        "automation": automation.pk,
        "service": massage.pk,
        "session": class_session.pk,
    }


PAGES = {
    "clients list": ("dashboard:clients", None),
    "one client": ("dashboard:client", "client"),
    "bookings list": ("dashboard:bookings", None),
    "one booking": ("dashboard:booking", "booking"),
    "booking reschedule": ("dashboard:booking_reschedule", "booking"),
    "sent e-mails": ("dashboard:emails", None),
    "services list": ("dashboard:services", None),
    "service tabs": ("dashboard:service", "service"),
    "staff list": ("dashboard:staff_list", None),
    "requests inbox": ("dashboard:requests", None),
    "request panel": ("dashboard:request_decline", "request"),
    "calendar": ("dashboard:calendar", None),
    "calendar side panel": ("dashboard:calendar_session", "session"),
    "staff tablet day": ("staff:today", None),
    "points report": ("loyalty_dashboard:report", None),
    "points adjustment": ("loyalty_dashboard:adjust", None),
    "client points history": ("loyalty_dashboard:client_history", "client"),
    "gift cards": ("loyalty_dashboard:gift_cards", None),
    "gift card products": ("loyalty_dashboard:products", None),
    "automations list": ("automations_dashboard:list", None),
    "automation runs": ("automations_dashboard:summary", "automation"),
    "automation gallery": ("automations_dashboard:new", None),
    "automation builder": ("automations_dashboard:edit", "automation"),
    "automation rename": ("automations_dashboard:rename", "automation"),
    "team tasks": ("automations_tasks:list", None),
}


def _url(page: str, studio: dict) -> str:
    name, pk = PAGES[page]
    return reverse(name, args=[studio[pk]] if pk else [])


def _is_whole_page(response) -> bool:
    return response.content.decode().lstrip().lower().startswith("<!doctype html>")


@pytest.mark.parametrize("page", PAGES)
def test_htmx_gets_the_fragment(client, olivia, studio, page):
    client.force_login(olivia)
    response = client.get(_url(page, studio), headers=HTMX)

    assert response.status_code == 200
    assert not _is_whole_page(response)
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("page", PAGES)
def test_the_back_button_gets_the_whole_page(client, olivia, studio, page):
    client.force_login(olivia)
    response = client.get(_url(page, studio), headers=BACK_BUTTON)

    assert response.status_code == 200
    assert _is_whole_page(response)
    assert "HX-Request" in response["Vary"]


def test_the_htmx_config_is_given_once_by_the_base_layout(client, olivia, studio):
    client.force_login(olivia)
    for page in ("calendar", "one client", "staff tablet day", "points report"):
        assert client.get(_url(page, studio)).content.decode().count('name="htmx-config"') == 1
