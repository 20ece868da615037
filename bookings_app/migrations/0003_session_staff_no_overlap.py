"""PostgreSQL only: one staff member's scheduled sessions never overlap (buffers included).

SQLite has no exclusion constraints; there the booking service's check inside an IMMEDIATE
transaction (one writer at a time) is the guard. Needs the btree_gist extension for the
equality on ``staff_id``.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_app_session ADD CONSTRAINT session_staff_no_overlap
    EXCLUDE USING gist (staff_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&)
    WHERE (status = 'scheduled');
"""
DROP = "ALTER TABLE bookings_app_session DROP CONSTRAINT IF EXISTS session_staff_no_overlap;"


def _on_postgres(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookings_app", "0002_booking_core")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
