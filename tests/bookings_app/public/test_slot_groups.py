"""On the service page the day's free times come under Morning, Afternoon and Evening."""

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db

MONDAY = make.next_weekday(0, after=make.next_weekday(0))


@pytest.fixture
def massage():
    make.business(time_zone="Europe/Paris", slot_step_minutes=60)
    nina = make.staff_member("Nina", hours={0: [("08:00", "20:00")]})
    return make.service("Massage", staff=[nina])


def parts_of(page: str) -> list[str]:
    return [chunk.split("</h4>")[0] for chunk in page.split('<h4 class="slots__part">')[1:]]


def test_it_groups_the_day_s_times_by_part_of_the_day(client, massage):
    page = client.get(
        massage.get_absolute_url(),
        {"day": MONDAY.isoformat()},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert parts_of(page) == ["Morning", "Afternoon", "Evening"]
    morning, afternoon, evening = page.split('<h4 class="slots__part">')[1:]
    assert "11:00" in morning and "12:00" not in morning
    assert "12:00" in afternoon and "16:00" in afternoon and "17:00" not in afternoon
    assert "17:00" in evening and "19:00" in evening


def test_it_leaves_out_a_part_of_the_day_without_times(client, db):
    make.business(time_zone="Europe/Paris", slot_step_minutes=60)
    omar = make.staff_member("Omar", hours={0: [("13:00", "16:00")]})
    facial = make.service("Facial", staff=[omar])

    page = client.get(
        facial.get_absolute_url(),
        {"day": MONDAY.isoformat()},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert parts_of(page) == ["Afternoon"]
