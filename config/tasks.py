from celery import shared_task
from django.db import connection


@shared_task(ignore_result=False)
def ping() -> str:
    """Proves a worker is alive and reaches the database; the health tests call it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return "pong" if one == 1 else "database answered oddly"
