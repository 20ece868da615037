"""Reports of one message arriving at the same moment (pixel loads, provider retries) count it once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from automations.email_tracking import record_tracking
from automations.models import AutomationMessage, MessageEvent, Tracking

REPORTS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_make_one_event_with_every_report_counted(alices_message):
    gate = threading.Barrier(REPORTS)

    def report(_number: int) -> bool:
        try:
            gate.wait(timeout=30)
            return record_tracking(message=alices_message, kind=Tracking.OPENED)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=REPORTS) as pool:
        firsts = list(pool.map(report, range(REPORTS)))

    assert firsts.count(True) == 1
    event = MessageEvent.objects.get(message=alices_message, kind=Tracking.OPENED)
    assert event.count == REPORTS
    assert AutomationMessage.objects.get(pk=alices_message.pk).opened_at == event.first_at
