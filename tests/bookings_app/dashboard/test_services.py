"""Dashboard: the owner's services — list, create, edit tabs, duplicate, archive."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings_app.models import Service, ServiceKind, Session, StaffMember
from bookings_app.plug_ins.service_tabs import register_service_tab, service_tabs_for, unregister_service_tab
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def nina() -> StaffMember:
    return factories.staff_member("Nina")


@pytest.fixture
def yoga(nina) -> Service:
    return factories.service("Yoga", kind=ServiceKind.CLASS, staff=[nina], capacity=12)


@pytest.fixture
def owner_client(client, olivia):
    client.force_login(olivia)
    return client


def _urls(service: Service) -> list[tuple[str, str]]:
    return [
        ("get", reverse("dashboard:services")),
        ("get", reverse("dashboard:service_new")),
        ("get", reverse("dashboard:service", args=[service.pk])),
        ("get", reverse("dashboard:service_archive", args=[service.pk])),
        ("get", reverse("dashboard:service_restore", args=[service.pk])),
        ("post", reverse("dashboard:service_duplicate", args=[service.pk])),
    ]


def test_it_sends_anonymous_visitors_to_the_sign_in(client, yoga):
    for method, url in _urls(yoga):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/"), url


@pytest.mark.parametrize(("person", "status"), [("carla", 403), ("sam", 403)])
def test_it_forbids_clients_and_staff(client, request, yoga, person, status):
    client.force_login(request.getfixturevalue(person))
    for method, url in _urls(yoga):
        assert getattr(client, method)(url).status_code == status, url


def test_it_opens_every_page_for_the_owner(owner_client, yoga):
    for method, url in _urls(yoga):
        assert getattr(owner_client, method)(url).status_code in (200, 302), url
    assert owner_client.get(reverse("dashboard:service", args=[yoga.pk]) + "?tab=schedule").status_code == 200


def test_it_lists_services_with_their_kind_price_staff_and_badge(owner_client, yoga):
    factories.service("Massage", is_online=False)
    response = owner_client.get(reverse("dashboard:services"))
    page = response.content.decode()
    assert (
        "Yoga" in page and "Nina" in page and "Online" in page and "Offline" in page and "50.00 EUR" in page
    )


def test_it_searches_by_name_and_filters_by_kind(owner_client, yoga):
    factories.service("Massage")
    factories.service("Yoga for beginners", kind=ServiceKind.COURSE, capacity=6, slug="yoga-b")
    names = lambda response: [s.name for s in response.context["page"].object_list]  # noqa: E731
    assert names(owner_client.get(reverse("dashboard:services"), {"q": "yoga"})) == [
        "Yoga",
        "Yoga for beginners",
    ]
    assert names(owner_client.get(reverse("dashboard:services"), {"kind": "course"})) == [
        "Yoga for beginners"
    ]


def test_it_hides_archived_services_unless_asked(owner_client, yoga):
    factories.service("Old massage", is_archived=True)
    assert "Old massage" not in owner_client.get(reverse("dashboard:services")).content.decode()
    assert (
        "Old massage" in owner_client.get(reverse("dashboard:services"), {"archived": "1"}).content.decode()
    )


def test_it_answers_a_search_typed_with_htmx_with_the_results_only(owner_client, yoga):
    response = owner_client.get(reverse("dashboard:services"), {"q": "yo"}, headers={"HX-Request": "true"})
    assert b'id="service-results"' in response.content and b"<html" not in response.content


@pytest.mark.parametrize("count", [10, 1000])
def test_it_lists_a_page_in_the_same_number_of_queries(owner_client, django_assert_num_queries, nina, count):
    factories.business()
    Service.objects.bulk_create(Service(name=f"Service {n:04}", slug=f"service-{n}") for n in range(count))
    Service.staff.through.objects.bulk_create(
        Service.staff.through(service_id=pk, staffmember_id=nina.pk)
        for pk in Service.objects.values_list("pk", flat=True)
    )
    # session, user, groups, business, count, page, staff of the page
    with django_assert_num_queries(7):
        response = owner_client.get(reverse("dashboard:services"))
    assert len(response.context["page"].object_list) == min(count, 25)


def test_it_asks_for_the_kind_first(owner_client):
    response = owner_client.get(reverse("dashboard:service_new"))
    assert b"?kind=class" in response.content and b'<form method="post"' not in response.content


def test_it_creates_a_class_and_opens_its_schedule(owner_client, nina):
    response = owner_client.post(
        reverse("dashboard:service_new") + "?kind=class",
        {
            "name": "Pilates",
            "slug": "",
            "duration_minutes": 50,
            "price": "18",
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 10,
            "capacity": 8,
            "staff": [nina.pk],
            "is_online": "on",
        },
    )
    pilates = Service.objects.get(name="Pilates")
    assert response["Location"] == reverse("dashboard:service", args=[pilates.pk]) + "?tab=schedule"
    assert (pilates.kind, pilates.slug, pilates.capacity, list(pilates.staff.all())) == (
        "class",
        "pilates",
        8,
        [nina],
    )


def test_it_shows_errors_next_to_the_fields_with_400(owner_client):
    response = owner_client.post(
        reverse("dashboard:service_new") + "?kind=appointment", {"name": "", "price": "-1"}
    )
    assert response.status_code == 400
    assert b"field--invalid" in response.content and not Service.objects.exists()


def test_it_has_no_capacity_field_for_an_appointment(owner_client):
    massage = factories.service("Massage")
    response = owner_client.get(reverse("dashboard:service", args=[massage.pk]))
    assert b'name="capacity"' not in response.content
    assert [tab.key for tab in response.context["tabs"]][:2] == ["details", "questions"]


def test_it_saves_the_details_tab(owner_client, yoga, nina):
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=details"
    response = owner_client.post(
        url,
        {
            "name": "Yoga flow",
            "slug": "",
            "description": "Gentle",
            "duration_minutes": 75,
            "price": "20",
            "buffer_before_minutes": 5,
            "buffer_after_minutes": 5,
            "capacity": 15,
            "staff": [],
        },
    )
    assert response.status_code == 302
    yoga.refresh_from_db()
    assert (yoga.name, yoga.slug, yoga.capacity, yoga.is_online, yoga.staff.count()) == (
        "Yoga flow",
        "yoga-flow",
        15,
        False,
        0,
    )


def test_it_switches_tabs_with_htmx_and_with_plain_links(owner_client, yoga):
    url = reverse("dashboard:service", args=[yoga.pk])
    partial = owner_client.get(url + "?tab=questions", headers={"HX-Request": "true"})
    assert b'id="service-tab"' in partial.content and b"<html" not in partial.content
    assert partial["Vary"].count("HX-Request")
    full = owner_client.get(url + "?tab=questions")
    assert b"<html" in full.content and b"Save booking form" in full.content


def test_it_generates_the_sessions_of_a_weekly_rule_and_says_how_many(owner_client, yoga, nina):
    factories.business(max_advance_days=60)
    first = factories.next_weekday(1)
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=schedule"
    response = owner_client.post(
        url,
        {
            "weekdays": ["TU", "TH"],
            "start_time": "18:30",
            "starts_on": first.isoformat(),
            "count": 6,
            "staff": nina.pk,
            "capacity": "",
        },
        follow=True,
    )
    assert Session.objects.filter(service=yoga).count() == 6
    assert "6 sessions created" in response.content.decode()
    assert response.content.decode().count('class="session-table"') == 1


def test_it_refuses_a_rule_with_both_ends(owner_client, yoga, nina):
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=schedule"
    response = owner_client.post(
        url,
        {
            "weekdays": ["MO"],
            "start_time": "09:00",
            "starts_on": "2030-01-07",
            "until": "2030-02-01",
            "count": 3,
            "staff": nina.pk,
        },
    )
    assert response.status_code == 400 and b"not both" in response.content
    assert not Session.objects.exists()


def test_it_saves_the_booking_form_questions(owner_client, yoga):
    injuries = factories.question(yoga, "Any injuries?")
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=questions"
    response = owner_client.post(
        url,
        {
            "questions-TOTAL_FORMS": 2,
            "questions-INITIAL_FORMS": 1,
            "questions-0-question_id": injuries.pk,
            "questions-0-label": "Injuries?",
            "questions-0-kind": "text",
            "questions-0-ORDER": 2,
            "questions-0-is_required": "on",
            "questions-1-label": "Mat?",
            "questions-1-kind": "choice",
            "questions-1-choices": "Own\nRent",
            "questions-1-ORDER": 1,
        },
    )
    assert response.status_code == 302
    assert [(q.label, q.is_required) for q in yoga.questions.all()] == [("Mat?", False), ("Injuries?", True)]


def test_it_removes_a_question_and_checks_choices(owner_client, yoga):
    injuries = factories.question(yoga, "Any injuries?")
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=questions"
    base = {
        "questions-TOTAL_FORMS": 2,
        "questions-INITIAL_FORMS": 1,
        "questions-0-question_id": injuries.pk,
        "questions-0-label": "Any injuries?",
        "questions-0-kind": "text",
        "questions-0-ORDER": 1,
        "questions-1-kind": "text",
    }
    bad = owner_client.post(url, {**base, "questions-1-label": "Mat?", "questions-1-kind": "choice"})
    assert bad.status_code == 400 and b"at least two choices" in bad.content
    assert owner_client.post(url, {**base, "questions-0-DELETE": "on"}).status_code == 302
    assert not yoga.questions.exists()


def test_it_duplicates_a_service(owner_client, yoga):
    response = owner_client.post(reverse("dashboard:service_duplicate", args=[yoga.pk]))
    copy = Service.objects.get(name="Yoga (copy)")
    assert response["Location"].startswith(reverse("dashboard:service", args=[copy.pk]))
    assert not copy.is_online


def test_it_archives_after_a_confirmation_and_hides_it_from_clients(owner_client, client, yoga):
    confirm = owner_client.get(reverse("dashboard:service_archive", args=[yoga.pk]))
    assert b"Existing bookings" in confirm.content
    yoga.refresh_from_db()
    assert not yoga.is_archived
    owner_client.post(reverse("dashboard:service_archive", args=[yoga.pk]))
    yoga.refresh_from_db()
    assert yoga.is_archived
    assert owner_client.get(reverse("public:service", args=[yoga.slug])).status_code == 404
    owner_client.post(reverse("dashboard:service_restore", args=[yoga.pk]))
    assert not Service.objects.get(pk=yoga.pk).is_archived


def test_it_renders_a_tab_another_app_registers(owner_client, yoga, tmp_path, settings):
    (tmp_path / "extra_tab.html").write_text("<p>Points per visit: {{ points }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    register_service_tab(
        "extra",
        "Extra",
        "extra_tab.html",
        lambda request, service: {"points": 7},
        applies_to=lambda service: service.kind == "class",
        order=40,
    )
    try:
        assert [tab.key for tab in service_tabs_for(yoga)][:4] == [
            "details",
            "schedule",
            "questions",
            "extra",
        ]
        assert "extra" not in [tab.key for tab in service_tabs_for(factories.service("Massage"))]
        response = owner_client.get(reverse("dashboard:service", args=[yoga.pk]) + "?tab=extra")
        assert b"Points per visit: 7" in response.content
    finally:
        unregister_service_tab("extra")


def test_it_shows_404_for_an_unknown_service(owner_client):
    assert owner_client.get(reverse("dashboard:service", args=[999])).status_code == 404


def test_it_lists_the_coming_sessions_of_a_class(owner_client, yoga, nina):
    start = factories.local(factories.next_weekday(2), "18:00")
    factories.session(yoga, nina, start)
    factories.session(yoga, nina, start - timedelta(days=30))
    response = owner_client.get(reverse("dashboard:service", args=[yoga.pk]) + "?tab=schedule")
    assert response.context["session_count"] == 1


def _class_details(**fields) -> dict:
    return {
        "name": "Yoga",
        "slug": "yoga",
        "duration_minutes": 60,
        "price": "20",
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "capacity": 12,
        **fields,
    }


def test_the_owner_turns_a_class_waitlist_on_with_its_length_and_mode(owner_client, yoga):
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=details"
    assert b'name="waitlist_enabled"' in owner_client.get(url).content
    response = owner_client.post(
        url,
        _class_details(waitlist_enabled="on", waitlist_max=4, waitlist_mode="offer", waitlist_offer_hours=3),
    )
    assert response.status_code == 302
    yoga.refresh_from_db()
    assert (yoga.waitlist_enabled, yoga.waitlist_max, yoga.waitlist_mode, yoga.waitlist_offer_hours) == (
        True,
        4,
        "offer",
        3,
    )


def test_booking_waiting_clients_at_once_is_refused_next_to_the_field_when_paid_online(owner_client, yoga):
    url = reverse("dashboard:service", args=[yoga.pk]) + "?tab=details"
    response = owner_client.post(
        url, _class_details(waitlist_enabled="on", waitlist_mode="book", payment_policy="full")
    )
    assert response.status_code == 400
    assert "only when nothing is paid online" in response.context["form"].errors["waitlist_mode"][0]
    yoga.refresh_from_db()
    assert yoga.waitlist_mode == "offer"


def test_appointments_have_no_waitlist_fields(owner_client):
    massage = factories.service("Massage")
    response = owner_client.get(reverse("dashboard:service", args=[massage.pk]))
    assert b'name="waitlist_enabled"' not in response.content
