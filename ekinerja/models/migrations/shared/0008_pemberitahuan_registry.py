"""A change to the registry (an instansi, its admin grants) notifies `ekinerja_registry` with the
kode, so every process drops its cached entry at once (ekinerja/tenants/registry_cache.py)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

_FUNCTION = """
CREATE FUNCTION beritahu_registry() RETURNS trigger LANGUAGE plpgsql
SET search_path = shared  -- whoever writes, whatever their search_path
AS $$
DECLARE
    changed_kode text;
BEGIN
    IF TG_TABLE_NAME = 'instansi' THEN
        changed_kode := CASE WHEN TG_OP = 'DELETE' THEN OLD.kode ELSE NEW.kode END;
    ELSE
        SELECT kode INTO changed_kode FROM instansi
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.instansi_id ELSE NEW.instansi_id END;
    END IF;
    IF changed_kode IS NOT NULL THEN
        PERFORM pg_notify('ekinerja_registry', changed_kode);
    END IF;
    RETURN NULL;
END $$
"""


class Migration(migrations.Migration):
    dependencies = [('shared', '0007_penamaan')]

    initial = False

    operations = [
        ops.RunSQL(_FUNCTION, reverse_sql="DROP FUNCTION beritahu_registry()"),
        ops.RunSQL(
            "CREATE TRIGGER beritahu_registry AFTER INSERT OR UPDATE OR DELETE ON instansi "
            "FOR EACH ROW EXECUTE FUNCTION beritahu_registry()",
            reverse_sql="DROP TRIGGER beritahu_registry ON instansi",
        ),
        ops.RunSQL(
            "CREATE TRIGGER beritahu_registry AFTER INSERT OR UPDATE OR DELETE ON instansi_admin "
            "FOR EACH ROW EXECUTE FUNCTION beritahu_registry()",
            reverse_sql="DROP TRIGGER beritahu_registry ON instansi_admin",
        ),
    ]
