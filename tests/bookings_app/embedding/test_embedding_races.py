"""Real threads against the database: a crowd booking one slot through the frame with no cookie
gets it exactly once, and the owner's embedding and business settings saved at once both stay."""

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client

from bookings_app.forms.embedding import EmbeddingForm
from bookings_app.forms.settings import BusinessSettingsForm
from bookings_app.models import Booking, Business
from bookings_app.services.settings import update_business_settings
from bookings_app.web.embedding import FORM_TOKEN_FIELD
from tests import factories as f
from tests.support.races import CROWD, race

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))


@pytest.mark.django_db(transaction=True)
def test_a_crowd_booking_one_slot_through_the_frame_gets_it_once():
    f.business()
    massage = f.service("Massage", staff=[f.staff_member("Nina")])
    url = f"/embed/s/{massage.slug}/book/?" + urlencode({"start": f.local(MONDAY, "10:00").isoformat()})

    def open_form(i: int) -> tuple[Client, dict]:
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(url).content.decode()
        token = re.search(rf'name="{FORM_TOKEN_FIELD}" value="([^"]+)"', page).group(1)
        browser.cookies.clear()
        details = {"first_name": "Racer", "last_name": str(i), "email": f"racer{i}@client.test"}
        return browser, {**details, "request_key": f"{i:032d}", FORM_TOKEN_FIELD: token}

    statuses = race(lambda ready: ready[0].post(url, ready[1]).status_code, range(CROWD), get_ready=open_form)

    assert statuses.count(303) == 1
    assert set(statuses) - {303} == {409}
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_embedding_and_business_settings_saved_at_once_both_stay():
    f.business()
    business = Business.current()
    settings_form = BusinessSettingsForm(instance=business)
    business_fields = {name: settings_form.initial[name] for name in settings_form.fields}
    business_fields["name"] = "Studio Lumière"
    origins = EmbeddingForm({"origins": "https://studio.example"})
    assert origins.is_valid()

    saves = [
        lambda: update_business_settings(business=business, **business_fields),
        lambda: update_business_settings(business=business, embed_origins=origins.cleaned_data["origins"]),
    ] * (CROWD // 2)
    race(lambda save: save(), saves)

    business = Business.current()
    assert business.name == "Studio Lumière"
    assert business.embed_origins == ["https://studio.example"]
