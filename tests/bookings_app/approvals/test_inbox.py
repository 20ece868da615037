"""The owner's requests inbox, its pending count, and approve / reschedule / decline from it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings_app.models import (
    Booking,
    BookingSource,
    BookingStatus,
    Client,
    OutgoingEmail,
    Service,
    Session,
    SessionStatus,
)
from bookings_app.services.bookings import book_appointment
from bookings_app.services.client_matching import ClientDetails
from bookings_app.services.requests import approve_request, decline_request
from tests import factories as f
from tests.support.approvals import BOB, request_therapy

INBOX = "/dashboard/requests/"
COUNT = "/dashboard/requests/count/"
HTMX = {"HX-Request": "true"}


def _confirmed(studio, *, at: str, staff=None) -> Booking:
    """Someone the owner booked from the dashboard: confirmed at once."""
    return book_appointment(
        service=studio["therapy"],
        start=f.local(studio["day"], at),
        staff=staff or studio["nina"],
        details=ClientDetails(email="zoe@client.test", first_name="Zoé"),
        source=BookingSource.DASHBOARD,
    )


def _many_requests(studio, count: int) -> None:
    """``count`` waiting requests, every other one overlapping a confirmed booking."""
    clients = Client.objects.bulk_create(
        [Client(first_name=f"C{n}", email=f"c{n}@client.test") for n in range(count)]
    )
    therapy, nina = studio["therapy"], studio["nina"]
    starts = [timezone.now() + timedelta(days=2, hours=3 * n) for n in range(count)]
    sessions = Session.objects.bulk_create(
        [
            Session(
                service=therapy,
                staff=nina,
                start=start,
                end=start + therapy.duration,
                blocked_start=start,
                blocked_end=start + therapy.duration,
                status=SessionStatus.TENTATIVE,
            )
            for start in starts
        ]
    )
    Booking.objects.bulk_create(
        [
            Booking(
                session=session,
                service=therapy,
                client=client,
                status=BookingStatus.REQUESTED,
                answers={"First visit?": "yes"},
            )
            for session, client in zip(sessions, clients, strict=True)
        ]
    )
    for start in starts[::2]:
        f.session(therapy, nina, start + timedelta(minutes=30))


def _row_of(response, booking: Booking) -> str:
    page = response.content.decode()
    start = page.index(f'id="request-{booking.pk}"')
    return page[start : page.index("</li>", start)]


# -- the inbox -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 50])
def test_it_lists_waiting_requests_with_the_same_queries_for_1_and_50(
    client, olivia, studio, django_assert_num_queries, count
):
    _many_requests(studio, count)
    client.force_login(olivia)
    # session, user, groups, business, count, page (with the conflict subquery)
    with django_assert_num_queries(6):
        response = client.get(INBOX)
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert len(rows) == min(count, 25)
    assert [row.session.start for row in rows] == sorted(row.session.start for row in rows)
    assert [row.has_conflict for row in rows[:2]] == [True, False][: len(rows)]


def test_it_shows_who_what_when_in_the_business_time_zone_and_the_answers(client, olivia, studio):
    booking = request_therapy(studio, at="10:30", answers={"First visit?": "yes"})
    client.force_login(olivia)
    row = _row_of(client.get(INBOX), booking)
    assert f'href="/dashboard/clients/{booking.client_id}/"' in row and "Alice Martin" in row
    assert "Therapy" in row and "Nina" in row
    assert "10:30" in row  # Paris wall clock, whatever the server's zone
    assert "First visit?" in row and "yes" in row
    assert "ago" in row


def test_it_marks_a_request_that_overlaps_a_confirmed_booking_and_disables_only_approve(
    client, olivia, studio
):
    clashing = request_therapy(studio, at="10:00")
    free = request_therapy(studio, BOB, at="14:00")
    _confirmed(studio, at="10:30")
    client.force_login(olivia)
    response = client.get(INBOX)
    row = _row_of(response, clashing)
    assert "Conflicts with a confirmed booking" in row
    assert "disabled" in row.split("Approve")[0].rsplit("<button", 1)[1]
    assert f"/dashboard/requests/{clashing.pk}/reschedule/" in row
    assert f"/dashboard/requests/{clashing.pk}/decline/" in row
    other = _row_of(response, free)
    assert "Conflicts" not in other and "disabled" not in other


def test_it_does_not_mark_a_confirmed_booking_of_another_staff_member(client, olivia, studio):
    booking = request_therapy(studio, at="10:00")
    _confirmed(studio, at="10:00", staff=studio["omar"])
    client.force_login(olivia)
    assert "Conflicts" not in _row_of(client.get(INBOX), booking)


def test_it_lists_requests_decided_in_the_last_30_days_apart_from_the_waiting_ones(client, olivia, studio):
    approved = approve_request(booking=request_therapy(studio, at="09:00"), by=olivia)
    declined = decline_request(booking=request_therapy(studio, BOB, at="11:00"), by=olivia, notify=False)
    old = decline_request(booking=request_therapy(studio, at="13:00"), by=olivia, notify=False)
    Booking.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=40))
    waiting = request_therapy(studio, BOB, at="15:00")
    client.force_login(olivia)
    assert [row.pk for row in client.get(INBOX).context["page"].object_list] == [waiting.pk]
    response = client.get(INBOX, {"show": "decided"})
    assert {row.pk for row in response.context["page"].object_list} == {approved.pk, declined.pk}
    assert "Approved" in _row_of(response, approved) and "Declined" in _row_of(response, declined)


def test_it_serves_the_results_alone_to_htmx(client, olivia, studio):
    request_therapy(studio)
    client.force_login(olivia)
    response = client.get(INBOX, headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="request-results"') and "<html" not in page


# -- the pending count -----------------------------------------------------------------------------


def test_it_counts_waiting_requests_in_one_query(client, olivia, studio, django_assert_num_queries):
    request_therapy(studio)
    request_therapy(studio, BOB, at="12:00")
    approve_request(booking=request_therapy(studio, at="15:00"), by=olivia)
    client.force_login(olivia)
    with django_assert_num_queries(4):  # session, user, groups — and the count
        response = client.get(COUNT, headers=HTMX)
    assert response.status_code == 200
    assert 'data-count="2"' in response.content.decode()


def test_it_says_no_request_waiting_when_there_is_none(client, olivia, studio):
    client.force_login(olivia)
    page = client.get(COUNT).content.decode()
    assert 'data-count="0"' in page and "badge" not in page


def test_the_navigation_polls_the_count_and_listens_for_changes(client, olivia, studio):
    client.force_login(olivia)
    page = client.get(INBOX).content.decode()
    assert 'hx-get="/dashboard/requests/count/"' in page
    assert 'hx-trigger="load, every 30s, requests-changed from:body"' in page


def test_staff_do_not_see_the_requests_entry(client, sam, studio):
    client.force_login(sam)
    assert "/dashboard/requests/" not in client.get("/dashboard/calendar/").content.decode()


# -- approve ---------------------------------------------------------------------------------------


def test_it_approves_replaces_the_row_and_refreshes_the_count(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    response = client.post(f"/dashboard/requests/{booking.pk}/approve/", headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "requests-changed"
    assert "Approved" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.decided_by == olivia
    assert OutgoingEmail.objects.filter(booking=booking, kind="confirmation").count() == 1


def test_it_redirects_to_the_inbox_without_htmx(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    response = client.post(f"/dashboard/requests/{booking.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == INBOX


def test_approving_twice_is_refused_with_409_and_sends_nothing(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    client.post(f"/dashboard/requests/{booking.pk}/approve/", headers=HTMX)
    sent = OutgoingEmail.objects.count()
    response = client.post(f"/dashboard/requests/{booking.pk}/approve/", headers=HTMX)
    assert response.status_code == 409
    assert "cannot be changed that way any more" in response.content.decode()
    assert OutgoingEmail.objects.count() == sent


def test_approving_a_conflicting_request_is_refused_and_it_keeps_waiting(client, olivia, studio):
    booking = request_therapy(studio)
    _confirmed(studio, at="10:30")
    client.force_login(olivia)
    response = client.post(f"/dashboard/requests/{booking.pk}/approve/")
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


# -- reschedule then approve -----------------------------------------------------------------------


def test_it_offers_the_free_times_and_the_requests_own_time(client, olivia, studio):
    Service.objects.filter(pk=studio["therapy"].pk).update(shared_requests=False)
    booking = request_therapy(studio)
    client.force_login(olivia)
    response = client.get(f"/dashboard/requests/{booking.pk}/reschedule/", headers=HTMX)
    assert response.status_code == 200
    form = response.context["reschedule_form"]
    local_times = [start.strftime("%H:%M") for start in form.slot_starts]
    assert "10:00" in local_times and "09:00" in local_times and "10:30" not in local_times
    assert "(the requested time)" in response.content.decode()
    assert form["notify"].value() is True


def test_it_refreshes_only_the_times_for_another_staff_member_and_day(client, olivia, studio):
    booking = request_therapy(studio)
    _confirmed(studio, at="09:00", staff=studio["omar"])
    client.force_login(olivia)
    day = studio["day"] + timedelta(days=1)
    response = client.get(
        f"/dashboard/requests/{booking.pk}/reschedule/",
        {"staff": studio["omar"].pk, "day": day.isoformat()},
        headers={**HTMX, "HX-Target": f"request-{booking.pk}-slots"},
    )
    page = response.content.decode()
    assert page.lstrip().startswith(f'<fieldset id="request-{booking.pk}-slots"')
    assert "(the requested time)" not in page and "09:00" in page


def test_it_reschedules_with_a_private_note_and_a_message_then_confirms(client, olivia, studio, as_sent):
    booking = request_therapy(studio)
    new_start = f.local(studio["day"], "15:00")
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/requests/{booking.pk}/reschedule/",
        {
            "staff": studio["omar"].pk,
            "day": studio["day"].isoformat(),
            "start": new_start.isoformat(),
            "private_note": "Prefers Omar",
            "notify": "on",
            "message": "See you at three",
        },
        headers=HTMX,
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "requests-changed"
    booking.refresh_from_db()
    moved = (booking.status, booking.session.start, booking.session.staff)
    assert moved == ("confirmed", new_start, studio["omar"])
    assert booking.notes == "Prefers Omar"
    mail = as_sent(OutgoingEmail.objects.get(booking=booking, kind="confirmation"))
    assert "See you at three" in mail.body_text and "Prefers Omar" not in mail.body_text


def test_it_reschedules_without_telling_the_client_when_asked(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/requests/{booking.pk}/reschedule/",
        {
            "staff": studio["nina"].pk,
            "day": studio["day"].isoformat(),
            "start": f.local(studio["day"], "11:00").isoformat(),
        },
    )
    assert response.status_code == 302
    assert not OutgoingEmail.objects.filter(booking=booking, kind="confirmation").exists()


def test_it_refuses_a_time_that_is_not_free_with_400_next_to_the_field(client, olivia, studio):
    booking = request_therapy(studio)
    _confirmed(studio, at="15:00")
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/requests/{booking.pk}/reschedule/",
        {
            "staff": studio["nina"].pk,
            "day": studio["day"].isoformat(),
            "start": f.local(studio["day"], "15:00").isoformat(),
            "notify": "on",
        },
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "This time is not free any more" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert not OutgoingEmail.objects.filter(booking=booking, kind="confirmation").exists()


def test_rescheduling_a_decided_request_is_refused_with_409(client, olivia, studio):
    booking = decline_request(booking=request_therapy(studio), by=olivia, notify=False)
    client.force_login(olivia)
    for method in (client.get, client.post):
        response = method(f"/dashboard/requests/{booking.pk}/reschedule/", headers=HTMX)
        assert response.status_code == 409


# -- decline ---------------------------------------------------------------------------------------


def test_it_asks_before_declining_with_the_e_mail_checked(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    response = client.get(f"/dashboard/requests/{booking.pk}/decline/", headers=HTMX)
    assert response.status_code == 200
    assert "Decline this request?" in response.content.decode()
    assert response.context["decline_form"]["notify"].value() is True
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_it_declines_with_a_message_and_frees_the_time(client, olivia, studio, as_sent):
    booking = request_therapy(studio)
    client.force_login(olivia)
    response = client.post(
        f"/dashboard/requests/{booking.pk}/decline/", {"notify": "on", "message": "Try Tuesday"}, headers=HTMX
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "requests-changed"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED and booking.session.status == SessionStatus.CANCELLED
    assert (
        "Try Tuesday"
        in as_sent(OutgoingEmail.objects.get(booking=booking, kind="request_declined")).body_text
    )


def test_it_declines_silently_when_the_box_is_unchecked(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    assert client.post(f"/dashboard/requests/{booking.pk}/decline/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert not OutgoingEmail.objects.filter(booking=booking, kind="request_declined").exists()


def test_declining_twice_is_refused_and_sends_nothing(client, olivia, studio):
    booking = request_therapy(studio)
    client.force_login(olivia)
    client.post(f"/dashboard/requests/{booking.pk}/decline/", {"notify": "on"}, headers=HTMX)
    sent = OutgoingEmail.objects.count()
    response = client.post(f"/dashboard/requests/{booking.pk}/decline/", {"notify": "on"}, headers=HTMX)
    assert response.status_code == 409 and OutgoingEmail.objects.count() == sent


# -- who may do what -------------------------------------------------------------------------------


def test_a_booking_that_never_was_a_request_is_not_found_here(client, olivia, studio):
    booking = _confirmed(studio, at="10:00")
    client.force_login(olivia)
    assert client.post(f"/dashboard/requests/{booking.pk}/approve/").status_code == 404
    assert client.get("/dashboard/requests/999999/decline/").status_code == 404


ROUTES = [  # (method, address, the owner's status)
    ("get", INBOX, 200),
    ("get", COUNT, 200),
    ("get", "/dashboard/requests/{pk}/approve/", 405),
    ("post", "/dashboard/requests/{pk}/approve/", 302),
    ("get", "/dashboard/requests/{pk}/reschedule/", 200),
    ("post", "/dashboard/requests/{pk}/reschedule/", 400),
    ("get", "/dashboard/requests/{pk}/decline/", 200),
    ("post", "/dashboard/requests/{pk}/decline/", 302),
]


@pytest.mark.parametrize("who, expected", [(None, 302), ("carla", 403), ("sam", 403), ("olivia", None)])
def test_only_the_owner_may_use_the_requests_pages(client, studio, request, who, expected):
    if who:
        client.force_login(request.getfixturevalue(who))
    for hour, (method, address, owner_status) in enumerate(ROUTES, start=9):
        booking = request_therapy(studio, at=f"{hour:02d}:00")
        response = getattr(client, method)(address.format(pk=booking.pk))
        assert response.status_code == (expected or owner_status), (method, address)
        if expected == 302:
            assert response["Location"].startswith("/dashboard/login/")
    if who != "olivia":
        assert not Booking.objects.exclude(status=BookingStatus.REQUESTED).exists()
