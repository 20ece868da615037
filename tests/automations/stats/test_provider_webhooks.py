"""Delivered, bounced and spam reports from the e-mail provider (Postmark's format) through
django-anymail's tracking webhook, and the provider's id stored when sending through it."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings
from django.urls import reverse

from automations.models import AutomationMessage, MessageEvent, Tracking
from bookings_app.mail.delivery import send_email_now
from bookings_app.models import OutgoingEmail

from ..builders import book

pytestmark = pytest.mark.urls("tests.automations.urls")

SECRET = "postmark:kept-between-us"
WEBHOOK = override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})


def delivery(message_id: str, **more) -> dict:
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": message_id,
        "Recipient": "alice@client.test",
        "Tag": "",
        "DeliveredAt": "2026-11-05T16:33:54.907Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": {},
        **more,
    }


def bounce(message_id: str, kind: str = "HardBounce") -> dict:
    return {
        "RecordType": "Bounce",
        "ID": 4323372036,
        "Type": kind,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "MessageStream": "outbound",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1",
        "Email": "alice@client.test",
        "From": "studio@rendez.test",
        "BouncedAt": "2026-11-05T16:40:00Z",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Welcome Alice",
    }


def complaint(message_id: str) -> dict:
    return {
        **bounce(message_id, "SpamComplaint"),
        "RecordType": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
    }


def post(client, payload: dict, *, credentials: str | None = SECRET):
    basic = "Basic " + base64.b64encode(credentials.encode()).decode() if credentials else ""
    headers = {"HTTP_AUTHORIZATION": basic} if basic else {}
    return client.post(
        reverse("anymail:postmark_tracking_webhook"),
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def states(message: AutomationMessage) -> dict[str, int]:
    return dict(MessageEvent.objects.filter(message=message).values_list("kind", "count"))


@WEBHOOK
def test_a_delivery_report_marks_the_message_delivered(client, alices_message):
    response = post(client, delivery(alices_message.email.provider_id))

    assert response.status_code == 200
    assert states(alices_message) == {Tracking.DELIVERED: 1}
    alices_message.refresh_from_db()
    assert alices_message.delivered_at.isoformat().startswith("2026-11-05T16:33:54")


@WEBHOOK
@pytest.mark.parametrize("kind", ["HardBounce", "BadEmailAddress"])  # bounced and rejected
def test_a_bounce_or_rejection_counts_as_not_delivered(client, alices_message, kind):
    assert post(client, bounce(alices_message.email.provider_id, kind)).status_code == 200

    assert states(alices_message) == {Tracking.BOUNCED: 1}


@WEBHOOK
def test_a_spam_complaint_counts_as_reported_as_spam(client, alices_message):
    assert post(client, complaint(alices_message.email.provider_id)).status_code == 200

    assert states(alices_message) == {Tracking.COMPLAINED: 1}
    alices_message.refresh_from_db()
    assert alices_message.complained_at is not None


@WEBHOOK
def test_the_provider_retrying_an_event_counts_the_message_once(client, alices_message):
    post(client, delivery(alices_message.email.provider_id))
    post(client, delivery(alices_message.email.provider_id))

    assert AutomationMessage.objects.filter(delivered_at__isnull=False).count() == 1
    assert MessageEvent.objects.get().count == 2


@WEBHOOK
def test_an_event_found_by_the_tag_we_send_as_metadata(client, alices_message):
    payload = delivery("provider-id-we-never-saw", Metadata={"rendez_email": str(alices_message.email_id)})

    assert post(client, payload).status_code == 200
    assert states(alices_message) == {Tracking.DELIVERED: 1}


@WEBHOOK
def test_an_event_for_an_unknown_message_is_answered_and_recorded_nowhere(client, alices_message):
    response = post(client, delivery("00000000-0000-0000-0000-000000000000"))

    assert response.status_code == 200
    assert not MessageEvent.objects.exists()


@WEBHOOK
def test_an_event_for_a_booking_email_is_recorded_nowhere(client, alices_message):
    confirmation = OutgoingEmail.objects.get(kind="confirmation")
    send_email_now(email_id=confirmation.pk)
    confirmation.refresh_from_db()

    assert post(client, delivery(confirmation.provider_id)).status_code == 200
    assert not MessageEvent.objects.exists()


@WEBHOOK
@pytest.mark.parametrize("credentials", [None, "postmark:guessed", "someone:else"])
def test_a_webhook_without_the_credentials_is_refused_and_records_nothing(
    client, alices_message, credentials
):
    response = post(client, delivery(alices_message.email.provider_id), credentials=credentials)

    assert response.status_code == 400
    assert not MessageEvent.objects.exists()


@override_settings(ANYMAIL={"WEBHOOK_SECRET": ""})
def test_without_a_webhook_secret_set_nothing_is_recorded(client, alices_message):
    with pytest.warns(Warning):  # anymail warns that the webhook is open to anyone
        response = post(client, delivery(alices_message.email.provider_id), credentials=None)

    assert response.status_code == 200
    assert not MessageEvent.objects.exists()


class FakePostmark(BaseHTTPRequestHandler):
    """Postmark's sending API on a loopback port: records each request, answers with an id."""

    received: list[dict] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakePostmark.received.append(body)
        answer = json.dumps(
            {
                "To": body["To"],
                "SubmittedAt": "2026-11-05T16:33:00Z",
                "ErrorCode": 0,
                "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
                "Message": "OK",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def postmark_api():
    server = HTTPServer(("127.0.0.1", 0), FakePostmark)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakePostmark.received = []
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_sending_through_the_provider_stores_its_id_and_a_delivery_report_finds_the_message(
    worker, welcome, massage, alice, client, postmark_api
):
    book(massage)
    worker.deliver()
    email = OutgoingEmail.objects.get(kind="automation")
    with override_settings(
        EMAIL_BACKEND="anymail.backends.postmark.EmailBackend",
        ANYMAIL={
            "POSTMARK_SERVER_TOKEN": "server-token",
            "POSTMARK_API_URL": postmark_api,
            "WEBHOOK_SECRET": SECRET,
        },
    ):
        send_email_now(email_id=email.pk)
        email.refresh_from_db()
        response = post(client, delivery("b7bc2f4a-e38e-4336-af7d-e6c392c2f817"))

    assert FakePostmark.received[0]["Metadata"] == {"rendez_email": str(email.pk)}
    assert email.provider_id == "b7bc2f4a-e38e-4336-af7d-e6c392c2f817"
    assert response.status_code == 200
    assert AutomationMessage.objects.get(email=email).delivered_at is not None
