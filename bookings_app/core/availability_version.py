"""The availability version's triggers, and reading its token.

Every table free slots read has triggers that write a new random token into
``AvailabilityVersion`` (pk 1) in the writer's own transaction. The triggers live in the
database rather than in the services because a missed invalidation is the one bug the slot
cache must never have: ``QuerySet.update()``, ``bulk_create``, the admin, fixtures and raw SQL
all bypass Python-side hooks, none bypasses a trigger. They are (re)installed after every
``migrate`` (``install``, connected in ``BookingsConfig.ready``): SQLite drops a table's
triggers when a migration rebuilds the table, and installing is idempotent.

A writer holds the version row's lock from its first availability write to its commit, so
such writes queue behind one another on PostgreSQL; they are short transactions.
"""

import secrets

from django.db import connections, transaction

# Every table ``free_slots`` reads (tests/bookings_app/test_availability_version.py checks
# this list against the queries free_slots makes).
TABLES = (
    "bookings_app_business",
    "bookings_app_service",
    "bookings_app_service_staff",
    "bookings_app_staffmember",
    "bookings_app_workinghours",
    "bookings_app_dateoverride",
    "bookings_app_timeoff",
    "bookings_app_busytime",
    "bookings_app_session",
)
VERSION_TABLE = "bookings_app_availabilityversion"
ROW = 1
_FUNCTION = "rendez_new_availability_version"


def trigger_name(table: str, event: str = "") -> str:
    return f"rendez_availability_{table}{'_' + event if event else ''}"


def _sqlite_statements() -> list[str]:
    new_token = f"UPDATE {VERSION_TABLE} SET token = lower(hex(randomblob(16))) WHERE id = {ROW};"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {trigger_name(table, event.lower())} AFTER {event} ON {table} "
        f"FOR EACH ROW BEGIN {new_token} END"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def _postgresql_statements() -> list[str]:
    statements = [
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE {VERSION_TABLE} SET token = md5(random()::text || clock_timestamp()::text) "
        f"WHERE id = {ROW}; RETURN NULL; END $$"
    ]
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}",
            f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()",
        ]
    return statements


def install(sender=None, using: str = "default", **kwargs) -> None:
    """The version row and the triggers on every table in ``TABLES``; safe to run again."""
    connection = connections[using]
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}[connection.vendor]()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(f"SELECT 1 FROM {VERSION_TABLE} WHERE id = %s", [ROW])
        if cursor.fetchone() is None:
            insert = f"INSERT INTO {VERSION_TABLE} (id, token) VALUES (%s, %s)"
            cursor.execute(insert, [ROW, secrets.token_hex(16)])


def current_token(using: str = "default") -> str | None:
    """The committed token, or None when the row is missing (a database just flushed): then
    nothing may be cached."""
    with connections[using].cursor() as cursor:  # on every public slot page: no ORM on the way
        cursor.execute(f"SELECT token FROM {VERSION_TABLE} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return row[0] if row else None
