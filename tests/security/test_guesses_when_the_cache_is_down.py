"""What every guessing limit does when its cache (Redis in production) refuses or never answers.

The cache here is a Redis on a loopback port that refuses connections, or one that accepts them
and never answers, with short socket timeouts as in production. No answer is ever a 500:
- team sign-in: a browser that signed in to the address before is let in, any other gets 503;
- gift card codes: still checked, uncounted (80 random bits);
- a client's code request: 503 and no code sent (it could not be counted).
"""

import socket
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as Browser
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bookings_app.models import Booking, ServiceKind
from loyalty.services import issue_gift_card
from tests import factories as f
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_failures_counted():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def refusing_port():
    """A loopback port bound but never listening: every connection is refused."""
    bound = socket.socket()
    bound.bind(("127.0.0.1", 0))
    yield bound.getsockname()[1]
    bound.close()


@pytest.fixture
def silent_port():
    """A loopback server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    held, stop = [], threading.Event()

    def accept_forever():
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture(params=["refusing", "silent"])
def cache_down(request):
    """Settings whose cache is a Redis that refuses, or one that hangs (0.3 s socket timeouts)."""
    port = request.getfixturevalue(f"{request.param}_port")
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    return override_settings(CACHES=caches)


@pytest.fixture
def olga(db):
    """Olga owns the studio and signs in with her password."""
    return make_person("olga@studio.test", "Olga", "Owner")


def browser() -> Browser:
    return Browser(raise_request_exception=False)


def test_a_new_browser_cannot_sign_in_to_the_team_and_is_told_why(cache_down, olga, caplog):
    visitor = browser()
    with cache_down:
        response = visitor.post("/dashboard/login/", {"username": olga.email, "password": "s3cret-pass!"})

    assert response.status_code == 503
    assert "paused for a moment" in response.content.decode()
    assert "_auth_user_id" not in visitor.session
    assert any(
        record.name == "rendez.sign_in" and "refused" in record.getMessage() for record in caplog.records
    )


def test_the_admin_sign_in_answers_the_same(cache_down, olga):
    with cache_down:
        response = browser().post("/admin/login/", {"username": olga.email, "password": "s3cret-pass!"})

    assert response.status_code == 503


def test_the_owner_still_signs_in_from_her_own_browser(cache_down, olga):
    her_laptop = browser()
    her_laptop.post("/dashboard/login/", {"username": olga.email, "password": "s3cret-pass!"})
    del her_laptop.cookies[settings.SESSION_COOKIE_NAME]

    with cache_down:
        wrong = her_laptop.post("/dashboard/login/", {"username": olga.email, "password": "typo"})
        right = her_laptop.post("/dashboard/login/", {"username": olga.email, "password": "s3cret-pass!"})

    assert wrong.status_code == 200
    assert right.status_code == 302
    assert her_laptop.get("/dashboard/").status_code == 200


@pytest.fixture
def yoga_seat(db):
    """Monday's yoga class (20 EUR) with the loyalty program on, and a 25 EUR card."""
    from loyalty.models import Program

    f.business(currency="EUR")
    nina = f.staff_member("Nina")
    yoga = f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=30, price=Decimal("20.00"))
    monday = f.next_weekday(0, after=date.today() + timedelta(days=2))
    session = f.session(yoga, nina, f.local(monday, "18:00"))
    Program.objects.update_or_create(pk=1, defaults={"is_enabled": True})
    card = issue_gift_card(
        value=Decimal("25.00"), by=make_person("oscar@studio.test", "Oscar", "Owner", password=None)
    )
    return reverse("public:book_session", args=[yoga.slug, session.pk]), card


def seat_form(request_key: str, code: str) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Martin",
        "email": "alice@client.test",
        "request_key": request_key,
        "gift_card_code": code,
    }


def test_a_gift_card_still_pays_and_a_wrong_code_is_still_refused(cache_down, yoga_seat):
    seat_url, card = yoga_seat
    with cache_down:
        wrong = browser().post(seat_url, seat_form("1" * 32, "ABCD-EFGH-JKLM-NPQR"))
        paid = browser().post(seat_url, seat_form("2" * 32, card.code))

    assert wrong.status_code == 400
    assert paid.status_code == 303
    assert Booking.objects.get().prepaid_amount == Decimal("20.00")


@pytest.fixture
def alice_booked(db):
    f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    alice = f.client("Alice")
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    Booking.objects.create(client=alice, service=massage, session=f.session(massage, nina, start))
    return alice


@pytest.mark.parametrize(
    "page, form",
    [
        ("/account/login/code/", "email"),
        ("/account/login/", "login"),
    ],
)
def test_a_client_asking_for_a_code_is_told_to_try_again_and_gets_no_code(
    cache_down, alice_booked, mailoutbox, page, form
):
    with cache_down:
        response = browser().post(page, {form: alice_booked.email})

    assert response.status_code == 503
    assert "try again in a few minutes" in response.content.decode()
    assert mailoutbox == []
