"""PostgreSQL: open earlier-time notices of one staff member never overlap in time.

The unique constraint on (start, service, staff) stops two transactions telling two clients of
the same slot; a freed hour holds several slots with different starts (a 45-minute service every
15 minutes), and two transactions freeing it at once could each tell one client of one of them.
Told one after the other, the second finds the first's span taken (``_open_spans``); this makes
the database refuse the second at the same moment too. SQLite lets one writer in at a time.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_app_earliertimenotice ADD CONSTRAINT earlier_notice_no_overlap
    EXCLUDE USING gist (staff_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status = 'sent');
"""
DROP = "ALTER TABLE bookings_app_earliertimenotice DROP CONSTRAINT IF EXISTS earlier_notice_no_overlap;"


def _on_postgres(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookings_app", "0028_client_plan_refund")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
