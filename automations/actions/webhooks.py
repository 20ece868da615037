"""Call a webhook: a signed JSON POST of the event and the run's context.

``X-Rendez-Signature: sha256=<hex HMAC-SHA256 of the body with the automation's secret>``;
``X-Rendez-Delivery`` names the delivery, the same on every retry, so a receiver can drop a
repeat (a worker lost between the answer and recording it calls again: at least once).
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from ..context import RunContext
from .base import ActionFailed, ActionType, register, run_key

TIMEOUT_SECONDS = 5


def validate_webhook_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("A webhook address must start with http:// or https:// and name a host."))
    return url


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we did not ask for: the call fails rather than re-sending elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


@register
class CallWebhook(ActionType):
    key, label = "call_webhook", _("Call a webhook")
    transactional = False

    def validate(self, settings: dict, *, offers: frozenset[str]) -> dict:
        return {"url": validate_webhook_url(str(settings.get("url") or "").strip())}

    def perform(self, context: RunContext, settings: dict, *, position: int) -> str:
        url = validate_webhook_url(settings["url"])
        body = json.dumps(payload(context), default=str, sort_keys=True).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Rendez-Webhook/1",
                "X-Rendez-Signature": signature(body, context.automation.webhook_secret),
                "X-Rendez-Delivery": run_key(context, position),
            },
        )
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            message = _t("The webhook answered %(status)s.") % {"status": error.code}
            raise ActionFailed(message, retry=True) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ActionFailed(
                _t("The webhook could not be reached: %(reason)s") % {"reason": reason}, retry=True
            ) from None
        if not 200 <= status < 300:
            raise ActionFailed(_t("The webhook answered %(status)s.") % {"status": status}, retry=True)
        return _t("Webhook answered %(status)s") % {"status": status}


def payload(context: RunContext) -> dict:
    event = context.event
    return {
        "automation": {
            "id": context.automation.pk,
            "name": context.automation.name,
            "trigger": context.automation.trigger,
        },
        "run": {"id": context.run.pk, "due_at": context.run.due_at.isoformat()},
        "event": event
        and {
            "id": event.pk,
            "kind": event.kind,
            "occurred_at": event.occurred_at.isoformat(),
            "payload": event.payload,
        },
        **context.as_json(),
    }
