"""The lists decision 0029's addendum (2026-12-07) made connections: a penilai's monitoring, a
window's progres harian, a unit's kelengkapan and a pegawai's browser sessions. Each is read
whole in pages of 2, every row once and in order; a cursor of another list or instansi and a
`first` above 100 are refused naming the argument; another instansi sees none of the rows."""

from __future__ import annotations

from datetime import date, time

from ekinerja.auth import sesi as sessions
from ekinerja.auth.principal import Principal, Role
from ekinerja.models.tenant import ProgresHarian
from ekinerja.paging import Keyset, encode_cursor
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import Portal, build_team, skp_for
from tests.support.penilaian import build_bidang

PAGE = "totalCount edges { cursor node { %s } } pageInfo { hasNextPage hasPreviousPage endCursor }"
MONITOR = """query($first: Int!, $after: String) { list: monitoringPelaksanaan(tahun: 2026,
  periode: "2026-T1", tanggal: "2026-02-05", first: $first, after: $after) { %s } }""" % (
    PAGE % "nama skpId"
)
PROGRES = """query($skp: ID!, $first: Int!, $after: String) {
  pelaksanaan(skpId: $skp, periode: "2026-T1") { list: progres(first: $first, after: $after) {
  %s } } }""" % (PAGE % "kegiatan tanggal jamMulai")
KELENGKAPAN = """query($unit: ID!, $first: Int!, $after: String) {
  kelengkapanPenilaian(unitId: $unit, periode: "2026-T1") { tanpaSkp diajukan
  list: pegawai(first: $first, after: $after) { %s } } }""" % (
    PAGE.replace("totalCount ", "") % "nama nip"
)
SESI = """query($nip: String!, $first: Int!, $after: String) {
  list: sesiBrowser(nip: $nip, first: $first, after: $after) { %s } }""" % (
    PAGE.replace("totalCount ", "") % "userAgent"
)


def the_list(data: dict) -> dict:
    """The connection, wherever the query nests it (aliased `list`)."""
    while "list" not in data:
        [data] = data.values()
    return data["list"]


async def read_all(ask, first: int = 2) -> tuple[list[dict], list[dict]]:
    """Every node, paging with ``first``; and each page's connection."""
    nodes, pages, after = [], [], None
    while True:
        body = await ask(first=first, after=after)
        assert "errors" not in body, body
        page = the_list(body["data"])
        pages.append(page)
        assert page["pageInfo"]["hasPreviousPage"] is False
        assert len(page["edges"]) <= first
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, pages
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]


def another_lists_cursor(tenant) -> str:
    """A cursor the API issues for the directory (`daftarPegawai`) of the same instansi."""
    directory = Keyset("Query.daftarPegawai", ("nama", "id"), (str, int))
    return encode_cursor(tenant.kode, directory, ("Ani", 1))


def refused(body: dict, field: str, wording: str) -> None:
    assert body.get("data") is None or not any(body["data"].values()), body
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_INPUT", field)
    assert wording in error["message"], error


async def refusals(ask, tenant) -> str:
    """The list's refusals; returns a cursor of its own (for another instansi to try)."""
    refused(await ask(first=101, after=None), "first", "first: must be between 1 and 100")
    refused(await ask(first=2, after=another_lists_cursor(tenant)), "after", "another list")
    refused(await ask(first=2, after="bm90LWEtY3Vyc29y"), "after", "not a cursor this API")
    return the_list((await ask(first=1, after=None))["data"])["pageInfo"]["endCursor"]


async def test_monitoring_pages_through_every_subordinate(portal, team, tenant, idp, other_tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        for nama in ("Dewi", "Ani", "Citra", "Budi"):
            await skp_for(await org.pegawai(nama), team.kasi)

    async def ask(first, after, portal=portal, who=team.kasi):
        return await portal.as_(who, MONITOR, first=first, after=after)

    nodes, pages = await read_all(ask)
    assert [n["nama"] for n in nodes] == ["Ani", "Budi", "Citra", "Dewi", "Staf"]
    assert len({n["skpId"] for n in nodes}) == 5 and len(pages) == 3
    assert {p["totalCount"] for p in pages} == {5}
    mine = await refusals(ask, tenant)

    # Tenant B: A's cursor is another instansi's; B's penilai sees only B's subordinates.
    other = await build_team(other_tenant)
    b = Portal(portal.api, idp, other_tenant)

    async def ask_b(first, after):
        return await ask(first, after, portal=b, who=other.kasi)

    refused(await ask_b(first=2, after=mine), "after", "another instansi")
    nodes, _ = await read_all(ask_b)
    assert [n["skpId"] for n in nodes] == [gid_of(other_tenant, other.skp)]


async def _log(tenant, team, *entries: tuple[str, int, str]) -> None:
    async with tenant_transaction(as_bound(tenant)):
        for day, hour, kegiatan in entries:
            await ProgresHarian.create(
                rencana_aksi_id=team.rencana(),
                skp=team.skp,
                pegawai_id=team.staf.id,
                periode="2026-T1",
                tanggal=date.fromisoformat(day),
                jam_mulai=time(hour),
                jam_selesai=time(hour + 1),
                kegiatan=kegiatan,
                realisasi=1,
                satuan="Dokumen",
            )


async def test_a_windows_log_pages_by_day_time_and_entry(portal, team, tenant, idp, other_tenant):
    # Written out of order; two entries share a day and a start time (the id decides).
    await _log(
        tenant,
        team,
        ("2026-02-03", 13, "e"),
        ("2026-01-05", 8, "a"),
        ("2026-02-03", 8, "c"),
        ("2026-01-20", 9, "b"),
        ("2026-02-03", 13, "f"),
        ("2026-03-30", 7, "g"),
        ("2026-02-03", 10, "d"),
    )
    skp = gid_of(tenant, team.skp)

    async def ask(first, after, portal=portal, who=team.staf, skp=skp):
        return await portal.as_(who, PROGRES, skp=skp, first=first, after=after)

    nodes, pages = await read_all(ask)
    assert [n["kegiatan"] for n in nodes] == list("abcdefg")
    assert {p["totalCount"] for p in pages} == {7} and len(pages) == 4
    # The penilai reads the same pages.
    assert [
        n["kegiatan"] for n in (await read_all(lambda **k: ask(**k, who=team.kasi)))[0]
    ] == list("abcdefg")
    mine = await refusals(ask, tenant)

    other = await build_team(other_tenant)
    b = Portal(portal.api, idp, other_tenant)
    b_skp = gid_of(other_tenant, other.skp)
    refused(await ask(2, mine, portal=b, who=other.staf, skp=b_skp), "after", "another instansi")
    nodes, _ = await read_all(lambda **k: ask(**k, portal=b, who=other.staf, skp=b_skp))
    assert nodes == []  # B's own window: none of A's entries
    # A's SKP id means nothing in B.
    across = await ask(2, None, portal=b, who=other.staf)
    assert across.get("data") is None or across["data"]["pelaksanaan"] is None, across


async def test_a_units_kelengkapan_pages_every_pegawai(portal, tenant, idp, other_tenant):
    bidang = await build_bidang(tenant, analis=5)
    unit = gid_of(tenant, bidang.seksi)

    async def ask(first, after, portal=portal, who=bidang.kabid, unit=unit):
        return await portal.as_(who, KELENGKAPAN, unit=unit, first=first, after=after)

    nodes, pages = await read_all(ask)
    assert [n["nama"] for n in nodes] == [f"Analis {i}" for i in range(5)] + ["Kasi"]
    assert len(pages) == 3
    # The counts cover the whole unit whatever the page.
    body = await ask(first=1, after=None)
    assert len(the_list(body["data"])["edges"]) == 1
    assert body["data"]["kelengkapanPenilaian"]["tanpaSkp"] == 1  # the kasi
    mine = await refusals(ask, tenant)

    b_bidang = await build_bidang(other_tenant, analis=1)
    b = Portal(portal.api, idp, other_tenant)
    b_unit = gid_of(other_tenant, b_bidang.seksi)
    refused(
        await ask(2, mine, portal=b, who=b_bidang.kabid, unit=b_unit), "after", "another instansi"
    )
    nodes, _ = await read_all(lambda **k: ask(**k, portal=b, who=b_bidang.kabid, unit=b_unit))
    assert [n["nama"] for n in nodes] == ["Analis 0", "Kasi"]
    assert not {n["nip"] for n in nodes} & {p.nip for p in bidang.analis}
    # A's unit id is refused in B.
    across = await ask(2, None, portal=b, who=b_bidang.kabid)
    assert across.get("errors"), across


async def test_a_pegawais_sessions_page_newest_login_first(
    portal, team, tenant, idp, other_tenant, settings
):
    lifetimes = sessions.Lifetimes.of(settings)
    member = Principal(team.staf.nip, frozenset({Role.PEGAWAI}), tenant.kode, team.staf.nip)
    for n in range(5):
        await sessions.start(member, None, lifetimes, user_agent=f"Browser {n}", ip_address=None)

    async def ask(first, after, portal=portal, who=team.kasi, nip=team.staf.nip):
        return await portal.as_(who, SESI, Role.ADMIN_INSTANSI, nip=nip, first=first, after=after)

    nodes, pages = await read_all(ask)
    assert [n["userAgent"] for n in nodes] == [f"Browser {n}" for n in range(4, -1, -1)]
    assert len(pages) == 3
    mine = await refusals(ask, tenant)

    # B's admin: A's cursor refused; B's pegawai of the same NIP has none of A's sessions.
    async with tenant_transaction(as_bound(other_tenant)):
        org = Org()
        admin = await org.pegawai("Admin B")
        namesake = await org.pegawai("Sama NIP")
        namesake.nip = team.staf.nip
        await namesake.save()
    b = Portal(portal.api, idp, other_tenant)
    refused(await ask(2, mine, portal=b, who=admin), "after", "another instansi")
    nodes, _ = await read_all(lambda **k: ask(**k, portal=b, who=admin))
    assert nodes == []
