"""E-mail provider webhooks: a provider that is not set up is a 404, not a 500 anyone can cause;
a set-up one refuses a call without its credentials (see also tests/automations/stats)."""

import pytest
from django.test import Client as Browser
from django.test import override_settings

from automations.models import MessageEvent


@pytest.mark.parametrize("url", ["/anymail/amazon_ses/tracking/", "/anymail/mailgun/tracking/",
                                 "/anymail/postal/tracking/", "/anymail/resend/inbound/"])
def test_a_provider_that_is_not_set_up_answers_404(db, url):
    browser = Browser(raise_request_exception=False)
    assert browser.post(url, "{}", content_type="application/json").status_code == 404
    assert browser.get(url).status_code == 404


@override_settings(ANYMAIL={"WEBHOOK_SECRET": "rendez:webhook-secret"})
def test_a_forged_tracking_call_is_refused_and_records_nothing(db):
    payload = '{"RecordType": "SpamComplaint", "MessageID": "x", "Email": "bob@client.test"}'
    response = Browser().post("/anymail/postmark/tracking/", payload, content_type="application/json")
    assert response.status_code in (400, 401, 403)
    assert not MessageEvent.objects.exists()
