"""The embedded booking flow (/embed/): its framing headers, and booking with no cookie at all,
as a browser does inside a cross-site frame (docs/embedding.md)."""

import re
import time
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings_app.models import Booking, BookingStatus
from bookings_app.web.embedding import FORM_TOKEN_FIELD, FORM_TOKEN_SALT
from tests import factories as f

MONDAY = f.next_weekday(0, after=date.today() + timedelta(days=2))
ORIGINS = ["https://studio.example", "https://www.studio.example:8443"]


@pytest.fixture
def studio(db):
    business = f.business()
    nina = f.staff_member("Nina")
    massage = f.service("Massage", staff=[nina])
    return business, massage


@pytest.fixture
def listed(studio):
    business, massage = studio
    business.embed_origins = ORIGINS
    business.save()
    return business, massage


@pytest.fixture
def cross_site():
    """A browser inside a cross-site frame: CSRF enforced, and no cookie ever sent back."""
    return Client(enforce_csrf_checks=True)


def embedded_book_url(massage, at: str = "10:00") -> str:
    start = f.local(MONDAY, at).isoformat()
    return f"/embed/s/{massage.slug}/book/?" + urlencode({"start": start})


def signed_token(page) -> str:
    page = page.content.decode()
    return re.search(rf'name="{FORM_TOKEN_FIELD}" value="([^"]+)"', page).group(1)


def alice(**fields) -> dict:
    return {
        "first_name": "Alice",
        "last_name": "Durand",
        "email": "alice@client.test",
        "request_key": "e" * 32,
        **fields,
    }


# --- Headers ----------------------------------------------------------------------------------------


def test_embedded_pages_name_the_listed_origins_and_send_no_x_frame_options(client, listed):
    _, massage = listed
    for url in ("/embed/", f"/embed/s/{massage.slug}/", embedded_book_url(massage)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == (
            "frame-ancestors 'self' https://studio.example https://www.studio.example:8443"
        )
        assert "X-Frame-Options" not in response


def test_with_no_origin_listed_embedded_pages_may_only_be_framed_by_rendez_itself(client, studio):
    response = client.get("/embed/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert "X-Frame-Options" not in response


def test_every_other_page_still_refuses_framing(client, listed, olivia):
    _, massage = listed
    for url in ("/", massage.get_absolute_url(), "/my/", "/dashboard/login/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "Content-Security-Policy" not in response, url
    client.force_login(olivia)
    response = client.get(reverse("dashboard:embedding"))
    assert response["X-Frame-Options"] == "DENY"


def test_embedded_pages_have_no_header_and_keep_their_links_in_the_frame(client, listed):
    _, massage = listed
    home = client.get("/embed/").content.decode()
    assert 'class="public-header"' not in home and 'class="public-footer' not in home
    assert f'href="/embed/s/{massage.slug}/"' in home
    assert "js/embed-frame.js" in home and "js/timezone.js" not in home
    service = client.get(f"/embed/s/{massage.slug}/", {"day": MONDAY.isoformat(), "tz": "Europe/Paris"})
    page = service.content.decode()
    assert f"/embed/s/{massage.slug}/book/?start=" in page
    assert "tz=Europe%2FParis" in page


def test_the_htmx_day_fragment_stays_embedded(client, listed):
    _, massage = listed
    response = client.get(f"/embed/s/{massage.slug}/", {"day": MONDAY.isoformat()}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="slots"')
    assert f"/embed/s/{massage.slug}/book/?start=" in page
    assert response["Content-Security-Policy"].startswith("frame-ancestors 'self'")


# --- Booking with no cookie ---------------------------------------------------------------------------


def test_a_client_books_through_the_frame_with_no_cookie_at_all(cross_site, listed):
    _, massage = listed
    url = embedded_book_url(massage)
    form = cross_site.get(url)
    assert form.status_code == 200
    assert 'name="csrfmiddlewaretoken"' not in form.content.decode()
    assert not form.cookies  # nothing to send back: no session, no CSRF cookie
    cross_site.cookies.clear()
    response = cross_site.post(url, {**alice(), FORM_TOKEN_FIELD: signed_token(form)})
    assert response.status_code == 303
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert response["Location"].startswith("/embed/booked/")
    cross_site.cookies.clear()
    confirmation = cross_site.get(response["Location"])
    assert confirmation.status_code == 200
    assert "booked" in confirmation.content.decode()
    assert 'target="_top"' in confirmation.content.decode()
    assert confirmation["Content-Security-Policy"].startswith("frame-ancestors 'self' https://studio.example")


def test_the_same_post_outside_the_frame_still_needs_the_csrf_cookie(cross_site, listed):
    _, massage = listed
    start = f.local(MONDAY, "10:00").isoformat()
    url = reverse("public:book", args=[massage.slug]) + "?" + urlencode({"start": start})
    response = cross_site.post(url, alice())
    assert response.status_code == 403
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "could not be checked"),
        ("forged-token", "could not be checked"),
        (signing.dumps("/embed/s/massage/book/", salt="another.salt"), "could not be checked"),
        (signing.dumps("/embed/s/other/book/", salt=FORM_TOKEN_SALT), "made for another page"),
    ],
)
def test_a_forged_token_is_refused_with_a_reason_and_books_nothing(cross_site, listed, token, reason):
    _, massage = listed
    response = cross_site.post(embedded_book_url(massage), {**alice(), FORM_TOKEN_FIELD: token})
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert response["Content-Security-Policy"].startswith("frame-ancestors 'self'")
    assert not Booking.objects.exists()


class ThreeHoursAgo(signing.TimestampSigner):
    """Signs as the site would have three hours ago (the token lives two)."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 3 * 3600)


def test_an_expired_token_is_refused(cross_site, listed):
    _, massage = listed
    url = embedded_book_url(massage)
    token = ThreeHoursAgo(salt=FORM_TOKEN_SALT).sign_object(url.split("?")[0])
    assert signing.loads(token, salt=FORM_TOKEN_SALT) == url.split("?")[0]  # genuine, only old
    response = cross_site.post(url, {**alice(), FORM_TOKEN_FIELD: token})
    assert response.status_code == 403
    assert "too old" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_post_sent_from_another_site_is_refused_even_with_a_good_token(cross_site, listed):
    _, massage = listed
    url = embedded_book_url(massage)
    token = signed_token(cross_site.get(url))
    response = cross_site.post(url, {**alice(), FORM_TOKEN_FIELD: token}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "sent from another site" in response.content.decode()
    accepted = cross_site.post(url, {**alice(), FORM_TOKEN_FIELD: token}, HTTP_ORIGIN="http://testserver")
    assert accepted.status_code == 303


def test_a_signed_in_client_is_nobody_inside_the_frame(client, listed, django_user_model):
    _, massage = listed
    user = django_user_model.objects.create_user("bob", "bob@client.test", first_name="Bob")
    client.force_login(user)
    page = client.get(embedded_book_url(massage)).content.decode()
    assert "bob@client.test" not in page
    assert "My bookings" not in page


def test_a_booking_that_needs_payment_opens_the_payment_in_the_whole_window(cross_site, studio):
    business, _ = studio
    business.embed_origins = ORIGINS
    business.save()
    nina = f.staff_member("Ana")
    paid = f.service("Paid massage", staff=[nina], price="50.00", payment_policy="full")
    url = embedded_book_url(paid)
    token = signed_token(cross_site.get(url))
    response = cross_site.post(url, {**alice(), FORM_TOKEN_FIELD: token})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'target="_top"' in page and "/pay/" in page
    assert Booking.objects.get().status == BookingStatus.AWAITING_PAYMENT


@pytest.mark.parametrize("services", [1, 20])
def test_an_embedded_page_costs_one_query_more_than_the_ordinary_page(client, listed, services):
    """The wrapper reads the listed origins (the business row) once; nothing grows with the list."""
    for n in range(services - 1):
        f.service(f"Extra {n}", staff=[f.staff_member(f"Staff {n}")])
    client.get("/")  # warm the caches both pages share
    with CaptureQueriesContext(connection) as ordinary:
        client.get("/")
    with CaptureQueriesContext(connection) as embedded:
        client.get("/embed/")
    assert len(embedded) == len(ordinary) + 1
    assert len(embedded) == 4


def test_the_snippet_may_choose_the_language_and_every_address_keeps_it(cross_site, listed):
    _, massage = listed
    home = cross_site.get("/embed/fr/", HTTP_ACCEPT_LANGUAGE="en")
    page = home.content.decode()
    assert '<html lang="fr"' in page
    assert f'href="/embed/fr/s/{massage.slug}/"' in page
    assert home["Content-Security-Policy"].startswith("frame-ancestors 'self' https://studio.example")
    start = f.local(MONDAY, "10:00").isoformat()
    url = f"/embed/he/s/{massage.slug}/book/?" + urlencode({"start": start})
    form = cross_site.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'dir="rtl"' in form.content.decode()
    response = cross_site.post(
        url, {**alice(), FORM_TOKEN_FIELD: signed_token(form)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 303
    assert response["Location"].startswith("/embed/he/booked/")
    assert Booking.objects.get().client.language == "he"


def test_an_unknown_language_is_not_a_page(client, listed):
    assert client.get("/embed/xx/").status_code == 404
