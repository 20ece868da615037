"""The owner switches booking e-mails off or words them; the text reaches nothing else."""

import pytest
from django.core.exceptions import ValidationError

from bookings_app.display.email_wording import render_wording, validate_wording
from bookings_app.models import BookingEmailSetting, OutgoingEmail
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from tests import factories as f

ALICE = ClientDetails(email="alice@client.test", first_name="Alice")


@pytest.fixture
def massage(db):
    f.business()
    nina = f.staff_member("Nina")
    return f.service("Massage", staff=[nina])


def _book(service):
    return book_appointment(service=service, start=f.local(f.next_weekday(0), "10:00"), details=ALICE)


def _form(**overrides) -> dict:
    """The form as the page renders it: one part per booking e-mail."""
    settings = list(BookingEmailSetting.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(settings)),
        "form-INITIAL_FORMS": str(len(settings)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, setting in enumerate(settings):
        data |= {
            f"form-{index}-id": str(setting.pk),
            f"form-{index}-is_enabled": "on",
            f"form-{index}-subject": "",
            f"form-{index}-intro": "",
        }
    return data | overrides


def test_a_switched_off_confirmation_is_not_sent(client, olivia, massage):
    client.force_login(olivia)
    client.get("/dashboard/settings/e-mails/")
    confirmation = BookingEmailSetting.objects.get(kind="confirmation")
    index = list(BookingEmailSetting.objects.order_by("pk")).index(confirmation)
    data = _form()
    del data[f"form-{index}-is_enabled"]
    assert client.post("/dashboard/settings/e-mails/", data).status_code == 302
    _book(massage)
    assert not OutgoingEmail.objects.filter(kind="confirmation").exists()


def test_the_owners_subject_and_intro_are_used_with_their_variables(client, olivia, massage, as_sent):
    client.force_login(olivia)
    client.get("/dashboard/settings/e-mails/")
    index = [s.kind for s in BookingEmailSetting.objects.order_by("pk")].index("confirmation")
    response = client.post(
        "/dashboard/settings/e-mails/",
        _form(
            **{
                f"form-{index}-subject": "See you soon, {client_first_name}!",
                f"form-{index}-intro": "Bring comfortable clothes for your {service_name}.",
            }
        ),
    )
    assert response.status_code == 302
    email = as_sent(OutgoingEmail.objects.get(booking=_book(massage), kind="confirmation"))
    assert email.subject == "See you soon, Alice!"
    assert "Bring comfortable clothes for your Massage." in email.body_text


def test_an_unknown_variable_is_refused_next_to_its_field(client, olivia, massage):
    client.force_login(olivia)
    client.get("/dashboard/settings/e-mails/")
    response = client.post(
        "/dashboard/settings/e-mails/", _form(**{"form-0-subject": "Hi {settings.SECRET_KEY}"})
    )
    assert response.status_code == 400
    assert "Unknown variable" in response.content.decode()
    assert not BookingEmailSetting.objects.exclude(subject="").exists()


def test_the_wording_reaches_only_its_variables():
    assert (
        render_wording("{client_first_name} {0} {__class__}", {"client_first_name": "Alice"})
        == "Alice {0} {__class__}"
    )
    with pytest.raises(ValidationError):
        validate_wording("{client_first_name.__class__}")
    with pytest.raises(ValidationError):
        validate_wording("a lone { brace")


def test_staff_cannot_change_the_emails(client, sam):
    client.force_login(sam)
    assert client.get("/dashboard/settings/e-mails/").status_code == 403


@pytest.mark.parametrize("language", ["en", "fr", "he"])
def test_every_email_has_a_human_title(client, olivia, massage, language):
    from bookings_app.forms.email_settings import WORDED_EMAIL_KINDS

    client.force_login(olivia)
    response = client.get("/dashboard/settings/e-mails/", headers={"Accept-Language": language})

    legends = [label for label, _form in response.context["rows"]]
    assert len(legends) == len(WORDED_EMAIL_KINDS)
    assert not any(str(label) in WORDED_EMAIL_KINDS for label in legends)


def test_the_owner_words_the_earlier_time_email_on_the_same_page(client, olivia, massage):
    from datetime import timedelta

    from django.utils import timezone

    from bookings_app.services.changes import cancel_booking
    from bookings_app.services.earlier_time_moves import ask_for_earlier_time

    client.force_login(olivia)
    page = client.get("/dashboard/settings/e-mails/").content.decode()
    assert "An earlier time offered" in page and "Waitlist: a seat offered" in page
    index = [s.kind for s in BookingEmailSetting.objects.order_by("pk")].index("earlier_time")
    response = client.post(
        "/dashboard/settings/e-mails/",
        _form(**{f"form-{index}-subject": "{client_first_name}, {staff_name} is free earlier"}),
    )
    assert response.status_code == 302
    monday = f.next_weekday(0, after=timezone.localdate() + timedelta(days=3))
    bo = ClientDetails(email="bo@x.test", first_name="Bo")
    early = book_appointment(service=massage, start=f.local(monday, "10:00"), details=ALICE)
    late = book_appointment(service=massage, start=f.local(monday, "15:00"), details=bo)
    ask_for_earlier_time(booking=late)
    cancel_booking(booking=early, by_client=False)
    assert OutgoingEmail.objects.get(kind="earlier_time").subject == "Bo, Nina is free earlier"


def test_the_owner_switches_the_waitlist_offer_off_on_the_page(client, olivia, massage):
    client.force_login(olivia)
    client.get("/dashboard/settings/e-mails/")
    index = [s.kind for s in BookingEmailSetting.objects.order_by("pk")].index("waitlist_offer")
    data = _form()
    del data[f"form-{index}-is_enabled"]
    assert client.post("/dashboard/settings/e-mails/", data).status_code == 302
    assert not BookingEmailSetting.objects.get(kind="waitlist_offer").is_enabled
