"""Reports of one message arriving at the same moment (pixel loads, provider retries) count it once."""

import pytest

from automations.email_tracking import record_tracking
from automations.models import AutomationMessage, MessageEvent, Tracking
from tests.support.races import race

REPORTS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_make_one_event_with_every_report_counted(alices_message):
    firsts = race(lambda _: record_tracking(message=alices_message, kind=Tracking.OPENED), range(REPORTS))

    assert firsts.count(True) == 1
    event = MessageEvent.objects.get(message=alices_message, kind=Tracking.OPENED)
    assert event.count == REPORTS
    assert AutomationMessage.objects.get(pk=alices_message.pk).opened_at == event.first_at
