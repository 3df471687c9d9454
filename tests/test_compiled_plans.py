"""Compiled roots are planned once per (field as written, variables, roles and scopes,
instansi) and shared between callers (ekinerja/schema/compiled/plans.py): each caller still
reads their own rows, and a different role, variable or instansi is a different plan."""

from __future__ import annotations

from ekinerja.auth.principal import Role
from ekinerja.schema.compiled.execution import PLANS
from ekinerja.schema.compiled.plans import Plans, frozen
from tests.support.twins import Twins

MINE = """query($full: Boolean!) { saya { nip nama gelarDepan @include(if: $full) }
  skpSaya(first: 1) { nodes { tahun status } } }"""


async def test_one_plan_serves_every_caller_with_their_own_rows(twins, team):
    before = len(PLANS)
    staf, compiled, _ = await twins.both(team.staf.nip, MINE, full=True)
    planned = len(PLANS)
    rekan, _, _ = await twins.both(team.rekan.nip, MINE, full=True)
    kasi, _, _ = await twins.both(team.kasi.nip, MINE, full=True)
    assert planned == before + 2  # saya and skpSaya, planned for the first caller
    assert len(PLANS) == planned  # and reused for the next two
    assert [b["data"]["saya"]["nip"] for b in (staf, rekan, kasi)] == [
        team.staf.nip,
        team.rekan.nip,
        team.kasi.nip,
    ]
    assert rekan["data"]["skpSaya"]["nodes"][0]["status"] == "DRAFT"
    assert staf["data"]["skpSaya"]["nodes"][0]["status"] == "DISETUJUI"
    assert compiled == 1


async def test_variables_roles_and_instansi_are_plans_of_their_own(twins, team, other_tenant):
    from tests.support.pelaksanaan import build_team

    await twins.both(team.staf.nip, MINE, full=True)
    planned = len(PLANS)
    short, _, _ = await twins.both(team.staf.nip, MINE, full=False)
    assert "gelarDepan" not in short["data"]["saya"]
    assert len(PLANS) == planned + 2
    await twins.both(team.staf.nip, MINE, Role.ADMIN_INSTANSI, full=False)
    assert len(PLANS) == planned + 4
    theirs = await build_team(other_tenant)
    in_b = Twins(twins.compiled, twins.resolved, twins.idp, other_tenant.kode)
    body, _, _ = await in_b.both(theirs.staf.nip, MINE, full=False)
    assert body["data"]["saya"]["nip"] == theirs.staf.nip
    assert len(PLANS) == planned + 6


def test_the_cache_is_bounded_and_keyed_by_the_very_nodes():
    plans = Plans(maxsize=2)
    nodes = [object(), object(), object()]
    made = []

    def plan(n):
        def make():
            made.append(n)
            return None

        return make

    for n, node in enumerate(nodes):
        plans.get([node], "facts", plan(n))
    assert len(plans) == 2 and made == [0, 1, 2]
    plans.get([nodes[2]], "facts", plan(2))  # remembered
    plans.get([nodes[0]], "facts", plan(0))  # evicted: planned again
    plans.get([nodes[2]], "other facts", plan(2))
    assert made == [0, 1, 2, 0, 2]
    assert frozen({"b": [1, {"c": 2}], "a": None}) == (("a", None), ("b", (1, (("c", 2),))))
