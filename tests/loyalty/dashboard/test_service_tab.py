"""The Loyalty tab of a service: connect it to the program with its points per booking."""

from bookings_app.models import ServiceKind
from loyalty.models import ServicePoints
from tests import factories as f


def tab_url(service) -> str:
    return f"/dashboard/services/{service.pk}/?tab=loyalty"


def test_it_shows_the_tab_on_the_service_page(as_olivia, program, yoga):
    page = as_olivia.get(tab_url(yoga)).content.decode()

    assert "Connect this service to the loyalty program" in page
    assert 'value="10"' in page


def test_it_connects_a_service_with_its_points(as_olivia, program, nina):
    pilates = f.service("Pilates", kind=ServiceKind.CLASS, staff=[nina], capacity=12)

    response = as_olivia.post(tab_url(pilates), {"earns_points": "on", "points": "15"})

    assert response.status_code == 302
    assert ServicePoints.objects.get(service=pilates).points == 15


def test_it_asks_for_the_points_when_connecting_without_them(as_olivia, program, nina):
    pilates = f.service("Pilates", staff=[nina])

    response = as_olivia.post(tab_url(pilates), {"earns_points": "on", "points": ""})

    assert response.status_code == 400
    assert "Enter how many points each booking earns." in response.content.decode()
    assert not ServicePoints.objects.filter(service=pilates).exists()


def test_it_refuses_zero_points(as_olivia, program, yoga):
    response = as_olivia.post(tab_url(yoga), {"earns_points": "on", "points": "0"})

    assert response.status_code == 400
    assert ServicePoints.objects.get(service=yoga).points == 10


def test_it_disconnects_a_service_and_keeps_its_number(as_olivia, program, yoga):
    as_olivia.post(tab_url(yoga), {"points": "10"})

    connection = ServicePoints.objects.get(service=yoga)
    assert not connection.is_enabled and connection.points == 10


def test_it_warns_on_the_tab_while_the_program_is_off(as_olivia, studio, yoga):
    assert "The loyalty program is off" in as_olivia.get(tab_url(yoga)).content.decode()
