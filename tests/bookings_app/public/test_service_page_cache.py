"""An appointment's whole service page is kept for anonymous visitors: each gets their own CSRF
token, a signed-in client's page is never kept nor served to anyone else, a visitor with a
message waiting sees it, and every change the page shows is shown at once."""

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client as Browser
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings_app.core.errors import BookingError
from bookings_app.models import Business, StaffMember
from bookings_app.selectors import availability_cache
from bookings_app.services import catalog
from bookings_app.services import settings as business_settings
from bookings_app.services.bookings import book_appointment
from bookings_app.web.accounts import user_for_client
from tests import factories as make

pytestmark = pytest.mark.django_db

MONDAY = make.next_weekday(0, after=make.next_weekday(0))
CSRF_IN_PAGE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)')


@pytest.fixture(autouse=True)
def _empty_cache_and_a_still_minute(monkeypatch):
    """The tests ask twice within one minute, however slow the machine."""
    availability_cache.forget_everything()
    minute = timezone.now()
    monkeypatch.setattr(availability_cache, "current_time", lambda: minute)


@pytest.fixture
def massage():
    make.business(time_zone="Europe/Paris", slot_step_minutes=60)
    nina = make.staff_member("Nina", hours={0: [("09:00", "12:00")]})
    return make.service("Massage", staff=[nina])


def page(browser, service, **params):
    return browser.get(service.get_absolute_url(), params, HTTP_ACCEPT_LANGUAGE="en")


def tokens(response) -> set[str]:
    return {token for _, token in CSRF_IN_PAGE.findall(response.content.decode())}


def without_tokens(response) -> str:
    return CSRF_IN_PAGE.sub(r"\1…", response.content.decode())


def test_it_serves_the_kept_page_in_one_query(client, massage, django_assert_num_queries):
    first = page(client, massage, day=MONDAY.isoformat())
    with django_assert_num_queries(1):  # the availability version
        again = page(Browser(), massage, day=MONDAY.isoformat())

    assert again.status_code == 200 and "10:00" in again.content.decode()
    assert without_tokens(again) == without_tokens(first)


def test_a_page_kept_by_other_code_is_not_served_after_a_deploy(
    client, massage, monkeypatch, django_assert_num_queries
):
    page(client, massage, day=MONDAY.isoformat())
    monkeypatch.setattr(availability_cache, "release_fingerprint", lambda: "the-next-release")

    with CaptureQueriesContext(connection) as fresh:  # computed and rendered afresh
        page(Browser(), massage, day=MONDAY.isoformat())
    assert len(fresh) > 1
    with django_assert_num_queries(1):  # and kept for this release
        page(Browser(), massage, day=MONDAY.isoformat())


def test_it_gives_each_visitor_a_token_their_own_cookie_accepts(massage):
    for browser in (Browser(enforce_csrf_checks=True), Browser(enforce_csrf_checks=True)):
        response = page(browser, massage)
        (token,) = tokens(response)
        switched = browser.post(reverse("set_language"), {"language": "fr", "csrfmiddlewaretoken": token})
        assert switched.status_code == 302, "the language switcher refused the visitor's own token"


def test_it_never_shows_a_signed_in_client_s_header_to_anyone_else(client, massage):
    alice = make.client("Alice")
    signed_in = Browser()
    signed_in.force_login(user_for_client(alice))

    hers = page(signed_in, massage).content.decode()
    anonymous = page(client, massage).content.decode()
    hers_again = page(signed_in, massage).content.decode()

    assert "My bookings" in hers and "My bookings" in hers_again
    assert "My bookings" not in anonymous and "Sign in" in anonymous


def test_it_shows_a_message_waiting_for_the_visitor(client, massage):
    page(client, massage)  # the page is kept
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(message_levels.SUCCESS, "Your booking was cancelled.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value

    shown = page(client, massage).content.decode()
    after = page(client, massage).content.decode()

    assert "Your booking was cancelled." in shown and "Your booking was cancelled." not in after


@pytest.mark.parametrize(
    "change, shown",
    [
        (lambda service: catalog.update_service(service=service, name="Deep massage"), "Deep massage"),
        (
            lambda service: catalog.update_service(service=service, description="Bring a towel."),
            "Bring a towel.",
        ),
        (lambda service: catalog.update_service(service=service, price=Decimal("72.00")), "72.00"),
        (lambda service: catalog.update_service(service=service, duration_minutes=45), "45 min"),
        (
            lambda service: business_settings.update_business_settings(
                business=Business.current(), name="Atelier Soleil"
            ),
            "Atelier Soleil",
        ),
        (
            lambda service: catalog.update_service(
                service=service, staff=[*service.staff.all(), make.staff_member("Omar")]
            ),
            "Omar",
        ),
    ],
    ids=["rename", "description", "price", "duration", "business", "staff"],
)
def test_it_shows_a_change_at_once(client, massage, change, shown):
    assert shown not in page(client, massage).content.decode()
    change(massage)
    assert shown in page(client, massage).content.decode()


def test_it_shows_a_booked_time_gone_at_once(client, massage):
    assert "10:00" in page(client, massage, day=MONDAY.isoformat()).content.decode()
    book_appointment(service=massage, start=make.local(MONDAY, "10:00"), details=make.racer(1))
    after = page(client, massage, day=MONDAY.isoformat()).content.decode()
    assert "10:00" not in after and "11:00" in after


def test_it_shows_the_owner_s_translation_at_once(client, massage):
    hebrew = {"HTTP_ACCEPT_LANGUAGE": "he"}
    client.get(massage.get_absolute_url(), **hebrew)
    catalog.update_service(service=massage, translations={"he": {"name": "עיסוי"}})

    assert "עיסוי" in client.get(massage.get_absolute_url(), **hebrew).content.decode()
    assert "עיסוי" not in page(client, massage).content.decode()


def test_it_lets_the_browser_keep_the_page_until_it_changes(client, massage):
    first = page(client, massage)  # sets the CSRF cookie
    second = page(client, massage)
    again = client.get(
        massage.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=second["ETag"]
    )
    catalog.update_service(service=massage, name="Deep massage")
    changed = client.get(
        massage.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=second["ETag"]
    )

    assert first["ETag"] == second["ETag"] and "private" in second["Cache-Control"]
    assert again.status_code == 304
    assert changed.status_code == 200 and "Deep massage" in changed.content.decode()


def test_it_tags_the_page_for_the_visitor_s_own_token(client, massage):
    """Another CSRF cookie (another visitor, or a new one) never revalidates a page holding the old token."""
    mine = page(client, massage)
    other = Browser()
    page(other, massage)
    theirs = other.get(massage.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=mine["ETag"])

    assert theirs.status_code == 200 and theirs["ETag"] != mine["ETag"]


def test_it_keeps_no_page_for_a_signed_in_client(client, massage):
    alice = make.client("Alice")
    client.force_login(user_for_client(alice))
    first = page(client, massage)
    with CaptureQueriesContext(connection) as queries:
        anonymous = page(Browser(), massage)

    assert "ETag" not in first and "Sign in" in anonymous.content.decode()
    assert len(queries) > 1, "the anonymous page came from the one the signed-in client saw"


def test_it_keeps_the_embedded_page_apart(client, massage):
    plain = page(client, massage).content.decode()
    embedded = client.get(f"/embed/s/{massage.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Sign in" in plain and "Sign in" not in embedded


def test_it_keeps_a_class_s_page_for_nobody(client, django_assert_num_queries):
    make.business()
    yoga = make.service("Yoga", kind="class", staff=[make.staff_member("Nina")], capacity=8)

    first = page(client, yoga)
    again = page(client, yoga)

    assert first.status_code == again.status_code == 200
    assert "ETag" not in first and "ETag" not in again


# --- The kept page against the page rendered afresh, after any writes ------------------------------

PAGE_WRITES = st.one_of(
    st.tuples(st.just("name"), st.sampled_from(["Massage", "Deep massage", "Shiatsu"])),
    st.tuples(st.just("description"), st.sampled_from(["", "Bring a towel.", "Quiet room."])),
    st.tuples(
        st.just("translation"), st.sampled_from([{}, {"he": {"name": "עיסוי"}}, {"he": {"name": "שיאצו"}}])
    ),
    st.tuples(st.just("price"), st.sampled_from([Decimal("0"), Decimal("50"), Decimal("72.5")])),
    st.tuples(st.just("duration"), st.sampled_from([30, 45, 60])),
    st.tuples(st.just("name by update()"), st.sampled_from(["Massage", "Reflexology"])),
    st.tuples(st.just("staff name"), st.sampled_from(["nina", "omar"]), st.sampled_from(["Nina", "Nadia"])),
    st.tuples(st.just("staff active"), st.sampled_from(["nina", "omar"]), st.booleans()),
    st.tuples(st.just("service staff"), st.sampled_from([("nina",), ("omar",), ("nina", "omar")])),
    st.tuples(
        st.just("business"),
        st.sampled_from(["Studio Lumen", "Atelier Soleil"]),
        st.sampled_from(["EUR", "ILS"]),
    ),
    st.tuples(st.just("book"), st.integers(9, 11), st.sampled_from(["nina", "omar", None])),
    st.tuples(st.just("day off"), st.sampled_from(["nina", "omar"])),
    st.tuples(st.just("hours"), st.sampled_from(["nina", "omar"]), st.integers(8, 13)),
)
PAGES = [
    ({}, "en"),
    ({"day": MONDAY.isoformat()}, "he"),
    ({"day": MONDAY.isoformat(), "staff": "omar"}, "en"),
]


def _apply_page_write(write, *, massage, staff_by_name) -> None:
    kind, *args = write
    service = type(massage).objects.get(pk=massage.pk)
    try:
        if kind in ("name", "description", "translation", "price"):
            field = "translations" if kind == "translation" else kind
            catalog.update_service(service=service, **{field: args[0]})
        elif kind == "duration":
            catalog.update_service(service=service, duration_minutes=args[0])
        elif kind == "name by update()":
            type(massage).objects.filter(pk=massage.pk).update(name=args[0])
        elif kind in ("staff name", "staff active"):
            field = "name" if kind == "staff name" else "is_active"
            member = StaffMember.objects.get(pk=staff_by_name[args[0]].pk)
            catalog.update_staff_member(staff_member=member, **{field: args[1]})
        elif kind == "service staff":
            catalog.update_service(service=service, staff=[staff_by_name[name] for name in args[0]])
        elif kind == "business":
            business_settings.update_business_settings(
                business=Business.current(), name=args[0], currency=args[1]
            )
        elif kind == "book":
            hour, who = args
            start = make.local(MONDAY, f"{hour:02d}:00")
            book_appointment(
                service=service, start=start, staff=staff_by_name.get(who), details=make.racer(hour)
            )
        elif kind == "day off":
            start = make.local(MONDAY, "00:00")
            catalog.add_time_off(
                staff_member=staff_by_name[args[0]], start=start, end=start + timedelta(days=1)
            )
        elif kind == "hours":
            who, hour = args
            intervals = [catalog.Interval(weekday=0, start=time(hour), end=time(hour + 3))]
            catalog.replace_working_hours(staff_member=staff_by_name[who], intervals=intervals)
    except BookingError:
        pass  # a refused booking changes nothing, which the pages check as well


def _every_page(staff_by_name) -> list[str]:
    """Each page as an anonymous visitor gets it now, CSRF tokens left out."""
    shown = []
    for params, language in PAGES:
        asked = {**params, **({"staff": staff_by_name[params["staff"]].pk} if "staff" in params else {})}
        response = Browser().get(f"/s/{SLUG}/", asked, HTTP_ACCEPT_LANGUAGE=language)
        shown.append(without_tokens(response) if response.status_code == 200 else str(response.status_code))
    return shown


SLUG = "massage"


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=st.lists(PAGE_WRITES, min_size=1, max_size=6))
def test_it_serves_the_kept_page_the_fresh_page_would_show_after_any_writes(db, writes):
    with transaction.atomic():
        make.business(time_zone="Europe/Paris", slot_step_minutes=60)
        nina = make.staff_member("Nina", hours={0: [("09:00", "12:00")]})
        omar = make.staff_member("Omar", hours={0: [("10:00", "13:00")]})
        massage = make.service("Massage", slug=SLUG, staff=[nina, omar])
        staff_by_name = {"nina": nina, "omar": omar}
        availability_cache.forget_everything()
        _every_page(staff_by_name)  # kept before any write
        for write in writes:
            _apply_page_write(write, massage=massage, staff_by_name=staff_by_name)
            kept = _every_page(staff_by_name)
            availability_cache.forget_everything()
            assert kept == _every_page(staff_by_name), write
        transaction.set_rollback(True)
