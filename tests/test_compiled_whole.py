"""A query whose every root field has a remembered compiled plan is answered without
graphql-core's executor (ekinerja/schema/compiled/whole.py, issue 17); everything else, and
the first request of a document, goes through the executor as before. The answers are the
same either way (tests/support/twins.py compares the planning request, the planned one and the
resolvers' for every compiled document of the suite); these tests show which way each went."""

from __future__ import annotations

import pytest

from ekinerja.models.tenant import Pegawai
from ekinerja.schema.compiled.execution import CompilingExecutionContext
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org

MY_PAGE = """{ saya { nip nama } skpSaya(first: 1) { nodes { tahun status
  rhk { urutan teks indikator { teks } } } } }"""


@pytest.fixture
def executor_runs(monkeypatch) -> list[str]:
    """The operations graphql-core's executor ran (by their first root field)."""
    runs: list[str] = []
    execute_operation = CompilingExecutionContext.execute_operation

    def counted(self, *args, **kwargs):
        first = self.operation.selection_set.selections[0]
        runs.append(first.name.value if hasattr(first, "name") else first.kind)
        return execute_operation(self, *args, **kwargs)

    monkeypatch.setattr(CompilingExecutionContext, "execute_operation", counted)
    return runs


async def test_a_planned_document_is_answered_without_the_executor(portal, team, executor_runs):
    planned = await portal.as_(team.staf, MY_PAGE)
    assert executor_runs == ["saya"]  # the first request plans, through the executor
    again = await portal.as_(team.staf, MY_PAGE)
    assert executor_runs == ["saya"]
    assert again == planned
    assert again["data"]["saya"]["nip"] == team.staf.nip
    assert again["data"]["skpSaya"]["nodes"], "staf has an SKP"


async def test_the_plans_are_shared_but_each_caller_gets_their_own_row(portal, team, executor_runs):
    await portal.as_(team.staf, MY_PAGE)
    theirs = await portal.as_(team.kasi, MY_PAGE)
    assert executor_runs == ["saya"]  # kasi reuses staf's plans: same roles, same document
    assert theirs["data"]["saya"]["nip"] == team.kasi.nip


async def test_typename_alone_needs_no_plan(portal, team, executor_runs):
    body = await portal.as_(team.staf, "{ __typename }")
    assert body == {"data": {"__typename": "Query"}}
    assert executor_runs == []


@pytest.mark.parametrize(
    "document",
    [
        "{ saya { nama } instansi { kode } }",  # a root the compiled path does not know
        "query($x: Boolean!) { saya @include(if: $x) { nama } }",  # a directive at the root
        "{ ... on Query { saya { nama } } }",  # a fragment at the root
        "mutation { __typename }",  # not a query
    ],
)
async def test_other_documents_always_go_through_the_executor(
    portal, team, executor_runs, document
):
    first = await portal.as_(team.staf, document, x=True)
    second = await portal.as_(team.staf, document, x=True)
    assert first == second
    assert len(executor_runs) == 2


async def test_variables_that_do_not_coerce_get_the_executors_error(portal, team):
    document = "query($n: Int!) { skpSaya(first: $n) { nodes { tahun } } }"
    await portal.as_(team.staf, document, n=5)  # planned for n = 5
    refused = await portal.as_(team.staf, document, n="lima")
    assert refused.get("data") is None
    assert "$n" in refused["errors"][0]["message"]


async def test_a_failed_root_is_reported_as_the_executor_reports_it(portal, tenant, executor_runs):
    """The caller's row vanishes between two requests (the process remembers their pegawai id):
    `saya` (non-null) finds no row. The planned path answers as the executor does: no data, one
    masked error at `saya`."""
    async with tenant_transaction(as_bound(tenant)):
        lone = await Org().pegawai("Sendiri")
    await portal.as_(lone, "{ saya { nama } }")  # planned
    async with tenant_transaction(as_bound(tenant)):
        await Pegawai.filter(id=lone.id).delete()
    executor_runs.clear()
    answered = await portal.as_(lone, "{ saya { nama } }")
    assert executor_runs == []
    executed = await portal.as_(lone, "{ saya {  nama } }")  # the same query, not planned yet
    assert executor_runs == ["saya"]
    for body in (answered, executed):
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["path"] == ["saya"]
        assert error["extensions"]["code"] == "INTERNAL_ERROR"
