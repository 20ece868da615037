"""Other apps add sidebar and header links through bookings_app.plug_ins.nav, unknown to bookings_app."""

import pytest
from django.urls import reverse

from bookings_app.plug_ins import nav


@pytest.fixture
def extra_entries():
    nav.register_dashboard_entry("extra", "Extra page", "dashboard:bookings", order=1)
    nav.register_dashboard_entry("hidden", "Hidden page", "dashboard:bookings", visible=lambda request: False)
    nav.register_client_entry("mine", "My extra", "my_bookings")
    yield
    for registry in (nav._dashboard, nav._client):
        for key in ("extra", "hidden", "mine"):
            registry.pop(key, None)


def test_a_registered_entry_shows_in_the_owners_sidebar(client, olivia, extra_entries):
    client.force_login(olivia)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Extra page" in page
    assert "Hidden page" not in page


def test_owner_only_entries_stay_hidden_from_staff(client, sam, extra_entries):
    client.force_login(sam)
    page = client.get(reverse("dashboard:calendar")).content.decode()
    assert "Extra page" not in page


def test_a_signed_in_client_sees_registered_header_links(client, carla, extra_entries):
    client.force_login(carla)
    page = client.get(reverse("public:home")).content.decode()
    assert "My extra" in page
