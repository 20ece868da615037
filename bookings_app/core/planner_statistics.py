"""The query planner's statistics on the embedded default.

PostgreSQL's autovacuum keeps its statistics up to date. SQLite has none until someone runs
ANALYZE, and without them it may sort the bookings list over every booking instead of walking an
index. Beat asks every hour; ``analysis_limit`` samples each index instead of reading it whole,
so the write lock it takes lasts milliseconds, not seconds, on a large database.
"""

from django.db import connections

ROWS_SAMPLED = 1000


def refresh_planner_statistics(using: str = "default") -> bool:
    """Let SQLite refresh the statistics it lacks or that went stale; False on PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ROWS_SAMPLED}")
        cursor.execute("ANALYZE")
    return True
