"""A change to an API client (its row, its grants) notifies `ekinerja_registry` with
`client:<client_id>`, so every process forgets what it remembers of the client at once
(ekinerja/auth/klien_dikenal.py): a revocation, a scope change, a grant removed or
`hanya_dokumen_terdaftar` toggled is refused or honoured from the very next request. The
registry's channel and watcher (shared migration 0008, ekinerja/tenants/registry_watch.py)
carry it: one LISTEN connection per process. An update that moves a row (another client id,
a grant to another client) names both."""

from tortoise import migrations
from tortoise.migrations import operations as ops

_FUNCTION = """
CREATE FUNCTION beritahu_api_client() RETURNS trigger LANGUAGE plpgsql
SET search_path = shared  -- whoever writes, whatever their search_path
AS $$
DECLARE
    changed text[];
    one text;
BEGIN
    IF TG_TABLE_NAME = 'api_client' THEN
        IF TG_OP <> 'INSERT' THEN changed := changed || OLD.client_id::text; END IF;
        IF TG_OP <> 'DELETE' THEN changed := changed || NEW.client_id::text; END IF;
    ELSE
        -- A grant deleted with its client finds no row here: the client's own trigger told.
        SELECT array_agg(client_id::text) INTO changed FROM api_client
        WHERE id IN (
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.api_client_id END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.api_client_id END
        );
    END IF;
    FOR one IN SELECT DISTINCT unnest(changed) LOOP
        PERFORM pg_notify('ekinerja_registry', 'client:' || one);
    END LOOP;
    RETURN NULL;
END $$
"""


class Migration(migrations.Migration):
    dependencies = [('shared', '0009_indeks_foreign_key')]

    initial = False

    operations = [
        ops.RunSQL(_FUNCTION, reverse_sql="DROP FUNCTION beritahu_api_client()"),
        ops.RunSQL(
            "CREATE TRIGGER beritahu_api_client AFTER INSERT OR UPDATE OR DELETE ON api_client "
            "FOR EACH ROW EXECUTE FUNCTION beritahu_api_client()",
            reverse_sql="DROP TRIGGER beritahu_api_client ON api_client",
        ),
        ops.RunSQL(
            "CREATE TRIGGER beritahu_api_client AFTER INSERT OR UPDATE OR DELETE "
            "ON api_client_grant FOR EACH ROW EXECUTE FUNCTION beritahu_api_client()",
            reverse_sql="DROP TRIGGER beritahu_api_client ON api_client_grant",
        ),
    ]
