"""The approvals' studio: a therapy that needs the owner's approval."""

from datetime import date, timedelta

import pytest

from tests import factories as f


@pytest.fixture
def studio(db):
    """Therapy needs approval and lets several clients ask for the same slot; Nina and Omar give it."""
    f.business(time_zone="Europe/Paris")
    every_day = {d: [("09:00", "17:00")] for d in range(7)}
    nina, omar = f.staff_member("Nina", hours=every_day), f.staff_member("Omar", hours=every_day)
    therapy = f.service("Therapy", staff=[nina, omar], requires_approval=True, shared_requests=True)
    f.question(therapy, "First visit?", kind="yes_no")
    return {"nina": nina, "omar": omar, "therapy": therapy, "day": date.today() + timedelta(days=3)}
