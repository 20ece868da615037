"""E-mail provider webhooks: only the configured provider's are routed; one that is not set up is
a 404, not a 500 anyone can cause; a set-up one refuses a call without its credentials (see also
tests/automations/stats)."""

import warnings

import pytest
from django.test import Client as Browser
from django.test import override_settings

from automations.models import MessageEvent
from config.anymail_urls import webhooks_for
from tests.support.postmark_urls import site_urls_with_webhooks_of


def _routing(provider: str) -> type:
    """A URL configuration with only this provider's webhooks, as ANYMAIL_PROVIDER=<provider> makes."""
    return type("Routing", (), {"urlpatterns": site_urls_with_webhooks_of(provider)})


@pytest.mark.parametrize(
    "provider, url",
    [
        ("amazon_ses", "/anymail/amazon_ses/tracking/"),
        ("mailgun", "/anymail/mailgun/tracking/"),
        ("postal", "/anymail/postal/tracking/"),
        ("resend", "/anymail/resend/inbound/"),
    ],
)
def test_a_provider_that_is_not_set_up_answers_404(db, provider, url):
    browser = Browser(raise_request_exception=False)
    with override_settings(ROOT_URLCONF=_routing(provider)):
        assert browser.post(url, "{}", content_type="application/json").status_code == 404
        assert browser.get(url).status_code == 404


def test_it_routes_only_the_configured_providers_webhooks():
    assert {webhook.name for webhook in webhooks_for("postmark")} == {
        "postmark_tracking_webhook",
        "postmark_inbound_webhook",
    }
    assert webhooks_for("") == []


@pytest.mark.parametrize(
    "url", ["/anymail/sendinblue/tracking/", "/anymail/sendgrid/tracking/", "/anymail/postmark/tracking/"]
)
def test_without_a_provider_no_webhook_answers_nor_warns(db, url):
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        response = Browser(raise_request_exception=False).post(url, "{}", content_type="application/json")

    assert response.status_code == 404
    assert not [w for w in warned if "anymail" in str(w.message).lower() or "SendGrid" in str(w.message)]


@pytest.mark.urls("tests.support.postmark_urls")
@override_settings(ANYMAIL={"WEBHOOK_SECRET": "rendez:webhook-secret"})
def test_a_forged_tracking_call_is_refused_and_records_nothing(db):
    payload = '{"RecordType": "SpamComplaint", "MessageID": "x", "Email": "bob@client.test"}'
    response = Browser().post("/anymail/postmark/tracking/", payload, content_type="application/json")
    assert response.status_code in (400, 401, 403)
    assert not MessageEvent.objects.exists()
