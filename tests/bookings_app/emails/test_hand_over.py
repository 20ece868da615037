"""bookings_app.core.hand_over: work reaches the workers by task name, and only once committed."""

import threading
from contextlib import suppress

import pytest
from celery import current_app
from django.db import transaction

from bookings_app.core import hand_over
from bookings_app.models import EmailStatus, OutgoingEmail
from tests import factories
from tests.support.redis_outage import silent_redis
from tests.support.workers import celery_worker, wait_until

SEND_EMAIL = "bookings_app.tasks.send_email"


class Refused(Exception):
    pass


def stored_email() -> OutgoingEmail:
    factories.business(name="Studio Lumen")
    return OutgoingEmail.objects.create(
        kind="automation", dedupe_key="hand-over", to="carla@client.test", subject="Hello", body_text="Hi"
    )


@pytest.mark.django_db(transaction=True)
def test_a_task_handed_over_after_commit_reaches_a_real_worker(monkeypatch):
    email = stored_email()

    with celery_worker() as queue:
        monkeypatch.setitem(current_app.conf, "task_default_queue", queue)
        with transaction.atomic():
            hand_over.after_commit(SEND_EMAIL, email.pk)
        assert wait_until(
            lambda: OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT, timeout=60
        )


@pytest.mark.django_db(transaction=True)
def test_it_publishes_only_once_committed_and_nothing_on_rollback(handed_over):
    with suppress(Refused), transaction.atomic():
        hand_over.after_commit(SEND_EMAIL, 1)
        raise Refused
    with transaction.atomic():
        hand_over.after_commit(SEND_EMAIL, 2)
        assert handed_over == {}

    assert handed_over == {SEND_EMAIL: [2]}


def test_with_the_broker_refusing_it_says_so_and_raises_nothing(caplog, monkeypatch):
    app = current_app._get_current_object()
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)

    assert hand_over.send_now(SEND_EMAIL, 3) is False
    assert "could not hand bookings_app.tasks.send_email(3,) to the workers" in caplog.text


def test_a_hung_result_backend_does_not_hold_the_hand_over(monkeypatch):
    """Sent by name, a task keeps no result, so the backend (here a Redis that never answers)
    is not even asked: publishing to the broker is all a request waits for."""
    app = current_app._get_current_object()
    with silent_redis() as url:
        monkeypatch.setattr(app.conf, "result_backend", url)
        monkeypatch.setattr(app, "_local", threading.local())  # where Celery keeps its backend
        sent = []
        sender = threading.Thread(target=lambda: sent.append(hand_over.send_now(SEND_EMAIL, 4)), daemon=True)
        sender.start()
        sender.join(timeout=10)

    assert sent == [True]
