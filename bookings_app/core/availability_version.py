"""The availability version's triggers, and reading its token.

Every table free slots read has triggers that write a new random token into
``AvailabilityVersion`` (pk 1) in the writer's own transaction. The triggers live in the
database rather than in the services because a missed invalidation is the one bug the slot
cache must never have: ``QuerySet.update()``, ``bulk_create``, the admin, fixtures and raw SQL
all bypass Python-side hooks, none bypasses a trigger. They are (re)installed after every
``migrate`` (``install``, connected in ``BookingsConfig.ready``): SQLite drops a table's
triggers when a migration rebuilds the table, and installing is idempotent.

On SQLite (one writer at a time anyway) each write stores a new random token in the version row.
On PostgreSQL a shared row would serialise every availability write and could deadlock two
transactions that each hold one session's lock (a move wanting the session a booking holds,
while that booking waits for the row): there each writing statement inserts a row with a random
number into an append-only change table instead, which nobody waits for, and the version is the
sum of the numbers of every change committed. Snapshots of later moments see supersets of the
committed changes, so two readers who see the same sum see the same data; the numbers are
random so that a rolled-back change, seen only inside its own transaction, never makes a sum a
later committed state reaches again. ``prune_changes`` (beat) folds old rows into a running
total in one statement, which keeps the sum, and the summing, small.
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
_TOKEN_FUNCTION = "rendez_availability_token"


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


CHANGES_TABLE = "rendez_availability_change"
FOLDED_TABLE = "rendez_availability_folded"


def _postgresql_statements() -> list[str]:
    statements = [
        f"CREATE TABLE IF NOT EXISTS {CHANGES_TABLE} (id bigserial PRIMARY KEY, "
        f"mark bigint NOT NULL DEFAULT floor(random() * 9e15)::bigint)",
        f"CREATE TABLE IF NOT EXISTS {FOLDED_TABLE} (id integer PRIMARY KEY, changes numeric NOT NULL)",
        f"INSERT INTO {FOLDED_TABLE} (id, changes) VALUES ({ROW}, 0) ON CONFLICT (id) DO NOTHING",
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {CHANGES_TABLE} DEFAULT VALUES; RETURN NULL; END $$",
        # PL/pgSQL keeps its statements' plans for the connection: reading the token through
        # this function costs about half as much as sending the query (0.14 against 0.33 ms).
        f"CREATE OR REPLACE FUNCTION {_TOKEN_FUNCTION}() RETURNS text LANGUAGE plpgsql STABLE AS $$ "
        f"BEGIN RETURN (SELECT v.token || ':' || (f.changes + "
        f"(SELECT coalesce(sum(mark), 0) FROM {CHANGES_TABLE})) "
        f"FROM {VERSION_TABLE} v, {FOLDED_TABLE} f WHERE v.id = {ROW} AND f.id = {ROW}); END $$",
    ]
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}",
            f"CREATE TRIGGER {trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()",
        ]
    return statements


def install(sender=None, using: str = "default", **kwargs) -> None:
    """The version row and the triggers on every table in ``TABLES``; safe to run again.

    On PostgreSQL it also folds the changes so far: ``flush`` ends with this signal too, and a
    test run's flushes and transactional tests would otherwise leave tens of thousands of change
    rows for every read of the version to add up."""
    connection = connections[using]
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}[connection.vendor]()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(f"SELECT 1 FROM {VERSION_TABLE} WHERE id = %s", [ROW])
        if cursor.fetchone() is None:
            insert = f"INSERT INTO {VERSION_TABLE} (id, token) VALUES (%s, %s)"
            cursor.execute(insert, [ROW, secrets.token_hex(16)])
    prune_changes(using)


def current_token(using: str = "default") -> str | None:
    """The committed version, or None when the row is missing (a database just flushed): then
    nothing may be cached. One statement, so one snapshot, on PostgreSQL (a ``STABLE``
    function's query sees its caller's)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        query, params = f"SELECT {_TOKEN_FUNCTION}()", []
    else:
        query, params = f"SELECT token FROM {VERSION_TABLE} WHERE id = %s", [ROW]
    with connection.cursor() as cursor:  # on every public slot page: no ORM on the way
        cursor.execute(query, params)
        row = cursor.fetchone()
    return row[0] if row else None


def prune_changes(using: str = "default") -> int:
    """PostgreSQL: fold the committed change rows into the running total, in one statement (the
    total and the rows a reader counts change together); the rows folded. Nothing on SQLite."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            f"WITH folded AS (DELETE FROM {CHANGES_TABLE} RETURNING mark) "
            f"UPDATE {FOLDED_TABLE} SET changes = changes + (SELECT coalesce(sum(mark), 0) FROM folded) "
            f"WHERE id = %s RETURNING (SELECT count(*) FROM folded)",
            [ROW],
        )
        row = cursor.fetchone()
    return row[0] if row else 0
