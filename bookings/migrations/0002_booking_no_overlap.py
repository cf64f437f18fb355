"""Double booking made impossible in the database (PostgreSQL): no two active bookings of one
expert may overlap. Active = pending_payment or confirmed (Booking.ACTIVE_STATUSES).

Declared in SQL rather than in Booking.Meta because the model is shared with SQLite (the
embedded default), which has no exclusion constraints; there the services' lock on the expert
row plus SQLite's single writer keep the same promise. Both operations no-op off PostgreSQL.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "booking_expert_no_overlap"  # bookings.models.NO_OVERLAP_CONSTRAINT


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that runs only on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        # btree_gist lets a GiST index compare expert_id with "=" next to the range "&&".
        BtreeGistExtension(),
        PostgresOnlySQL(
            sql=f"""
                ALTER TABLE bookings_booking ADD CONSTRAINT {CONSTRAINT}
                EXCLUDE USING gist (expert_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
                WHERE (status IN ('pending_payment', 'confirmed'));
            """,
            reverse_sql=f"ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT};",
        ),
    ]
