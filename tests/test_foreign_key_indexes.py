"""Every foreign key has an index that leads with its columns (issue 17 item 4): a read that
joins along a foreign key (the compiled read path joins along all of them) finds the child rows
by an index scan, not a sequential scan per parent row; deleting or re-keying a parent row
checks its children the same way. Read from the catalog of a freshly provisioned tenant and of
the shared schema, so a new foreign key without its index fails here."""

from __future__ import annotations

from tests.support.tenants import superuser_sql

# Each foreign key with its columns in declaration order, and every full (non-partial) index's
# key columns on the same table (a primary key or unique constraint is such an index).
_FOREIGN_KEYS = """
SELECT c.conname,
       c.conrelid::regclass::text AS tabel,
       c.confrelid::regclass::text AS rujukan,
       array(SELECT a.attname::text
               FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, urutan)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
              ORDER BY k.urutan) AS kolom,
       c.conkey::int2[] AS kunci,
       array(SELECT array_to_string((i.indkey::int2[])[0:i.indnkeyatts - 1], ',')
               FROM pg_index i
              WHERE i.indrelid = c.conrelid AND i.indpred IS NULL AND i.indisvalid)
           AS indeks
  FROM pg_constraint c
 WHERE c.contype = 'f' AND c.connamespace = $1::regnamespace
 ORDER BY 2, 4
"""


def _leading(indkey: str) -> list[int]:
    # An index's key columns (INCLUDE columns left out) as "3,1"; 0 marks an expression.
    return [int(n) for n in indkey.split(",") if n]


async def _unindexed(database, schema: str) -> list[str]:
    rows = await superuser_sql(database, _FOREIGN_KEYS, schema)
    assert rows, f"no foreign keys read from schema {schema}"
    missing = []
    for row in rows:
        key = list(row["kunci"])
        if not any(_leading(indkey)[: len(key)] == key for indkey in row["indeks"]):
            table, referenced = (row[k].removeprefix(f"{schema}.") for k in ("tabel", "rujukan"))
            missing.append(f"{table}.{','.join(row['kolom'])} → {referenced}")
    return missing


async def test_every_foreign_key_has_an_index_leading_with_its_columns(database, tenant):
    missing = {
        "tenant": await _unindexed(database, tenant.schema_name),
        "shared": await _unindexed(database, "shared"),
    }
    assert not any(missing.values()), "foreign keys without an index:\n" + "\n".join(
        f"  {where}: {fk}" for where, fks in missing.items() for fk in fks
    )
