"""services.catalog: the owner's changes to services, questions, class rules, staff and hours."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from bookings_app.models import ClassSchedule, Service, ServiceKind, Session, WorkingHours
from bookings_app.services import catalog
from bookings_app.services.catalog import CatalogError, Interval, QuestionDraft
from bookings_app.web.roles import STAFF
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_makes_a_unique_slug_from_the_name():
    factories.service("Yoga flow", slug="yoga-flow")
    created = catalog.create_service(kind=ServiceKind.CLASS, name="Yoga flow", capacity=12)
    assert created.slug == "yoga-flow-2"


def test_it_keeps_an_appointment_to_one_client():
    created = catalog.create_service(kind=ServiceKind.APPOINTMENT, name="Massage", capacity=8)
    assert created.capacity == 1


def test_it_refuses_an_unknown_detail():
    with pytest.raises(CatalogError):
        catalog.create_service(kind=ServiceKind.CLASS, name="Yoga", colour="red")


def test_it_updates_a_service_and_its_staff():
    nina, omar = factories.staff_member("Nina"), factories.staff_member("Omar")
    massage = factories.service("Massage", staff=[nina])
    catalog.update_service(service=massage, staff=[omar], name="Deep massage", slug="", price=70)
    massage.refresh_from_db()
    assert (massage.name, massage.slug, list(massage.staff.all())) == ("Deep massage", "deep-massage", [omar])


def test_it_duplicates_offline_with_questions_but_no_schedule():
    nina = factories.staff_member("Nina")
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=10)
    factories.question(yoga, "Any injuries?", required=True)
    factories.class_schedule(yoga, nina, starts_on=date.today(), count=3)
    copy = catalog.duplicate_service(service=yoga)
    assert copy.name == "Yoga (copy)" and copy.slug == "yoga-copy" and not copy.is_online
    assert [(q.label, q.is_required) for q in copy.questions.all()] == [("Any injuries?", True)]
    assert list(copy.staff.all()) == [nina]
    assert not copy.schedules.exists()


def test_it_archives_and_restores_without_touching_bookings():
    nina = factories.staff_member("Nina")
    massage = factories.service("Massage", staff=[nina])
    session = factories.session(massage, nina, factories.local(factories.next_weekday(0), "10:00"))
    booking = factories.booking(session, factories.client("Alice"))
    catalog.archive_service(service=massage)
    assert Service.objects.get(pk=massage.pk).is_archived
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    catalog.restore_service(service=massage)
    assert not Service.objects.get(pk=massage.pk).is_archived


def test_it_saves_the_questions_in_order_and_drops_the_missing_ones():
    massage = factories.service("Massage")
    first = factories.question(massage, "Pressure?")
    gone = factories.question(massage, "Allergies?")
    catalog.save_questions(
        service=massage,
        questions=[
            QuestionDraft(label="Which oil?", kind="choice", choices="Lavender\nAlmond"),
            QuestionDraft(label="Pressure?", kind="text", question_id=first.pk, is_required=True),
        ],
    )
    labels = [(q.label, q.position, q.is_required) for q in massage.questions.all()]
    assert labels == [("Which oil?", 0, False), ("Pressure?", 1, True)]
    assert not massage.questions.filter(pk=gone.pk).exists()


def test_it_creates_the_sessions_of_a_new_weekly_rule():
    factories.business(max_advance_days=60)
    nina = factories.staff_member("Nina")
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, capacity=12)
    first = factories.next_weekday(0)
    schedule, created = catalog.save_class_schedule(
        service=yoga,
        staff=nina,
        weekdays=["MO", "WE"],
        start_time=time(18),
        starts_on=first,
        count=4,
    )
    assert created == 4
    starts = list(Session.objects.filter(schedule=schedule).values_list("start", flat=True))
    assert starts[0] == datetime.combine(first, time(18), tzinfo=ZoneInfo("Europe/Paris"))
    assert all(session.capacity == 12 for session in Session.objects.filter(schedule=schedule))


@pytest.mark.parametrize(
    ("kind", "ends"),
    [
        (ServiceKind.APPOINTMENT, {"count": 2}),
        (ServiceKind.CLASS, {"count": 2, "until": date(2031, 1, 1)}),
        (ServiceKind.COURSE, {}),
    ],
)
def test_it_refuses_a_rule_that_cannot_be(kind, ends):
    nina = factories.staff_member("Nina")
    service = factories.service("Thing", kind=kind, capacity=1 if kind == "appointment" else 5)
    with pytest.raises(CatalogError):
        catalog.save_class_schedule(
            service=service, staff=nina, weekdays=["MO"], start_time=time(9), starts_on=date.today(), **ends
        )
    assert not ClassSchedule.objects.exists()


def test_it_refuses_a_rule_without_weekdays():
    yoga = factories.service("Yoga", kind=ServiceKind.CLASS, capacity=5)
    with pytest.raises(CatalogError):
        catalog.save_class_schedule(
            service=yoga,
            staff=factories.staff_member(),
            weekdays=[],
            start_time=time(9),
            starts_on=date.today(),
        )


def test_it_creates_and_updates_a_staff_member():
    nina = catalog.create_staff_member(name="Nina", email="nina@studio.test", color="#ff0000")
    catalog.update_staff_member(staff_member=nina, name="Nina K.", is_active=False)
    nina.refresh_from_db()
    assert (nina.name, nina.color, nina.is_active) == ("Nina K.", "#ff0000", False)


def test_it_invites_a_staff_member_with_an_unusable_password():
    nina = catalog.create_staff_member(name="Nina", email="Nina@Studio.test")
    user = catalog.invite_staff_member(staff_member=nina)
    assert user.email == "nina@studio.test" and not user.has_usable_password()
    assert user.groups.filter(name=STAFF).exists()
    nina.refresh_from_db()
    assert nina.user == user


def test_it_links_the_existing_account_of_that_email(sam):
    nina = catalog.create_staff_member(name="Sam", email="SAM@studio.test")
    assert catalog.invite_staff_member(staff_member=nina) == sam
    assert sam.has_usable_password()


def test_it_refuses_to_invite_without_an_email_or_twice_for_one_account(sam):
    with pytest.raises(CatalogError):
        catalog.invite_staff_member(staff_member=catalog.create_staff_member(name="Nina"))
    catalog.invite_staff_member(staff_member=catalog.create_staff_member(name="Sam", email=sam.email))
    with pytest.raises(CatalogError):
        catalog.invite_staff_member(staff_member=catalog.create_staff_member(name="Sam 2", email=sam.email))
    assert Group.objects.get(name=STAFF).user_set.count() == 1


def test_it_replaces_the_working_hours_with_a_split_day():
    nina = factories.staff_member("Nina")
    catalog.replace_working_hours(
        staff_member=nina,
        intervals=[
            Interval(1, time(14), time(18)),
            Interval(1, time(9), time(12)),
        ],
    )
    assert list(WorkingHours.objects.filter(staff=nina).values_list("weekday", "start", "end")) == [
        (1, time(9), time(12)),
        (1, time(14), time(18)),
    ]


@pytest.mark.parametrize(
    "intervals",
    [
        [Interval(0, time(12), time(9))],
        [Interval(0, time(9), time(13)), Interval(0, time(12), time(18))],
    ],
)
def test_it_keeps_the_old_hours_when_the_new_ones_are_wrong(intervals):
    nina = factories.staff_member("Nina")
    with pytest.raises(CatalogError):
        catalog.replace_working_hours(staff_member=nina, intervals=intervals)
    assert WorkingHours.objects.filter(staff=nina).count() == 5


def test_it_adds_and_removes_a_date_override():
    nina = factories.staff_member("Nina")
    override = catalog.add_date_override(
        staff_member=nina, date=date(2030, 5, 4), start=time(10), end=time(14)
    )
    assert nina.date_overrides.count() == 1
    catalog.remove_date_override(date_override=override)
    assert not nina.date_overrides.exists()
    with pytest.raises(CatalogError):
        catalog.add_date_override(staff_member=nina, date=date(2030, 5, 4), start=time(14), end=time(10))


def test_it_adds_and_removes_time_off():
    nina = factories.staff_member("Nina")
    start = factories.local(date(2030, 5, 4), "09:00")
    time_off = catalog.add_time_off(
        staff_member=nina, start=start, end=start + timedelta(days=2), reason="Holiday"
    )
    assert nina.time_off.get().reason == "Holiday"
    catalog.remove_time_off(time_off=time_off)
    assert not nina.time_off.exists()
    with pytest.raises(CatalogError):
        catalog.add_time_off(staff_member=nina, start=start, end=start)


def test_it_copies_every_setting_of_the_service():
    massage = factories.service("Massage", description="Warm oil", buffer_after_minutes=15, price=80)
    copy = catalog.duplicate_service(service=massage)
    assert (copy.kind, copy.description, copy.buffer_after_minutes, copy.price) == (
        "appointment",
        "Warm oil",
        15,
        80,
    )
