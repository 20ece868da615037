"""The owner's Sent e-mails pages: the list, one message as the client saw it, its attachments."""

import base64

import pytest

from bookings_app.models import EmailStatus, OutgoingEmail
from tests import factories

EMAILS = "/dashboard/emails/"


def _email(n: int = 1, **fields) -> OutgoingEmail:
    defaults = {
        "kind": "confirmation",
        "dedupe_key": f"test:{n}",
        "to": f"alice{n}@client.test",
        "from_email": '"Studio" <hi@studio.test>',
        "subject": f"Your booking {n}",
        "body_text": "Hello Alice",
        "body_html": "<p>Hello <b>Alice</b></p>",
    }
    return OutgoingEmail.objects.create(**{**defaults, **fields})


@pytest.mark.parametrize("count", [10, 1000])
def test_it_lists_emails_newest_first_with_the_same_queries_for_10_and_1000(
    client, olivia, django_assert_num_queries, count
):
    factories.business()
    OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                kind="reminder",
                dedupe_key=f"bulk:{n}",
                to=f"c{n}@client.test",
                from_email="x@studio.test",
                subject=f"Reminder {n}",
                body_text="...",
            )
            for n in range(count)
        ]
    )
    client.force_login(olivia)
    # session, user, groups, kind choices, count, page, business
    with django_assert_num_queries(7):
        response = client.get(EMAILS)
    assert response.status_code == 200
    page = list(response.context["page"].object_list)
    assert len(page) == min(count, 25)
    assert page[0].created_at >= page[-1].created_at


def test_it_filters_by_status_kind_and_search(client, olivia, db):
    sent = _email(1, status=EmailStatus.SENT)
    failed = _email(2, status=EmailStatus.FAILED, kind="reminder", subject="See you tomorrow")
    client.force_login(olivia)
    assert [e.pk for e in client.get(EMAILS, {"status": "failed"}).context["page"]] == [failed.pk]
    assert [e.pk for e in client.get(EMAILS, {"kind": "confirmation"}).context["page"]] == [sent.pk]
    assert [e.pk for e in client.get(EMAILS, {"q": "tomorrow"}).context["page"]] == [failed.pk]
    assert [e.pk for e in client.get(EMAILS, {"q": "alice1@"}).context["page"]] == [sent.pk]


def test_it_shows_the_html_only_escaped_inside_a_sandboxed_frame(client, olivia, db):
    email = _email(body_html='<p>Hi</p><script>alert("x")</script>', last_error="SMTP 550")
    client.force_login(olivia)
    body = client.get(f"{EMAILS}{email.pk}/").content.decode()
    assert "<script>alert" not in body
    assert 'sandbox srcdoc="&lt;p&gt;Hi&lt;/p&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in body
    assert "SMTP 550" in body and "Hello Alice" in body


def test_a_message_waiting_to_be_written_shows_its_kind_until_it_is_sent(client, olivia, db):
    email = _email(subject="", body_text="", body_html="")
    client.force_login(olivia)

    listed = client.get(EMAILS).content.decode()
    shown = client.get(f"{EMAILS}{email.pk}/").content.decode()

    assert f'<a href="{EMAILS}{email.pk}/"><bdi>Booking confirmation</bdi></a>' in listed
    assert "<h1><bdi>Booking confirmation</bdi></h1>" in shown
    assert "This e-mail is written when it is sent" in shown


def test_it_downloads_an_attachment(client, olivia, db):
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    encoded = base64.b64encode(content).decode()
    email = _email(attachments=[{"filename": "booking.ics", "mimetype": "text/calendar", "content": encoded}])
    client.force_login(olivia)
    page = client.get(f"{EMAILS}{email.pk}/").content.decode()
    assert f"{EMAILS}{email.pk}/attachments/0/" in page
    response = client.get(f"{EMAILS}{email.pk}/attachments/0/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert response["Content-Disposition"] == 'attachment; filename="booking.ics"'
    assert response.content == content


def test_an_attachment_that_does_not_exist_is_a_404(client, olivia, db):
    email = _email()
    client.force_login(olivia)
    assert client.get(f"{EMAILS}{email.pk}/attachments/0/").status_code == 404


def test_staff_cannot_download_attachments(client, sam, db):
    email = _email(attachments=[{"filename": "a.txt", "mimetype": "text/plain", "content": ""}])
    client.force_login(sam)
    assert client.get(f"{EMAILS}{email.pk}/attachments/0/").status_code == 403
