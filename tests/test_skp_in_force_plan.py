"""The planner's view of "the SKP version in force" (skp/revisi_links.py skp_in_force).

Written as a bare NOT EXISTS it became an anti join that PostgreSQL estimated at one row
whatever the table held (menggantikan_id is NULL on almost every SKP), and a whole-agency
cascade of 10,000 nodes then nested 200 million comparisons: 20 s instead of 60 ms (issue 17).
The estimate is what decides the plan, so the estimate is what is tested."""

from __future__ import annotations

import json

from ekinerja.db.sql import fetch
from ekinerja.skp.revisi_links import skp_in_force
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for


async def test_the_skps_in_force_are_estimated_as_the_many_they_are(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        for person in [await org.pegawai(f"Pegawai {n}") for n in range(200)]:
            await skp_for(person, None)
        await fetch("ANALYZE skp")
        (row,) = await fetch(
            f"EXPLAIN (FORMAT JSON) SELECT s.id FROM skp s WHERE {skp_in_force('s')}"
        )
        (row_in_force,) = await fetch(f"SELECT count(*) AS n FROM skp s WHERE {skp_in_force('s')}")
    plan = json.loads(row["QUERY PLAN"])[0]["Plan"]
    assert row_in_force["n"] == 200
    assert plan["Plan Rows"] >= 100, plan
