"""Make the audit trail append-only in the database itself, so that no code path (admin, shell, a
bug) can rewrite history.

PostgreSQL refuses UPDATE and DELETE (a row trigger) and TRUNCATE (a statement trigger, which
also fires when another table is truncated with CASCADE). Only the table's owner (or a
superuser) can disable or drop these triggers, so the application's database role should not
own the table (see the README). The test suite empties tables with TRUNCATE between
transactional tests; tests/conftest.py disables the TRUNCATE trigger for that one statement,
as the owning role it runs as may.

SQLite, the first-look database, refuses UPDATE only: Django empties SQLite tables between tests
with DELETE, and there is no TRUNCATE to refuse.

SQLite rebuilds a table for most ALTERs, dropping its triggers: a later migration that alters
portal_auditevent must run ``install`` again (import it from here).
"""

from django.db import migrations

TABLE = "portal_auditevent"
TRUNCATE_TRIGGER = "portal_auditevent_no_truncate"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_auditevent_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();
CREATE TRIGGER {TRUNCATE_TRIGGER}
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_auditevent_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {TABLE};
DROP TRIGGER IF EXISTS portal_auditevent_append_only ON {TABLE};
DROP FUNCTION IF EXISTS portal_auditevent_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER portal_auditevent_no_update BEFORE UPDATE ON portal_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS portal_auditevent_no_update;"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
