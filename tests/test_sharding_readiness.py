"""What Citus schema-based sharding needs of the schema as it is today (docs/scale.md, issue
18): each instansi's schema can become a distributed schema and `shared` stay on the
coordinator only if no foreign key crosses a schema, every tenant table has a primary key and
keeps its sequences at home, and nothing a tenant-bound transaction may do reaches another
schema (its role can use its own schema only, so a statement bound to one tenant is routed to
one node). Each point is checked on the test database's catalog, over every schema there."""

from __future__ import annotations

from ekinerja.models.shared import Instansi
from tests.support.tenants import superuser_sql

_CROSS_SCHEMA_KEYS = """
SELECT con.conname, src_ns.nspname AS source, dst_ns.nspname AS target
FROM pg_constraint con
JOIN pg_class src ON src.oid = con.conrelid
JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
JOIN pg_class dst ON dst.oid = con.confrelid
JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
WHERE con.contype = 'f' AND src_ns.nspname <> dst_ns.nspname
"""

_TABLES_WITHOUT_PRIMARY_KEY = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')
"""

# A column's default that calls nextval() on a sequence of another schema.
_FOREIGN_SEQUENCES = """
SELECT n.nspname, c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_attrdef d
JOIN pg_class c ON c.oid = d.adrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
JOIN pg_depend dep ON dep.objid = d.oid AND dep.refclassid = 'pg_class'::regclass
JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
JOIN pg_namespace sn ON sn.oid = s.relnamespace
WHERE n.nspname = ANY($1::text[]) AND sn.nspname <> n.nspname
"""

_SCHEMAS_A_ROLE_MAY_USE = """
SELECT n.nspname
FROM pg_namespace n
WHERE has_schema_privilege($1, n.oid, 'USAGE')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND n.nspname NOT LIKE 'pg_temp%'
"""

_TABLES_IN_PUBLIC = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
"""


async def _tenant_schemas(role_prefix: str) -> list[Instansi]:
    # Every tenant this test database holds (those of this test and of the tests before it).
    return [i for i in await Instansi.all() if i.role_name.startswith(role_prefix)]


async def test_no_foreign_key_crosses_a_schema(database, tenant, other_tenant):
    crossing = await superuser_sql(database, _CROSS_SCHEMA_KEYS)
    assert crossing == [], [dict(r) for r in crossing]


async def test_every_tenant_table_has_a_primary_key(database, tenant, role_prefix):
    schemas = [i.schema_name for i in await _tenant_schemas(role_prefix)] + ["shared"]
    missing = await superuser_sql(database, _TABLES_WITHOUT_PRIMARY_KEY, schemas)
    assert missing == [], [dict(r) for r in missing]


async def test_tenant_tables_draw_ids_from_sequences_of_their_own_schema(
    database, tenant, role_prefix
):
    schemas = [i.schema_name for i in await _tenant_schemas(role_prefix)]
    foreign = await superuser_sql(database, _FOREIGN_SEQUENCES, schemas)
    assert foreign == [], [dict(r) for r in foreign]


async def test_a_tenant_role_may_use_its_own_schema_and_nothing_of_the_others(
    database, tenant, other_tenant
):
    """A transaction bound to a tenant runs as its role: what the role cannot use, no statement
    of that transaction can touch, so each one stays within one (distributed) schema. `public`
    may be usable (PostgreSQL grants it by default) but holds nothing."""
    for instansi in (tenant, other_tenant):
        usable = {
            r["nspname"]
            for r in await superuser_sql(database, _SCHEMAS_A_ROLE_MAY_USE, instansi.role_name)
        }
        assert usable - {"public"} == {instansi.schema_name}, (instansi.kode, usable)
    assert await superuser_sql(database, _TABLES_IN_PUBLIC) == []
