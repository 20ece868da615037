"""The outside world of the fault tests, on the loopback: clients with a browser's cookies and
forms, and a webhook receiver that counts what it is sent."""

import http.client
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from tests.support.races import race

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_KEY_FIELD = re.compile(r'name="request_key" value="([0-9a-f]{32})"')


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""


class FormUnavailable(Exception):
    """The form page did not answer 200; ``answer`` is what it said instead."""

    def __init__(self, path: str, answer: Answer) -> None:
        super().__init__(f"GET {path} answered {answer.status}")
        self.answer = answer


class Visitor:
    """One person's browser against one web server: cookies kept, forms filled as a page shows them."""

    def __init__(self, port: int, *, timeout: float = 60) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Answer:
        return self._send("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        return self._send("POST", path, urlencode(fields))

    def _send(self, method: str, path: str, body: str | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, text, response.headers.get("Location", ""))
        finally:
            connection.close()

    def open_form(self, path: str) -> dict[str, str]:
        """GET a form page: its CSRF token and request key, as the browser would send them back."""
        page = self.get(path)
        if page.status != 200:
            raise FormUnavailable(path, page)
        fields = {"csrfmiddlewaretoken": CSRF_FIELD.search(page.body).group(1)}
        if key := REQUEST_KEY_FIELD.search(page.body):
            fields["request_key"] = key.group(1)
        return fields

    def csrf(self) -> dict[str, str]:
        """The token a page's HTMX header would carry: the cookie's secret itself."""
        return {"csrfmiddlewaretoken": self.cookies["csrftoken"]}

    def sign_in(self, email: str, password: str) -> None:
        fields = self.open_form("/dashboard/login/")
        answer = self.post("/dashboard/login/", {**fields, "username": email, "password": password})
        if answer.status != 302:
            raise AssertionError(f"signing in answered {answer.status}")


def booking_form(visitor: Visitor, path: str, *, name: str) -> dict[str, str]:
    """The booking form at ``path`` filled in by ``name`` (``name@client.test``)."""
    filled_in = {"first_name": name, "last_name": "Fault", "email": f"{name}@client.test"}
    return {**visitor.open_form(path), **filled_in}


def rush(ports: list[int], path: str, *, clients: int, prefix: str) -> list[tuple[int, int]]:
    """``clients`` people open the form (client n on ``ports[n % len(ports)]``), then all send it
    at the same moment; (port, status) for each."""

    def open_the_form(n: int) -> tuple[int, Visitor, dict]:
        port = ports[n % len(ports)]
        visitor = Visitor(port)
        return port, visitor, booking_form(visitor, path, name=f"{prefix}{n}")

    def send_it(opened: tuple[int, Visitor, dict]) -> tuple[int, int]:
        port, visitor, form = opened
        return port, visitor.post(path, form).status

    return race(send_it, range(clients), get_ready=open_the_form, timeout=180)


class WebhookReceiver(ThreadingHTTPServer):
    """Answers every POST with 200 and remembers each delivery id it was sent."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.deliveries: list[str] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/rendez"

    def hits(self) -> int:
        with self.lock:
            return len(self.deliveries)

    def repeats(self) -> dict[str, int]:
        with self.lock:
            return {delivery: n for delivery, n in Counter(self.deliveries).items() if n > 1}

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        json.loads(body)
        with self.server.lock:
            self.server.deliveries.append(self.headers["X-Rendez-Delivery"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def ten_o_clock(day: str) -> str:
    """10:00 in the studio's time zone on ``day``, as the slot picker's link carries it."""
    moment = datetime.combine(date.fromisoformat(day), time(10), tzinfo=ZoneInfo("Europe/Paris"))
    return quote(moment.isoformat())
