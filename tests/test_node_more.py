"""Issue 16 item 2, decision 0028 (addendum): the types read inside another object are Nodes
too: Indikator and RencanaAksi (an RHK's), ProgresHarian and UmpanBalik (an SKP's execution),
Keberatan (an evaluation's) and WebhookPengiriman (a subscription's delivery). `node` answers
each as its own read path does, for every principal (the same object, or null with the same
error), refuses tenant A's id sent to tenant B as another instansi's, resolves B's id of the
same row number to B's row, and `nodes` loads each type in a constant number of queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest
from tortoise.timezone import now

from ekinerja.auth.principal import Role
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import (
    BuktiDukung,
    EvaluasiPeriodik,
    Indikator,
    Keberatan,
    OutboxEvent,
    ProgresHarian,
    RencanaAksi,
    TanggapanUmpanBalik,
    UmpanBalik,
    WebhookLangganan,
    WebhookPengiriman,
)
from ekinerja.pelaksanaan.enums import JenisBukti, SasaranUmpanBalik, StatusBukti, StatusEvaluasi
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.schema.ids import OTHER_INSTANSI
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.enums import StatusPengiriman
from tests.support.auth import bearer, client_token
from tests.support.ids import gid, gid_of, same_row_in
from tests.support.pelaksanaan import Portal, Team, build_team
from tests.support.query_counter import count_queries

NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Indikator { teks } ... on RencanaAksi { teks } ... on ProgresHarian { kegiatan }
  ... on UmpanBalik { saran: teks } ... on Keberatan { alasan }
  ... on WebhookPengiriman { jenis } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
# Each new type's read path: (the root field with its arguments, the object's type, the field
# listing the new type). A list or a connection (issue 16 turns lists that grow into
# connections): the selection follows the field's current shape (see `_read_path`).
RHK_ROOT = ("query($rhk: ID!) { rhk(id: $rhk) {", "Rhk")
PELAKSANAAN_ROOT = (
    'query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {',
    "PelaksanaanPeriode",
)
EVALUASI_ROOT = (
    'query($skp: ID!) { evaluasi(skpId: $skp, periode: "2026-T1") {',
    "EvaluasiPeriodik",
)
READ_IN = {
    "Indikator": (RHK_ROOT, "indikator"),
    "RencanaAksi": (RHK_ROOT, "rencanaAksi"),
    "ProgresHarian": (PELAKSANAAN_ROOT, "progres"),
    "UmpanBalik": (PELAKSANAAN_ROOT, "umpanBalik"),
    "Keberatan": (EVALUASI_ROOT, "keberatan"),
}
PENGIRIMAN = "{ webhookPengiriman(first: 100) { nodes { id } } }"
FIELD_SHAPE = """query($type: String!) { __type(name: $type) { fields { name
  args { name } type { name kind ofType { name kind ofType { name } } } } } }"""


@dataclass
class Built:
    team: Team
    rows: dict[str, Any]  # the one row of each new Node type, by type name
    hr: str  # the API client owning the subscription of the delivery
    payroll: str  # another API client of the instansi, with the same scope
    pembaca: str  # an API client reading SKP (skp:read), not managing webhooks


async def _client(tenant, name: str, *scopes: str) -> str:
    client_id = f"{name}-{tenant.kode.lower()}"
    made = await ApiClient.create(client_id=client_id, nama=name, scopes=list(scopes))
    await ApiClientGrant.create(api_client=made, instansi=tenant)
    return client_id


async def build(tenant) -> Built:
    team = await build_team(tenant)
    kode = tenant.kode
    hr = await _client(tenant, "hr", "webhooks:manage")
    payroll = await _client(tenant, "payroll", "webhooks:manage")
    pembaca = await _client(tenant, "pembaca", "skp:read")
    async with tenant_transaction(as_bound(tenant)):
        rencana = await RencanaAksi.get(id=team.rencana())
        progres = await ProgresHarian.create(
            rencana_aksi_id=rencana.id,
            skp_id=team.skp.id,
            pegawai_id=team.staf.id,
            periode="2026-T1",
            tanggal=date(2026, 2, 3),
            jam_mulai=time(8),
            jam_selesai=time(10),
            kegiatan=f"Menyusun dokumen di {kode}",
            realisasi=1,
            satuan="Dokumen",
        )
        await BuktiDukung.create(
            jenis=JenisBukti.TAUTAN,
            status=StatusBukti.TERSEDIA,
            pemilik_pegawai_id=team.staf.id,
            skp_id=team.skp.id,
            progres_id=progres.id,
            nama="Notula",
            tautan="https://example.org/notula",
        )
        umpan = await UmpanBalik.create(
            skp_id=team.skp.id,
            periode="2026-T1",
            sasaran=SasaranUmpanBalik.HASIL_KERJA,
            rhk_id=team.rhk.id,
            kunci_sasaran=f"rhk:{team.rhk.id}",
            teks=f"Bagus, {kode}",
            penilai_pegawai_id=team.kasi.id,
        )
        await TanggapanUmpanBalik.create(
            umpan_balik_id=umpan.id, penulis_pegawai_id=team.staf.id, teks="Terima kasih"
        )
        evaluasi = await EvaluasiPeriodik.create(
            skp_id=team.skp.id, periode="2026-T1", status=StatusEvaluasi.DITETAPKAN
        )
        keberatan = await Keberatan.create(
            evaluasi_id=evaluasi.id,
            pegawai_id=team.staf.id,
            penilai_pegawai_id=team.kasi.id,
            status=StatusKeberatan.DIAJUKAN,
            alasan=f"Keberatan di {kode}",
        )
        langganan = await WebhookLangganan.create(
            client_id=hr, url="https://example.org/hook", jenis=["skp.disetujui"], rahasia="x"
        )
        await emit(JenisPeristiwa.SKP_DISETUJUI, "skp", team.skp.id, {"kode": kode})
        event = await OutboxEvent.all().order_by("-id").first()
        pengiriman = await WebhookPengiriman.create(
            langganan=langganan,
            event=event,
            status=StatusPengiriman.MENUNGGU,
            berikutnya_pada=now(),
        )
    rows = {
        "Indikator": team.dokumen,
        "RencanaAksi": rencana,
        "ProgresHarian": progres,
        "UmpanBalik": umpan,
        "Keberatan": keberatan,
        "WebhookPengiriman": pengiriman,
    }
    return Built(team, rows, hr, payroll, pembaca)


Caller = Callable[..., Awaitable[dict]]


def as_client(portal: Portal, client_id: str, *scopes: str) -> Caller:
    async def call(query: str, **variables) -> dict:
        token = client_token(portal.idp, client_id, *scopes)
        response = await portal.api.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=bearer(token) | {"X-Instansi": portal.tenant.kode},
        )
        return response.json()

    return call


def as_pegawai(portal: Portal, pegawai, *roles) -> Caller:
    async def call(query: str, **variables) -> dict:
        return await portal.as_(pegawai, query, *roles, **variables)

    return call


def _code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def _ids(found: Any) -> set[str]:
    """Every `id` in a response's data."""
    if isinstance(found, dict):
        return {v for k, v in found.items() if k == "id"} | {
            i for v in found.values() for i in _ids(v)
        }
    if isinstance(found, list):
        return {i for v in found for i in _ids(v)}
    return set()


async def _read_path(call: Caller, root: tuple[str, str], field: str) -> str:
    """The query reading ``field`` of the root's object, selecting the ids of its items
    whether the field is a list or a connection (`nodes`)."""
    head, type_name = root
    body = await call(FIELD_SHAPE, type=type_name)
    found = next(f for f in body["data"]["__type"]["fields"] if f["name"] == field)
    kind = found["type"]
    while kind.get("ofType") and kind["kind"] in ("NON_NULL", "LIST"):
        kind = kind["ofType"]
    if (kind.get("name") or "").endswith("Connection"):
        return f"{head} {field}(first: 100) {{ nodes {{ id }} }} }} }}"
    return f"{head} {field} {{ id }} }} }}"


@pytest.fixture
async def two(portal, tenant, other_tenant):
    ours, theirs = await build(tenant), await build(other_tenant)
    # Built alike in fresh schemas: the same row numbers, the very case a bare number confuses.
    assert {t: r.id for t, r in ours.rows.items()} == {t: r.id for t, r in theirs.rows.items()}
    return ours, theirs, Portal(portal.api, portal.idp, other_tenant)


async def test_node_answers_each_new_type_as_its_read_path_does(portal, tenant, two):
    ours, _, _ = two
    team = ours.team
    rhk, skp = gid_of(tenant, team.rhk), gid_of(tenant, team.skp)
    reader = as_pegawai(portal, team.staf)
    paths = {
        type_name: (
            await _read_path(reader, root, field),
            {"rhk": rhk} if root is RHK_ROOT else {"skp": skp},
        )
        for type_name, (root, field) in READ_IN.items()
    }
    paths["WebhookPengiriman"] = (PENGIRIMAN, {})
    callers = {
        "staf (the owner)": as_pegawai(portal, team.staf),
        "kasi (the penilai)": as_pegawai(portal, team.kasi),
        "rekan (elsewhere)": as_pegawai(portal, team.rekan),
        "admin instansi": as_pegawai(portal, team.rekan, Role.ADMIN_INSTANSI),
        "hr (the subscriber)": as_client(portal, ours.hr, "webhooks:manage"),
        "payroll (another client)": as_client(portal, ours.payroll, "webhooks:manage"),
        "a client reading SKP": as_client(portal, ours.pembaca, "skp:read"),
    }
    outcomes: dict[str, set] = {t: set() for t in paths}
    for type_name, (query, variables) in paths.items():
        node_id = gid_of(tenant, ours.rows[type_name])
        for who, call in callers.items():
            own = await call(query, **variables)
            via = await call(NODE, id=node_id)
            readable = node_id in _ids(own.get("data"))
            assert _code(via) == _code(own), (type_name, who, own, via)
            if readable:
                assert via["data"]["node"]["__typename"] == type_name, (type_name, who, via)
                assert via["data"]["node"]["id"] == node_id
            else:
                assert via["data"]["node"] is None, (type_name, who, own, via)
            outcomes[type_name].add("read" if readable else _code(own) or "none")
    # Each type was compared for a principal who reads it and one who may not.
    for type_name, seen in outcomes.items():
        assert "read" in seen and seen & {"FORBIDDEN", "none"}, (type_name, seen)
    assert {"FORBIDDEN", "none"} <= outcomes["WebhookPengiriman"]  # a pegawai; payroll
    assert "FORBIDDEN" in outcomes["ProgresHarian"] & outcomes["Keberatan"]  # rekan


async def test_another_instansis_id_is_refused_and_the_same_row_number_is_ours(
    portal, tenant, other_tenant, two
):
    ours, theirs, in_b = two
    b_callers = [
        as_pegawai(in_b, theirs.team.staf),
        as_pegawai(in_b, theirs.team.rekan, Role.ADMIN_INSTANSI),
        as_client(in_b, theirs.hr, "webhooks:manage"),
    ]
    for type_name, row in ours.rows.items():
        a_id = gid_of(tenant, row)
        for call in b_callers:
            body = await call(NODE, id=a_id)
            assert _code(body) == OTHER_INSTANSI, (type_name, body)
            assert body["data"]["node"] is None
            assert "belongs to another instansi" in body["errors"][0]["message"]
            many = await call(NODES, ids=[a_id])
            assert many["data"]["nodes"] == [None]
            assert many["errors"][0]["extensions"]["code"] == OTHER_INSTANSI
        # B's id of the same row number is B's row, never A's.
        b_id = same_row_in(other_tenant, a_id)
        assert b_id == gid_of(other_tenant, theirs.rows[type_name])
        reader = b_callers[2] if type_name == "WebhookPengiriman" else b_callers[0]
        body = await reader(NODE, id=b_id)
        assert "errors" not in body, (type_name, body)
        found = body["data"]["node"]
        assert found["id"] == b_id and found["__typename"] == type_name
        text = next(v for k, v in found.items() if k not in ("__typename", "id"))
        if type_name in ("ProgresHarian", "UmpanBalik", "Keberatan"):
            assert other_tenant.kode in text and tenant.kode not in text, (type_name, found)


async def _fifty(tenant, built: Built) -> dict[str, list[str]]:
    """50 more rows of each new type, as ids."""
    team = built.team
    async with tenant_transaction(as_bound(tenant)):
        indikator = [await Indikator.create(rhk=team.rhk, teks=f"I{n}") for n in range(50)]
        rencana = [
            await RencanaAksi.create(rhk=team.rhk, periode="2026-T1", teks=f"R{n}")
            for n in range(50)
        ]
        progres = [
            await ProgresHarian.create(
                rencana_aksi_id=rencana[n].id,
                skp_id=team.skp.id,
                pegawai_id=team.staf.id,
                periode="2026-T1",
                tanggal=date(2026, 2, 3),
                jam_mulai=time(8),
                jam_selesai=time(9),
                kegiatan=f"P{n}",
                realisasi=1,
                satuan="Dokumen",
            )  # fmt: skip
            for n in range(50)
        ]
        for row in progres[::5]:
            await BuktiDukung.create(
                jenis=JenisBukti.TAUTAN, status=StatusBukti.TERSEDIA, skp_id=team.skp.id,
                pemilik_pegawai_id=team.staf.id, progres_id=row.id, nama="B",
                tautan="https://example.org/b",
            )  # fmt: skip
        umpan = [
            await UmpanBalik.create(
                skp_id=team.skp.id,
                periode="2026-T1",
                sasaran=SasaranUmpanBalik.PERILAKU,
                nilai_perilaku=f"N{n}",
                kunci_sasaran=f"perilaku:N{n}",
                penilai_pegawai_id=team.kasi.id,
            )  # fmt: skip
            for n in range(50)
        ]
        for row in umpan[::5]:
            await TanggapanUmpanBalik.create(
                umpan_balik_id=row.id, penulis_pegawai_id=team.staf.id, teks="Ya"
            )
        keberatan = []
        for n in range(50):
            evaluasi = await EvaluasiPeriodik.create(skp_id=team.skp.id, periode=f"X-{n}")
            keberatan.append(
                await Keberatan.create(
                    evaluasi_id=evaluasi.id,
                    pegawai_id=team.staf.id,
                    penilai_pegawai_id=team.kasi.id,
                    status=StatusKeberatan.DIAJUKAN,
                    alasan="K",
                )  # fmt: skip
            )
        langganan = built.rows["WebhookPengiriman"].langganan_id
        pengiriman = []
        for n in range(50):
            await emit(JenisPeristiwa.SKP_DISETUJUI, "skp", team.skp.id, {"n": n})
            event = await OutboxEvent.all().order_by("-id").first()
            pengiriman.append(
                await WebhookPengiriman.create(
                    langganan_id=langganan,
                    event=event,
                    status=StatusPengiriman.MENUNGGU,
                    berikutnya_pada=now(),
                )  # fmt: skip
            )
    made = {
        "Indikator": indikator,
        "RencanaAksi": rencana,
        "ProgresHarian": progres,
        "UmpanBalik": umpan,
        "Keberatan": keberatan,
        "WebhookPengiriman": pengiriman,
    }
    return {t: [gid(tenant, t, r.id) for r in rows] for t, rows in made.items()}


async def test_nodes_loads_each_new_type_in_a_constant_number_of_queries(portal, tenant):
    built = await build(tenant)
    many = await _fifty(tenant, built)
    staf = as_pegawai(portal, built.team.kasi)  # the penilai: the relation is looked up too
    client = as_client(portal, built.hr, "webhooks:manage")

    async def count(call: Caller, ids: list[str]) -> int:
        with count_queries() as statements:
            body = await call(NODES, ids=ids)
        assert "errors" not in body and all(body["data"]["nodes"]), body
        assert [n["id"] for n in body["data"]["nodes"]] == ids
        return len(statements)

    for type_name, ids in many.items():
        call = client if type_name == "WebhookPengiriman" else staf
        one = [gid_of(tenant, built.rows[type_name])]
        await call(NODES, ids=one)  # warm the issuer cache
        assert await count(call, one + ids) == await count(call, one), type_name
    # All six types at once cost no more than one of each.
    mixed = [i for ids in many.values() for i in ids[:16]]
    firsts = [ids[0] for ids in many.values()]
    admin = as_pegawai(portal, built.team.rekan, Role.ADMIN_INSTANSI)
    await admin(NODES, ids=firsts)
    assert await count(admin, mixed) == await count(admin, firsts)
