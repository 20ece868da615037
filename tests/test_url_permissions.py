"""Every dashboard and tablet URL, walked as anonymous, a client, staff and the owner.

New URLs are picked up by themselves; a URL with an argument this walk cannot fill fails
the test, so that its permissions are never left unchecked.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from bookings_app import urls as bookings_urls
from bookings_app.models import DateOverride, OutgoingEmail, ServiceKind, StaffMember, TimeOff
from tests import factories as f


@pytest.fixture
def world(db, sam):
    """One of everything a dashboard URL can point at."""
    f.business()
    nina = f.staff_member("Nina")
    StaffMember.objects.filter(pk=nina.pk).update(user=sam)
    massage = f.service("Massage", staff=[nina])
    start = timezone.now() + timedelta(days=2)
    session = f.session(massage, nina, start)
    alice = f.client("Alice")
    booking = f.booking(session, alice)
    email = OutgoingEmail.objects.create(kind="confirmation", dedupe_key="walk", to=alice.email, from_email="x@y.z",
                                         subject="Hello", body_text="Hi", booking=booking,
                                         attachments=[{"filename": "a.ics", "mimetype": "text/calendar", "content": ""}])
    override = DateOverride.objects.create(staff=nina, date=start.date(), start="09:00", end="12:00")
    time_off = TimeOff.objects.create(staff=nina, start=start + timedelta(days=3), end=start + timedelta(days=4))
    label = alice.labels.create(name="VIP")
    return {
        "service": massage.pk, "staff": nina.pk, "client": alice.pk, "booking": booking.pk, "session": session.pk,
        "email": email.pk, "override_pk": override.pk, "time_off_pk": time_off.pk, "label_id": label.pk,
        "index": 0, "class": f.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=5).pk,
    }


def _pk_for(url_name: str, world: dict) -> int:
    for prefix, key in (("service", "service"), ("staff", "staff"), ("client", "client"), ("calendar_session", "session"),
                        ("session", "session"), ("email", "email"), ("booking", "booking"), ("calendar_booking", "booking"),
                        ("request", "booking")):
        if url_name.startswith(prefix):
            return world[key]
    raise AssertionError(f"the permission walk does not know which object {url_name} takes")


def _urls(namespace: str, patterns: list, world: dict) -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            continue
        kwargs = {}
        for name in pattern.pattern.converters:
            if name == "pk":
                kwargs[name] = _pk_for(pattern.name, world)
            elif name in ("booking_id",):
                kwargs[name] = world["booking"]
            elif name in ("session_id",):
                kwargs[name] = world["session"]
            elif name in world:
                kwargs[name] = world[name]
            else:
                raise AssertionError(f"the permission walk cannot fill <{name}> of {namespace}:{pattern.name}")
        found.append((f"{namespace}:{pattern.name}", reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)))
    return found


def test_every_dashboard_and_tablet_url_answers_each_role_as_it_should(client, world, olivia, sam, carla):
    urls = _urls("dashboard", bookings_urls.dashboard, world) + _urls("staff", bookings_urls.staff, world)
    assert len(urls) > 30
    problems = []
    for name, url in urls:
        client.logout()
        anonymous = client.get(url)
        if not (anonymous.status_code == 405 or (anonymous.status_code == 302 and "/login/" in anonymous["Location"])):
            problems.append(f"anonymous {name} → {anonymous.status_code}")
        for person, allowed in ((carla, False), (sam, name.startswith("staff:") or name.startswith("dashboard:calendar")),
                                (olivia, True)):
            client.force_login(person)
            status = client.get(url).status_code
            if status >= 500:
                problems.append(f"{person.first_name} {name} → {status}")
            elif allowed and status == 403:
                problems.append(f"{person.first_name} {name} → 403, expected access")
            elif not allowed and status not in (403, 404, 405):
                problems.append(f"{person.first_name} {name} → {status}, expected 403")
    assert problems == []
