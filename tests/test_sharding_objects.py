"""Objects that must live where their tables live, for Citus schema-based sharding
(docs/scale.md, issue 18; tests/test_sharding_readiness.py checks keys, sequences and roles).
A distributed schema's tables are placed on one worker node with the triggers on them; a
trigger's function, or a view's table, in another schema would be on another node (or only
on the coordinator). Checked on the test database's catalog, over every tenant schema there
and `shared`."""

from __future__ import annotations

from ekinerja.models.shared import Instansi
from tests.support.tenants import superuser_sql

# A (non-internal) trigger whose function is in another schema than its table.
_TRIGGERS_CALLING_ABROAD = """
SELECT tn.nspname AS table_schema, c.relname, t.tgname, fn.nspname AS function_schema
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace tn ON tn.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = p.pronamespace
WHERE NOT t.tgisinternal AND tn.nspname = ANY($1::text[]) AND fn.nspname <> tn.nspname
"""

# A view or materialized view reading a relation of another schema (through its rewrite rule).
_VIEWS_READING_ABROAD = """
SELECT vn.nspname AS view_schema, v.relname AS view, tn.nspname AS table_schema,
       t.relname AS table
FROM pg_rewrite r
JOIN pg_class v ON v.oid = r.ev_class
JOIN pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
    AND d.refclassid = 'pg_class'::regclass
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE vn.nspname = ANY($1::text[]) AND tn.nspname <> vn.nspname
  AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
"""


async def _schemas(role_prefix: str) -> list[str]:
    tenants = [i for i in await Instansi.all() if i.role_name.startswith(role_prefix)]
    return [i.schema_name for i in tenants] + ["shared"]


async def test_every_trigger_calls_a_function_of_its_own_schema(
    database, tenant, other_tenant, role_prefix
):
    abroad = await superuser_sql(database, _TRIGGERS_CALLING_ABROAD, await _schemas(role_prefix))
    assert abroad == [], [dict(r) for r in abroad]


async def test_no_view_reads_a_table_of_another_schema(database, tenant, other_tenant, role_prefix):
    abroad = await superuser_sql(database, _VIEWS_READING_ABROAD, await _schemas(role_prefix))
    assert abroad == [], [dict(r) for r in abroad]
