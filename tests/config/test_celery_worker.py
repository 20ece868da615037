"""A real worker process takes a task from the configured broker and runs it."""

from django.conf import settings

from config.tasks import ping
from tests.support.workers import celery_worker


def test_a_worker_runs_a_task_end_to_end_on_the_configured_broker(transactional_db):
    with celery_worker() as queue:
        result = ping.apply_async(queue=queue)
        assert result.get(timeout=60) == "pong"
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert settings.CELERY_BROKER_URL.startswith(expected)
