"""The one connection type (decision 0029): keyset cursors that neither skip nor repeat a row
when rows are inserted between pages, one page-size policy, cursors refused when edited or made
for another list or instansi."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.paging import (
    MAX_FIRST,
    Keyset,
    decode_cursor,
    encode_cursor,
    page_request,
)
from ekinerja.refusals import Refusal
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.org import Org
from tests.support.query_counter import count_queries

LIST = Keyset("Query.contoh", ("-dibuat_pada", "nama", "tanggal", "nilai", "id"),
              (datetime, str, date, Decimal, int))  # fmt: skip
KEYS = (datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=UTC), "Ani", date(2026, 3, 1),
        Decimal("12.50"), 42)  # fmt: skip


def refused(call) -> Refusal:
    with pytest.raises(Refusal) as caught:
        call()
    return caught.value


def test_a_cursor_round_trips_its_sort_key_values():
    cursor = encode_cursor("PEMDA1", LIST, KEYS)
    assert decode_cursor("PEMDA1", LIST, cursor) == KEYS
    assert "Ani" not in cursor and "42" not in cursor  # opaque, not readable at a glance


def test_an_edited_or_foreign_cursor_is_refused_naming_after():
    cursor = encode_cursor("PEMDA1", LIST, KEYS)
    edited = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    other_list = Keyset("Query.lain", LIST.order, LIST.types)
    for call, wording in (
        (lambda: decode_cursor("PEMDA1", LIST, edited), "not a cursor this API issued"),
        (lambda: decode_cursor("PEMDA1", LIST, "nope"), "not a cursor this API issued"),
        (lambda: decode_cursor("PEMDA1", LIST, cursor[:10]), "not a cursor this API issued"),
        (lambda: decode_cursor("PEMDA2", LIST, cursor), "another instansi"),
        (lambda: decode_cursor("PEMDA1", other_list, cursor), "another list"),
    ):
        refusal = refused(call)
        assert (refusal.code, refusal.field) == ("INVALID_INPUT", "after")
        assert wording in refusal.message
    # Right checksum, wrong shape (a key of another type): still refused.
    wrong_types = Keyset("Query.contoh", ("nama", "id"), (str, int))
    mismatch = encode_cursor("PEMDA1", wrong_types, ("Ani", 1))
    assert refused(lambda: decode_cursor("PEMDA1", LIST, mismatch)).field == "after"


def test_one_page_size_policy():
    assert page_request("PEMDA1", LIST, 1, None).first == 1
    assert page_request("PEMDA1", LIST, MAX_FIRST, None).first == MAX_FIRST
    for first in (0, -1, MAX_FIRST + 1, 1000):
        refusal = refused(lambda first=first: page_request("PEMDA1", LIST, first, None))
        assert (refusal.code, refusal.field) == ("INVALID_INPUT", "first")
        assert f"first: must be between 1 and {MAX_FIRST}" in refusal.message


IDP = None


@pytest.fixture
async def api(settings, idp):
    global IDP
    IDP = idp
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def gql(client, tenant, query: str, nip: str, **variables):
    headers = {"X-Instansi": tenant.kode} | principal_header(IDP, tenant.kode, nip)
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.json()


DAFTAR = """query($first: Int!, $after: String) {
  daftarPegawai(first: $first, after: $after) {
    edges { cursor node { nama } } nodes { nama }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


async def add_people(tenant, *names: str) -> list:
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit(f"Unit {names[0]}")
        jabatan = await org.jabatan("Staf", unit)
        return [await org.pegawai(name, jabatan) for name in names]


async def test_paging_forward_returns_each_row_once_in_order_despite_inserts(api, tenant):
    people = await add_people(tenant, *(f"Pegawai {i:02d}" for i in range(0, 20, 2)))
    nip = people[0].nip
    seen, after, inserted = [], None, iter(range(1, 20, 2))
    while True:
        body = await gql(api, tenant, DAFTAR, nip, first=3, after=after)
        assert "errors" not in body, body
        page = body["data"]["daftarPegawai"]
        assert [e["node"] for e in page["edges"]] == page["nodes"]
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is False
        if page["edges"]:
            assert info["startCursor"] == page["edges"][0]["cursor"]
            assert info["endCursor"] == page["edges"][-1]["cursor"]
        seen += [n["nama"] for n in page["nodes"]]
        # Between pages, someone sorts before the cursor and someone after it.
        odd = next(inserted, None)
        if odd is not None:
            await add_people(tenant, f"Pegawai {odd:02d}", f"Pegawai {odd + 80:02d}")
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert len(seen) == len(set(seen)), seen  # nothing twice
    assert seen == sorted(seen)  # in order
    assert {f"Pegawai {i:02d}" for i in range(0, 20, 2)} <= set(seen)  # nothing skipped
    # Rows inserted after the cursor are reached; those sorting before it are not revisited.
    assert {n for n in seen if int(n.split()[1]) >= 80}


async def test_a_cursor_of_another_instansi_is_refused_and_shows_nothing(api, tenant, other_tenant):
    mine = await add_people(tenant, "Ani", "Budi", "Citra")
    theirs = await add_people(other_tenant, "Dedi", "Eka", "Fajar")
    body = await gql(api, other_tenant, DAFTAR, theirs[0].nip, first=1)
    their_cursor = body["data"]["daftarPegawai"]["pageInfo"]["endCursor"]
    assert body["data"]["daftarPegawai"]["nodes"] == [{"nama": "Dedi"}]

    body = await gql(api, tenant, DAFTAR, mine[0].nip, first=10, after=their_cursor)
    assert body["data"] is None
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_INPUT", "after")
    assert "another instansi" in error["message"]
    # Its own cursors work; the other instansi's people never appear.
    body = await gql(api, tenant, DAFTAR, mine[0].nip, first=100)
    assert [n["nama"] for n in body["data"]["daftarPegawai"]["nodes"]] == ["Ani", "Budi", "Citra"]


async def test_page_size_policy_over_the_api(api, tenant):
    [ani] = await add_people(tenant, "Ani")
    for first in (0, 101):
        body = await gql(api, tenant, DAFTAR, ani.nip, first=first)
        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["field"]) == (
            "INVALID_INPUT",
            "first",
        )
        assert "first: must be between 1 and 100" in error["message"]
    body = await gql(api, tenant, "{ daftarPegawai { nodes { nama } } }", ani.nip)
    assert body["data"]["daftarPegawai"]["nodes"] == [{"nama": "Ani"}]  # default first: 20


WITH_RELATIONS = """query($first: Int!, $on: Date) {
  daftarPegawai(first: $first, tanggal: $on) {
    edges { cursor node { nama jabatan(tanggal: $on) { jabatan { nama } } } }
    pageInfo { hasNextPage endCursor } } }"""


async def test_a_page_costs_the_same_queries_for_3_or_33_pegawai(api, tenant):
    people = await add_people(tenant, "Ani", "Budi", "Citra")
    nip = people[0].nip
    await gql(api, tenant, "{ serverInfo { versi } }", nip)  # warm the issuer cache

    async def cost() -> tuple[int, int]:
        with count_queries() as statements:
            body = await gql(api, tenant, WITH_RELATIONS, nip, first=50, on="2026-03-01")
        assert "errors" not in body, body
        return len(statements), len(body["data"]["daftarPegawai"]["edges"])

    small = await cost()
    await add_people(tenant, *(f"Tambahan {i:02d}" for i in range(30)))
    large = await cost()
    assert (small[1], large[1]) == (3, 33)
    assert large[0] == small[0]
