"""A loopback server standing in for api.stripe.com (the official package's ``api_base`` pointed
at it), and Stripe's webhook signature, for tests that must never call Stripe."""

import hashlib
import hmac
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import stripe

WEBHOOK_SECRET = "whsec_test_" + "x" * 24


class StripeAnswers(BaseHTTPRequestHandler):
    """Subclass it with ``answer(method, path, form) -> (status, JSON)``; every call is kept
    in ``calls`` as (method, path, form, idempotency key)."""

    calls: list = []

    def answer(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        return 404, {"error": {"type": "invalid_request_error", "message": "unknown"}}

    def do_GET(self):  # noqa: N802 - http.server's name
        self._reply("GET", {})

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self._reply("POST", {key: values[0] for key, values in parse_qs(body).items()})

    def _reply(self, method: str, form: dict) -> None:
        type(self).calls.append((method, self.path, form, self.headers.get("Idempotency-Key")))
        status, data = self.answer(method, self.path, form)
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@contextmanager
def loopback_stripe(answers: type[StripeAnswers], settings, monkeypatch):
    """Stripe configured, its API answered by ``answers`` on a loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    answers.calls = []
    monkeypatch.setattr(stripe, "api_base", f"http://127.0.0.1:{server.server_port}")
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_rendez"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    try:
        yield answers
    finally:
        server.shutdown()
        server.server_close()


def signed(event: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """``event`` as Stripe sends it: the body and its ``Stripe-Signature`` header (signed with
    another ``secret``: a forgery)."""
    body = json.dumps(event).encode()
    timestamp = int(time.time())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={mac}"
