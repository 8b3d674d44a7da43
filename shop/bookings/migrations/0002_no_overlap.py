"""A practitioner's active bookings never overlap (buffers included), on PostgreSQL.

An exclusion constraint on (practitioner, [start, blocked_until)) for bookings
not cancelled, with btree_gist for the equality on the practitioner. SQLite
(`make run`) has no such constraint: there a booking is made in one locked
(IMMEDIATE) transaction that checks for overlaps first.
"""

from django.db import migrations

CREATE = """
ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap
EXCLUDE USING gist (
    practitioner_id WITH =,
    tstzrange(start, blocked_until, '[)') WITH &&
) WHERE (status <> 'cancelled')
"""
DROP = "ALTER TABLE bookings_booking DROP CONSTRAINT booking_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_bookings")]

    operations = [migrations.RunPython(forwards, backwards)]
