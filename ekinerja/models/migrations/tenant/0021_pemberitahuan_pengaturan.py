"""A change to the instansi's settings (`tenant_setting`) notifies `ekinerja_registry` with
`pengaturan:<schema>`, so every process forgets what it remembers of that instansi's settings
at once (ekinerja/pengaturan/reader.py): a time zone, keberatan days or curve policy changed is
in force from the very next request. The registry's channel and watcher (shared migration 0008,
ekinerja/tenants/registry_watch.py) carry it: one LISTEN connection per process.

The function is created in the tenant schema the migration is bound to (unqualified, first on
the binding's search_path), by the tenant role, like the table. It names the schema from
TG_TABLE_SCHEMA, the schema of the table written, not from current_schema(): a trigger runs
with the search_path of whoever writes, and a superuser fixing a row by hand with a qualified
name (`UPDATE "t_x".tenant_setting …`) has another search_path. pg_notify is qualified for the
same reason. Once per statement: a transaction's identical notifications are delivered once,
at commit (none if it rolls back). No statement may open with a comment: the fresh tenant's
script (ekinerja/tenants/migrations.py) drops such statements."""

from tortoise import migrations
from tortoise.migrations import operations as ops

_FUNCTION = """CREATE FUNCTION beritahu_pengaturan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('ekinerja_registry', 'pengaturan:' || TG_TABLE_SCHEMA);
    RETURN NULL;
END $$"""


class Migration(migrations.Migration):
    dependencies = [('tenant', '0020_indeks_foreign_key')]

    initial = False

    operations = [
        ops.RunSQL(_FUNCTION, reverse_sql="DROP FUNCTION beritahu_pengaturan()"),
        ops.RunSQL(
            "CREATE TRIGGER beritahu_pengaturan "
            "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenant_setting "
            "FOR EACH STATEMENT EXECUTE FUNCTION beritahu_pengaturan()",
            reverse_sql="DROP TRIGGER beritahu_pengaturan ON tenant_setting",
        ),
    ]
