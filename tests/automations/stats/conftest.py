"""An automation e-mail to Alice with one link, queued by the real action and sent by the real task."""

import pytest

from automations.models import AutomationMessage
from bookings_app.mail.delivery import send_email_now
from bookings_app.models import OutgoingEmail
from tests.automations.builders import SCHEDULE_URL, automation, book, email_client


@pytest.fixture
def welcome(massage):
    return automation(
        "client_books",
        name="Welcome",
        actions=[
            email_client("Welcome {client_first_name}", f"See the schedule: {SCHEDULE_URL}\nSee you soon."),
        ],
    )


@pytest.fixture
def alices_message(worker, welcome, massage, alice) -> AutomationMessage:
    """Alice booked, the automation ran and her e-mail was sent (to the file backend)."""
    book(massage)
    worker.deliver()
    email = OutgoingEmail.objects.get(kind="automation")
    send_email_now(email_id=email.pk)
    return AutomationMessage.objects.select_related("email").get(email=email)
