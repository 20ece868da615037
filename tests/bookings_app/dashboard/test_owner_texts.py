"""The owner writes a service's texts and booking questions per language; clients read their own,
or the default where the owner left a language empty."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking
from tests import factories

MONDAY = factories.next_weekday(0, after=timezone.localdate() + timedelta(days=2))


@pytest.fixture
def massage(db):
    factories.business(time_zone="Europe/Paris")
    nina = factories.staff_member("Nina")
    return factories.service("Massage", staff=[nina], description="Sixty minutes of calm.")


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def test_the_owner_gives_the_service_a_hebrew_name_and_description(owner_client, massage):
    url = reverse("dashboard:service", args=[massage.pk]) + "?tab=details"
    response = owner_client.post(
        url,
        {
            "name": "Massage",
            "slug": "massage",
            "description": "Sixty minutes of calm.",
            "duration_minutes": 60,
            "price": "50",
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "is_online": "on",
            "staff": [massage.staff.get().pk],
            "name_he": "עיסוי",
            "description_he": "שישים דקות של רוגע.",
        },
    )
    assert response.status_code == 302

    hebrew = owner_client.get(massage.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="he").content.decode()
    french = owner_client.get(massage.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "<h1>עיסוי</h1>" in hebrew and "שישים דקות של רוגע." in hebrew
    assert "<h1>Massage</h1>" in french and "Sixty minutes of calm." in french


def test_the_dashboard_shows_the_saved_translations_again(owner_client, massage):
    massage.translations = {"he": {"name": "עיסוי"}}
    massage.save()

    page = owner_client.get(reverse("dashboard:service", args=[massage.pk]) + "?tab=details").content.decode()

    assert 'name="name_he"' in page and 'value="עיסוי"' in page


def test_the_owner_words_a_question_in_hebrew_and_answers_stay_in_the_default(owner_client, client, massage):
    pressure = factories.question(massage, "Pressure", kind="choice", choices="Soft\nFirm")
    url = reverse("dashboard:service", args=[massage.pk]) + "?tab=questions"
    response = owner_client.post(
        url,
        {
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 1,
            "questions-0-question_id": pressure.pk,
            "questions-0-label": "Pressure",
            "questions-0-kind": "choice",
            "questions-0-choices": "Soft\nFirm",
            "questions-0-ORDER": 1,
            "questions-0-label_he": "לחץ",
            "questions-0-choices_he": "רך\nחזק",
        },
    )
    assert response.status_code == 302
    owner_client.logout()
    start = factories.local(MONDAY, "10:00").isoformat().replace("+", "%2B")
    book_url = f"/s/{massage.slug}/book/?start={start}"

    form = client.get(book_url, HTTP_ACCEPT_LANGUAGE="he").context["form"]
    field = form.fields[f"question_{pressure.pk}"]
    assert field.label == "לחץ"
    assert list(field.choices)[1:] == [("Soft", "רך"), ("Firm", "חזק")]

    client.post(
        book_url,
        {
            "first_name": "Noam",
            "last_name": "Levi",
            "email": "noam@client.test",
            "phone": "",
            "request_key": "c" * 32,
            f"question_{pressure.pk}": "Firm",
        },
        HTTP_ACCEPT_LANGUAGE="he",
    )
    assert Booking.objects.get().answers == {"Pressure": "Firm"}


def test_a_translation_with_other_choices_falls_back_to_the_default(client, massage):
    pressure = factories.question(massage, "Pressure", kind="choice", choices="Soft\nMedium\nFirm")
    pressure.translations = {"he": {"choices": "רך\nחזק"}}
    pressure.save()
    start = factories.local(MONDAY, "10:00").isoformat().replace("+", "%2B")

    form = client.get(f"/s/{massage.slug}/book/?start={start}", HTTP_ACCEPT_LANGUAGE="he").context["form"]

    assert list(form.fields[f"question_{pressure.pk}"].choices)[1:] == [
        ("Soft", "Soft"),
        ("Medium", "Medium"),
        ("Firm", "Firm"),
    ]


def test_the_owner_is_told_when_translated_choices_do_not_match(owner_client, massage):
    pressure = factories.question(massage, "Pressure", kind="choice", choices="Soft\nFirm")
    url = reverse("dashboard:service", args=[massage.pk]) + "?tab=questions"

    response = owner_client.post(
        url,
        {
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 1,
            "questions-0-question_id": pressure.pk,
            "questions-0-label": "Pressure",
            "questions-0-kind": "choice",
            "questions-0-choices": "Soft\nFirm",
            "questions-0-ORDER": 1,
            "questions-0-choices_he": "רך",
        },
    )

    assert response.status_code == 400
    assert "Give as many choices as above" in response.content.decode()
    pressure.refresh_from_db()
    assert pressure.translations == {}
