"""Realisasi over GraphQL: recording and replacing it, the suggestion from the daily log, the
cumulative capaian per aspect, refusals as data, tenant isolation, a fixed query count; and the
roll-up of subordinates' realisation through the cascade (decision 0008)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from tortoise.timezone import now

from ekinerja.models.tenant import (
    BuktiDukung,
    Indikator,
    Pegawai,
    ProgresHarian,
    Realisasi,
    Rhk,
    Skp,
)
from ekinerja.pelaksanaan.enums import JenisBukti, StatusBukti
from ekinerja.skp.enums import AspekIki, StatusSkp
from ekinerja.skp.salin import copy_content
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid, gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import (
    Portal,
    Team,
    beside_staf,
    build_team,
    plan,
    progres_row,
    skp_for,
)
from tests.support.query_counter import count_queries

SAVE = """mutation($input: RealisasiInput!) { simpanRealisasi(input: $input) {
  __typename ... on RealisasiDisimpan { realisasiId indikatorId periode kuantitas narasi }
  ... on MutationError { code field message } } }"""

WINDOW = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  periode statusEvaluasi
  progres(first: 100) { nodes { id bukti { id } } }
  realisasi { indikatorId rhkId realisasiId aspek target satuan kuantitas narasi
    kuantitasSampaiPeriode capaianPersen saranKuantitas jumlahProgres bukti { id nama } }
  umpanBalik { id tanggapan { id } } } }"""

BULK = """mutation($rows: [ProgresHarianInput!]!) { buatProgresHarianMassal(baris: $rows) {
  __typename ... on ProgresHarianDisimpan { progres { id } }
  ... on BarisDitolak { baris { baris field message } } } }"""

SUBMIT = """mutation($skp: ID!, $periode: String!) {
  ajukanEvaluasiPeriodik(skpId: $skp, periode: $periode) {
  __typename ... on EvaluasiDiajukan { status } ... on MutationError { code field } } }"""

ROLLUP = """query($id: ID!) { rhk(id: $id) {
  indikator { id rekap(periode: "2026-T2") {
    periode status target realisasi capaianPersen
    bagian { indikatorId pegawaiId target satuan realisasi capaianPersen tanpaRealisasi } } }
  rekap(periode: "2026-T2") { periode persenMencapaiTarget
    intervensi { rhkId pegawaiId teks mencapaiTarget capaian { indikatorId aspek capaianPersen } }
  } } }"""


def realisasi_input(tenant, indikator, periode="2026-T1", **changes) -> dict:
    return {"indikatorId": gid_of(tenant, indikator), "periode": periode} | changes


async def save(portal, who, indikator, periode="2026-T1", **changes) -> dict:
    body = await portal.as_(
        who, SAVE, input=realisasi_input(portal.tenant, indikator, periode, **changes)
    )
    assert "errors" not in body, body
    return body["data"]["simpanRealisasi"]


async def window(portal, who, team, periode="2026-T1") -> dict[str, dict]:
    body = await portal.as_(who, WINDOW, skp=gid_of(portal.tenant, team.skp), periode=periode)
    assert "errors" not in body, body
    return {r["indikatorId"]: r for r in body["data"]["pelaksanaan"]["realisasi"]}


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


async def stored(tenant) -> list[tuple[int, str, Decimal | None, str | None]]:
    async with tenant_transaction(as_bound(tenant)):
        rows = await Realisasi.all().order_by("id")
    return [(r.indikator_id, r.periode, r.kuantitas, r.narasi) for r in rows]


# --- recording ---------------------------------------------------------------------------


async def test_a_pegawai_records_and_replaces_a_realisasi(portal, team, tenant):
    first = await save(portal, team.staf, team.dokumen, kuantitas="3", narasi=" Tiga dokumen ")
    assert first["__typename"] == "RealisasiDisimpan", first
    assert (
        first["indikatorId"] == gid_of(portal.tenant, team.dokumen)
        and first["periode"] == "2026-T1"
    )
    assert dec(first["kuantitas"]) == 3 and first["narasi"] == "Tiga dokumen"

    again = await save(portal, team.staf, team.dokumen, kuantitas="5.5")
    assert again["realisasiId"] == first["realisasiId"]
    assert dec(again["kuantitas"]) == Decimal("5.5") and again["narasi"] is None
    assert await stored(tenant) == [(team.dokumen.id, "2026-T1", Decimal("5.5"), None)]

    # A narrative alone is a realisation too (e.g. for a qualitative indikator).
    told = await save(portal, team.staf, team.mutu, narasi="Dokumen sudah direviu")
    assert told["__typename"] == "RealisasiDisimpan" and told["kuantitas"] is None

    seen = await window(portal, team.staf, team)
    dokumen, mutu = (
        seen[gid_of(portal.tenant, team.dokumen)],
        seen[gid_of(portal.tenant, team.mutu)],
    )
    assert dokumen["realisasiId"] == first["realisasiId"]
    assert (dokumen["aspek"], dec(dokumen["target"]), dokumen["satuan"]) == (
        "KUANTITAS",
        12,
        "Dokumen",
    )
    assert dec(dokumen["kuantitas"]) == Decimal("5.5")
    assert mutu["narasi"] == "Dokumen sudah direviu" and mutu["capaianPersen"] is None
    assert seen[gid_of(portal.tenant, team.laporan)]["realisasiId"] is None
    # The penilai reads the same window.
    assert (await window(portal, team.kasi, team))[gid_of(portal.tenant, team.dokumen)][
        "realisasiId"
    ] == first["realisasiId"]


async def test_the_suggestion_sums_progres_in_the_indikators_satuan_only(portal, team, tenant):
    rows = [
        progres_row(portal.tenant, team.rencana(), "2026-01-12", realisasi=2, satuan="Dokumen"),
        progres_row(portal.tenant, team.rencana(), "2026-01-13", realisasi=3, satuan="DOKUMEN"),
        progres_row(portal.tenant, team.rencana(), "2026-01-14", realisasi=7, satuan="Lembar"),
        progres_row(
            portal.tenant,
            team.rencana(rhk=team.rhk_lain),
            "2026-01-15",
            realisasi=1,
            satuan="Laporan",
        ),
        # Another window does not count in T1.
        progres_row(
            portal.tenant, team.rencana("2026-T2"), "2026-04-06", realisasi=50, satuan="Dokumen"
        ),
    ]
    saved = await portal.as_(team.staf, BULK, rows=rows)
    assert saved["data"]["buatProgresHarianMassal"]["__typename"] == "ProgresHarianDisimpan", saved
    async with tenant_transaction(as_bound(tenant)):
        # Written around the API, padded: the comparison ignores spacing and case.
        await ProgresHarian.create(
            rencana_aksi_id=team.rencana(),
            skp=team.skp,
            pegawai_id=team.staf.id,
            periode="2026-T1",
            tanggal=date(2026, 1, 16),
            jam_mulai=time(8),
            jam_selesai=time(9),
            kegiatan="Impor",
            realisasi=4,
            satuan="  dokumen ",
        )

    seen = await window(portal, team.staf, team)
    dokumen, mutu, laporan = (
        seen[gid_of(portal.tenant, i)] for i in (team.dokumen, team.mutu, team.laporan)
    )
    assert dec(dokumen["saranKuantitas"]) == 2 + 3 + 4
    assert dokumen["jumlahProgres"] == 4  # every entry on the RHK, whatever its satuan
    assert mutu["saranKuantitas"] is None and mutu["jumlahProgres"] == 4  # satuan "%"
    assert dec(laporan["saranKuantitas"]) == 1 and laporan["jumlahProgres"] == 1
    # A suggestion is not a realisation.
    assert dokumen["kuantitas"] is None and dokumen["realisasiId"] is None

    t2 = await window(portal, team.staf, team, "2026-T2")
    assert dec(t2[gid_of(portal.tenant, team.dokumen)]["saranKuantitas"]) == 50
    assert t2[gid_of(portal.tenant, team.dokumen)]["jumlahProgres"] == 1
    assert t2[gid_of(portal.tenant, team.laporan)]["saranKuantitas"] is None
    assert t2[gid_of(portal.tenant, team.laporan)]["jumlahProgres"] == 0


async def test_capaian_is_cumulative_for_quantities_and_per_window_for_quality(portal, team):
    await save(portal, team.staf, team.dokumen, "2026-T1", kuantitas="3")
    await save(portal, team.staf, team.dokumen, "2026-T2", kuantitas="4")
    await save(portal, team.staf, team.mutu, "2026-T1", kuantitas="72")
    await save(portal, team.staf, team.mutu, "2026-T2", kuantitas="90")

    t1 = await window(portal, team.staf, team, "2026-T1")
    assert dec(t1[gid_of(portal.tenant, team.dokumen)]["kuantitasSampaiPeriode"]) == 3
    assert dec(t1[gid_of(portal.tenant, team.dokumen)]["capaianPersen"]) == Decimal("25.00")
    assert dec(t1[gid_of(portal.tenant, team.mutu)]["kuantitasSampaiPeriode"]) == 72
    assert dec(t1[gid_of(portal.tenant, team.mutu)]["capaianPersen"]) == Decimal("80.00")

    t2 = await window(portal, team.staf, team, "2026-T2")
    dokumen, mutu = t2[gid_of(portal.tenant, team.dokumen)], t2[gid_of(portal.tenant, team.mutu)]
    assert dec(dokumen["kuantitas"]) == 4  # this window's own
    assert dec(dokumen["kuantitasSampaiPeriode"]) == 7  # T1 + T2
    assert dokumen["capaianPersen"] == "58.33"  # 7 / 12
    assert dec(mutu["kuantitas"]) == 90
    assert dec(mutu["kuantitasSampaiPeriode"]) == 90  # not 72 + 90
    assert dec(mutu["capaianPersen"]) == Decimal("100.00")
    assert t2[gid_of(portal.tenant, team.laporan)]["kuantitasSampaiPeriode"] is None
    assert t2[gid_of(portal.tenant, team.laporan)]["capaianPersen"] is None

    # Nothing in T3 yet: the quantity carries on, the quality does not.
    t3 = await window(portal, team.staf, team, "2026-T3")
    assert t3[gid_of(portal.tenant, team.dokumen)]["kuantitas"] is None
    assert dec(t3[gid_of(portal.tenant, team.dokumen)]["kuantitasSampaiPeriode"]) == 7
    assert t3[gid_of(portal.tenant, team.mutu)]["kuantitasSampaiPeriode"] is None
    assert t3[gid_of(portal.tenant, team.mutu)]["capaianPersen"] is None


# --- refusals ----------------------------------------------------------------------------


async def test_bad_input_is_refused_as_data_and_nothing_is_written(portal, team, tenant):
    async def refusal(who, indikator, periode="2026-T1", **changes):
        result = await save(portal, who, indikator, periode, **changes)
        assert result["__typename"] == "MutationError", result
        return result["code"], result["field"]

    assert await refusal(team.staf, team.dokumen) == ("INVALID_INPUT", "kuantitas")
    assert await refusal(team.staf, team.dokumen, narasi="   ") == ("INVALID_INPUT", "kuantitas")
    assert await refusal(team.staf, team.dokumen, kuantitas="-1") == ("INVALID_INPUT", "kuantitas")
    assert await refusal(team.staf, team.dokumen, kuantitas="1e13") == (
        "INVALID_INPUT",
        "kuantitas",
    )
    assert await refusal(team.staf, team.dokumen, "2026-T5", kuantitas="1") == (
        "INVALID_INPUT",
        "periode",
    )
    assert await refusal(team.staf, team.dokumen, "2026-05", kuantitas="1") == (
        "INVALID_INPUT",
        "periode",
    )
    # Someone else's indikator looks like no indikator at all: a colleague, the penilai.
    assert await refusal(team.rekan, team.dokumen, kuantitas="1") == ("NOT_FOUND", "indikatorId")
    assert await refusal(team.kasi, team.dokumen, kuantitas="1") == ("NOT_FOUND", "indikatorId")
    missing = await portal.as_(
        team.staf,
        SAVE,
        input={
            "indikatorId": gid(tenant, "Indikator", 999999),
            "periode": "2026-T1",
            "kuantitas": "1",
        },
    )
    assert missing["data"]["simpanRealisasi"]["code"] == "NOT_FOUND"
    malformed = await portal.as_(
        team.staf, SAVE, input={"indikatorId": "abc", "periode": "2026-T1", "kuantitas": "1"}
    )
    assert malformed["data"]["simpanRealisasi"]["code"] == "INVALID_INPUT"
    assert await stored(tenant) == []


async def test_a_submitted_window_refuses_realisasi(portal, team, tenant):
    await save(portal, team.staf, team.dokumen, kuantitas="3")
    submitted = await portal.as_(
        team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["status"] == "DIAJUKAN"

    late = await save(portal, team.staf, team.dokumen, kuantitas="9")
    assert (late["code"], late["field"]) == ("WINDOW_CLOSED", "periode")
    fresh = await save(portal, team.staf, team.laporan, narasi="Terlambat")
    assert fresh["code"] == "WINDOW_CLOSED"
    assert await stored(tenant) == [(team.dokumen.id, "2026-T1", Decimal(3), None)]
    # The next window is open, and counts T1's submitted value towards the target.
    assert (await save(portal, team.staf, team.dokumen, "2026-T2", kuantitas="1"))[
        "__typename"
    ] == "RealisasiDisimpan"
    t2 = await window(portal, team.staf, team, "2026-T2")
    assert dec(t2[gid_of(portal.tenant, team.dokumen)]["kuantitasSampaiPeriode"]) == 4


async def beyond_tenant_b(team, tenant, other_tenant) -> tuple[Team, Skp, Indikator]:
    """Tenant B's team, and an SKP of A's staf with an indikator whose ids are beyond any of
    B's, so a guess cannot land on a row of B's own."""
    other = await build_team(other_tenant, "Seksi B")
    async with tenant_transaction(as_bound(tenant)):
        extra_skp = await skp_for(team.staf, team.kasi)
        extra_rhk, _ = await plan(extra_skp, "Hanya di A")
        extra = await Indikator.create(
            rhk=extra_rhk, teks="Hanya di A", aspek=AspekIki.KUANTITAS, target_min=5, satuan="X"
        )
    return other, extra_skp, extra


async def test_tenant_b_cannot_read_or_write_tenant_as_realisasi(
    portal, team, tenant, other_tenant, idp
):
    other, extra_skp, extra = await beyond_tenant_b(team, tenant, other_tenant)
    team_a_extra = Team(**{**team.__dict__, "skp": extra_skp})
    saved = await save(portal, team.staf, extra, kuantitas="2", narasi="Rahasia A")
    assert saved["__typename"] == "RealisasiDisimpan"

    b = Portal(portal.api, idp, other_tenant)
    written = await b.as_(other.staf, SAVE, input=realisasi_input(b.tenant, extra, kuantitas="99"))
    assert written["data"]["simpanRealisasi"]["code"] == "NOT_FOUND"
    read = await b.as_(other.staf, WINDOW, skp=gid_of(b.tenant, extra_skp), periode="2026-T1")
    assert "errors" not in read and read["data"]["pelaksanaan"] is None
    # Nothing of A's shows in B's own window, though B's ids overlap A's lower ones.
    own = await b.as_(other.staf, WINDOW, skp=gid_of(b.tenant, other.skp), periode="2026-T1")
    assert all(r["realisasiId"] is None for r in own["data"]["pelaksanaan"]["realisasi"])

    assert await stored(tenant) == [(extra.id, "2026-T1", Decimal(2), "Rahasia A")]
    assert await stored(other_tenant) == []
    mine = await window(portal, team.staf, team_a_extra)
    assert mine[gid_of(portal.tenant, extra)]["narasi"] == "Rahasia A"


async def test_reading_a_window_costs_the_same_queries_whatever_its_rows(portal, team, tenant):
    async def statements() -> int:
        with count_queries() as sent:
            body = await portal.as_(
                team.staf, WINDOW, skp=gid_of(portal.tenant, team.skp), periode="2026-T2"
            )
        assert body["data"]["pelaksanaan"], body
        return len(sent)

    async with tenant_transaction(as_bound(tenant)):
        await progres(team, 1)
        realised = await Realisasi.create(
            indikator=team.dokumen, skp=team.skp, periode="2026-T2", kuantitas=1
        )
        await link(team, realised)
    await statements()  # the first request warms the app's caches (identity provider)
    few = await statements()
    first = await window(portal, team.staf, team, "2026-T2")
    assert first[gid_of(portal.tenant, team.dokumen)]["jumlahProgres"] == 1

    async with tenant_transaction(as_bound(tenant)):
        await progres(team, 29)
        rhk = await Rhk.get(id=team.rhk_lain.id)
        for n in range(15):
            extra = await Indikator.create(
                rhk=rhk, teks=f"Tambahan {n}", aspek=AspekIki.KUANTITAS, target_min=10, satuan="X"
            )
            for periode in ("2026-T1", "2026-T2"):
                row = await Realisasi.create(
                    indikator=extra, skp=team.skp, periode=periode, kuantitas=n
                )
                await link(team, row)
    assert await statements() == few
    many = await window(portal, team.staf, team, "2026-T2")
    assert len(many) == 3 + 15
    assert many[gid_of(portal.tenant, team.dokumen)]["jumlahProgres"] == 30
    assert sum(len(r["bukti"]) for r in many.values()) == 1 + 15


async def progres(team: Team, count: int) -> None:
    await ProgresHarian.bulk_create(
        [
            ProgresHarian(
                rencana_aksi_id=team.rencana("2026-T2"),
                skp_id=team.skp.id,
                pegawai_id=team.staf.id,
                periode="2026-T2",
                tanggal=date(2026, 4, 1 + n % 28),
                jam_mulai=time(8),
                jam_selesai=time(9),
                kegiatan=f"Kegiatan {n}",
                realisasi=1,
                satuan="Dokumen",
            )
            for n in range(count)
        ]
    )


async def link(team: Team, realisasi: Realisasi) -> None:
    await BuktiDukung.create(
        jenis=JenisBukti.TAUTAN,
        status=StatusBukti.TERSEDIA,
        pemilik_pegawai_id=team.staf.id,
        skp_id=team.skp.id,
        realisasi=realisasi,
        nama="Tautan",
        tautan="https://drive.example/x",
        dikonfirmasi_pada=now(),
    )


# --- roll-up (decision 0008) -------------------------------------------------------------


@dataclass
class Cascade:
    """kasi's ``induk`` (20 Dokumen) on ``kasi_rhk`` is split into staf's ``dokumen`` (12)
    and ``bagian`` (8) of ``dua``, whose RHK ``dua_rhk`` also intervenes ``kasi_rhk``."""

    induk: Indikator
    dua: Pegawai
    dua_skp: Skp
    dua_rhk: Rhk
    bagian: Indikator


async def split(team: Team, aspek=AspekIki.KUANTITAS, satuan="Dokumen", targets=(20, 8)):
    org = Org()
    dua = await beside_staf(org, team, "Staf Dua")
    dua_skp = await skp_for(dua, team.kasi)
    dua_rhk, _ = await plan(dua_skp, "Dokumen wilayah tersusun", team.kasi_rhk)
    induk = await Indikator.create(
        rhk=team.kasi_rhk,
        teks="Dokumen bidang",
        aspek=aspek,
        target_min=targets[0],
        satuan="Dokumen",
    )
    await Indikator.filter(id=team.dokumen.id).update(bagian_dari_id=induk.id)
    bagian = await Indikator.create(
        rhk=dua_rhk,
        teks="Dokumen wilayah",
        aspek=aspek,
        target_min=targets[1],
        satuan=satuan,
        bagian_dari=induk,
    )
    return Cascade(induk, dua, dua_skp, dua_rhk, bagian)


async def realise(indikator: Indikator, skp: Skp, periode: str, kuantitas) -> None:
    await Realisasi.create(indikator=indikator, skp=skp, periode=periode, kuantitas=kuantitas)


async def rolled(portal, team, who=None) -> tuple[dict[str, dict], dict]:
    body = await portal.as_(who or team.kasi, ROLLUP, id=gid_of(portal.tenant, team.kasi_rhk))
    assert "errors" not in body, body
    rhk = body["data"]["rhk"]
    return {i["id"]: i["rekap"] for i in rhk["indikator"]}, rhk["rekap"]


async def test_parts_in_the_superiors_satuan_are_summed(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team, satuan=" dokumen ")
        await realise(team.dokumen, team.skp, "2026-T1", 3)
        await realise(team.dokumen, team.skp, "2026-T2", 4)
        await realise(c.bagian, c.dua_skp, "2026-T2", 5)
        await realise(c.bagian, c.dua_skp, "2026-T3", 100)  # after the window asked for
        # A superseded version of dua's SKP with a realised part: ignored.
        old = await skp_for(c.dua, team.kasi)
        old.digantikan_pada = now()
        await old.save()
        old_rhk, _ = await plan(old, "Versi lama", team.kasi_rhk)
        old_part = await Indikator.create(
            rhk=old_rhk,
            teks="Lama",
            aspek=AspekIki.KUANTITAS,
            target_min=8,
            satuan="Dokumen",
            bagian_dari=c.induk,
        )
        await realise(old_part, old, "2026-T2", 1000)

    by_indikator, _ = await rolled(portal, team)
    roll = by_indikator[gid_of(portal.tenant, c.induk)]
    assert (roll["periode"], roll["status"]) == ("2026-T2", "SEBANDING")
    assert dec(roll["target"]) == 20
    assert dec(roll["realisasi"]) == 3 + 4 + 5
    assert roll["capaianPersen"] == "60.00"  # 12 / 20
    parts = {b["indikatorId"]: b for b in roll["bagian"]}
    assert set(parts) == {
        gid_of(portal.tenant, team.dokumen),
        gid_of(portal.tenant, c.bagian),
    }  # not the old version's
    assert parts[gid_of(portal.tenant, team.dokumen)]["pegawaiId"] == gid_of(
        portal.tenant, team.staf
    )
    assert dec(parts[gid_of(portal.tenant, team.dokumen)]["realisasi"]) == 7
    assert dec(parts[gid_of(portal.tenant, team.dokumen)]["capaianPersen"]) == Decimal("58.33")
    assert dec(parts[gid_of(portal.tenant, c.bagian)]["realisasi"]) == 5
    assert parts[gid_of(portal.tenant, c.bagian)]["capaianPersen"] == "62.50"
    assert not any(b["tanpaRealisasi"] for b in roll["bagian"])


async def test_a_part_without_realisation_counts_as_zero_and_is_flagged(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team)
        await realise(team.dokumen, team.skp, "2026-T2", 7)
    roll = (await rolled(portal, team))[0][gid_of(portal.tenant, c.induk)]
    assert roll["status"] == "SEBANDING"
    assert dec(roll["realisasi"]) == 7 and roll["capaianPersen"] == "35.00"
    flagged = {b["indikatorId"]: b["tanpaRealisasi"] for b in roll["bagian"]}
    assert flagged == {
        gid_of(portal.tenant, team.dokumen): False,
        gid_of(portal.tenant, c.bagian): True,
    }
    missing = next(b for b in roll["bagian"] if b["indikatorId"] == gid_of(portal.tenant, c.bagian))
    assert missing["realisasi"] is None and missing["capaianPersen"] is None


async def test_a_part_in_another_satuan_makes_the_roll_up_not_comparable(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team, satuan="Laporan")
        await realise(team.dokumen, team.skp, "2026-T2", 4)
        await realise(c.bagian, c.dua_skp, "2026-T2", 5)
    roll = (await rolled(portal, team))[0][gid_of(portal.tenant, c.induk)]
    assert roll["status"] == "TIDAK_SEBANDING"
    assert roll["realisasi"] is None and roll["capaianPersen"] is None
    # The parts are still shown, each with its own numbers.
    assert {b["satuan"]: dec(b["realisasi"]) for b in roll["bagian"]} == {
        "Dokumen": 4,
        "Laporan": 5,
    }


async def test_quality_parts_are_weighted_by_their_targets(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team, AspekIki.KUALITAS, targets=(90, 100))
        await Indikator.filter(id=team.dokumen.id).update(
            aspek=AspekIki.KUALITAS, target_min=90, satuan="Dokumen"
        )
        await realise(team.dokumen, team.skp, "2026-T1", 10)  # not carried into T2
        await realise(team.dokumen, team.skp, "2026-T2", 81)  # 90 % of 90
        await realise(c.bagian, c.dua_skp, "2026-T2", 100)  # 100 % of 100
    roll = (await rolled(portal, team))[0][gid_of(portal.tenant, c.induk)]
    assert roll["status"] == "SEBANDING"
    assert roll["realisasi"] is None  # nothing is summed for quality
    # (90 × 90 + 100 × 100) / (90 + 100) = 95.26
    assert roll["capaianPersen"] == "95.26"
    parts = {b["indikatorId"]: b for b in roll["bagian"]}
    assert dec(parts[gid_of(portal.tenant, team.dokumen)]["realisasi"]) == 81
    assert dec(parts[gid_of(portal.tenant, team.dokumen)]["capaianPersen"]) == 90


async def test_the_rhk_roll_up_lists_intervening_rhk_and_the_share_on_target(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team)
        await realise(team.dokumen, team.skp, "2026-T1", 3)
        await realise(team.dokumen, team.skp, "2026-T2", 4)  # 7 / 12
        await realise(team.mutu, team.skp, "2026-T2", 90)  # 100 %
        await realise(c.bagian, c.dua_skp, "2026-T2", 8)  # 100 %
        old = await skp_for(c.dua, team.kasi)
        old.digantikan_pada = now()
        await old.save()
        await plan(old, "Versi lama", team.kasi_rhk)

    _, roll = await rolled(portal, team)
    assert roll["periode"] == "2026-T2"
    rows = {i["rhkId"]: i for i in roll["intervensi"]}
    assert list(rows) == [
        gid_of(portal.tenant, team.rhk),
        gid_of(portal.tenant, c.dua_rhk),
    ]  # not the superseded version
    mine = rows[gid_of(portal.tenant, team.rhk)]
    assert mine["pegawaiId"] == gid_of(portal.tenant, team.staf) and mine["teks"] == team.rhk.teks
    assert [(x["indikatorId"], x["aspek"], x["capaianPersen"]) for x in mine["capaian"]] == [
        (gid_of(portal.tenant, team.dokumen), "KUANTITAS", "58.33"),
        (gid_of(portal.tenant, team.mutu), "KUALITAS", "100.00"),
    ]
    assert mine["mencapaiTarget"] is False
    assert rows[gid_of(portal.tenant, c.dua_rhk)]["mencapaiTarget"] is True
    assert roll["persenMencapaiTarget"] == "50.00"

    # An RHK nobody intervenes has an empty roll-up, an undivided indikator says so; the
    # subordinate may read them too.
    alone = (await portal.as_(team.staf, ROLLUP, id=gid_of(portal.tenant, team.rhk_lain)))["data"][
        "rhk"
    ]
    assert alone["rekap"] == {"periode": "2026-T2", "persenMencapaiTarget": None, "intervensi": []}
    laporan = alone["indikator"][0]["rekap"]
    assert (laporan["status"], laporan["bagian"], laporan["realisasi"]) == (
        "BELUM_DIBAGI",
        [],
        None,
    )


async def test_roll_ups_of_many_indikator_cost_the_same_queries(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team)
        await realise(team.dokumen, team.skp, "2026-T2", 4)

    async def statements() -> tuple[int, dict]:
        with count_queries() as sent:
            by_indikator, roll = await rolled(portal, team)
        return len(sent), by_indikator

    await statements()  # the first request warms the app's caches (identity provider)
    few, by_indikator = await statements()
    assert sum(len(r["bagian"]) for r in by_indikator.values()) == 2

    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        for n in range(2):
            induk = await Indikator.create(
                rhk_id=team.kasi_rhk.id,
                teks=f"Induk {n}",
                aspek=AspekIki.KUANTITAS,
                target_min=10,
                satuan="Berkas",
            )
            for m in range(2):
                who = await beside_staf(org, team, f"Staf {n}{m}")
                skp = await skp_for(who, team.kasi)
                rhk, _ = await plan(skp, f"Berkas {n}{m}", team.kasi_rhk)
                part = await Indikator.create(
                    rhk=rhk,
                    teks="Berkas",
                    aspek=AspekIki.KUANTITAS,
                    target_min=5,
                    satuan="Berkas",
                    bagian_dari=induk,
                )
                await realise(part, skp, "2026-T2", 5)
    many, by_indikator = await statements()
    assert sum(len(r["bagian"]) for r in by_indikator.values()) == 6
    assert len(by_indikator) == 3
    assert [r["capaianPersen"] for r in by_indikator.values()].count("100.00") == 2
    assert by_indikator[gid_of(portal.tenant, c.induk)]["capaianPersen"] == "20.00"
    assert many == few


async def test_a_pending_revision_does_not_count_twice(portal, team, tenant):
    """A perubahan copies the SKP with its parts and interventions (skp/copying.py); until it
    is approved the approved version is the one in force and the only one that counts."""
    async with tenant_transaction(as_bound(tenant)):
        c = await split(team, AspekIki.KUALITAS, targets=(90, 100))
        await Indikator.filter(id=team.dokumen.id).update(aspek=AspekIki.KUALITAS, target_min=90)
        await realise(c.bagian, c.dua_skp, "2026-T2", 50)  # 50 % of 100
        revision = await Skp.create(
            **{
                name: getattr(c.dua_skp, name)
                for name in ("pegawai_id", "tahun", "periode_awal", "periode_akhir")
                + ("pendekatan", "jenis_form", "penilai_pegawai_id", "snapshot_pegawai")
            },
            versi=2,
            menggantikan_id=c.dua_skp.id,
            status=StatusSkp.DRAFT,
        )
        await copy_content(c.dua_skp.id, revision.id, same_period=True)
        copied = await Indikator.get(bagian_dari_id=c.induk.id, rhk__skp_id=revision.id)

    by_indikator, roll = await rolled(portal, team)
    parts = {b["indikatorId"] for b in by_indikator[gid_of(portal.tenant, c.induk)]["bagian"]}
    assert parts == {gid_of(portal.tenant, team.dokumen), gid_of(portal.tenant, c.bagian)}
    assert gid_of(portal.tenant, copied) not in parts
    # staf's part has no realisation: (0 × 90 + 50 × 100) / (90 + 100), not diluted further
    # by the revision's unrealised copy of dua's part.
    assert by_indikator[gid_of(portal.tenant, c.induk)]["capaianPersen"] == "26.32"
    assert [i["rhkId"] for i in roll["intervensi"]] == [
        gid_of(portal.tenant, team.rhk),
        gid_of(portal.tenant, c.dua_rhk),
    ]

    # Once the revision is approved it replaces the old version.
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=c.dua_skp.id).update(digantikan_pada=now())
        await Skp.filter(id=revision.id).update(status=StatusSkp.DISETUJUI)
    by_indikator, roll = await rolled(portal, team)
    parts = {b["indikatorId"] for b in by_indikator[gid_of(portal.tenant, c.induk)]["bagian"]}
    assert parts == {gid_of(portal.tenant, team.dokumen), gid_of(portal.tenant, copied)}
    assert len(roll["intervensi"]) == 2 and gid_of(portal.tenant, c.dua_rhk) not in {
        i["rhkId"] for i in roll["intervensi"]
    }


# --- a whole window in one call ----------------------------------------------------------

SAVE_BULK = """mutation($skp: ID!, $periode: String!, $items: [ButirRealisasiInput!]!) {
  simpanRealisasiMassal(skpId: $skp, periode: $periode, butir: $items) {
  __typename ... on RealisasiMassalDisimpan { realisasi { realisasiId indikatorId periode kuantitas
    narasi } }
  ... on BarisDitolak { code baris { baris field message } }
  ... on MutationError { code field message } } }"""


def item(tenant, indikator, **values) -> dict:
    return {
        "indikatorId": indikator if isinstance(indikator, str) else gid_of(tenant, indikator)
    } | values


async def save_bulk(portal, who, skp, items, periode="2026-T1") -> dict:
    body = await portal.as_(
        who, SAVE_BULK, skp=gid_of(portal.tenant, skp), periode=periode, items=items
    )
    assert "errors" not in body, body
    return body["data"]["simpanRealisasiMassal"]


async def test_a_window_is_saved_in_one_call_and_replaced_in_one_call(portal, team, tenant):
    items = [
        item(portal.tenant, team.dokumen, kuantitas="3", narasi=" Tiga dokumen "),
        item(portal.tenant, team.mutu, kuantitas="95"),
        item(portal.tenant, team.laporan, narasi="Laporan Januari"),
    ]
    first = await save_bulk(portal, team.staf, team.skp, items)
    assert first["__typename"] == "RealisasiMassalDisimpan", first
    assert [r["indikatorId"] for r in first["realisasi"]] == [
        gid_of(portal.tenant, team.dokumen),
        gid_of(portal.tenant, team.mutu),
        gid_of(portal.tenant, team.laporan),
    ]
    assert {r["periode"] for r in first["realisasi"]} == {"2026-T1"}
    assert await stored(tenant) == [
        (team.dokumen.id, "2026-T1", Decimal(3), "Tiga dokumen"),
        (team.mutu.id, "2026-T1", Decimal(95), None),
        (team.laporan.id, "2026-T1", None, "Laporan Januari"),
    ]

    # Saving again replaces the rows named (same ids) and leaves the others alone.
    again = await save_bulk(
        portal, team.staf, team.skp, [item(portal.tenant, team.dokumen, kuantitas="5.5")]
    )
    assert again["realisasi"][0]["realisasiId"] == first["realisasi"][0]["realisasiId"]
    assert (await stored(tenant))[0] == (team.dokumen.id, "2026-T1", Decimal("5.5"), None)
    assert len(await stored(tenant)) == 3
    seen = await window(portal, team.staf, team)
    assert dec(seen[gid_of(portal.tenant, team.dokumen)]["kuantitas"]) == Decimal("5.5")
    assert seen[gid_of(portal.tenant, team.laporan)]["narasi"] == "Laporan Januari"


async def test_one_bad_item_refuses_the_whole_window_and_every_bad_item_is_named(
    portal, team, tenant
):
    async with tenant_transaction(as_bound(tenant)):
        draft_rhk = await Rhk.filter(skp_id=team.draft.id).first()
        elsewhere = await Indikator.create(
            rhk=draft_rhk, teks="Milik rekan", aspek=AspekIki.KUANTITAS, target_min=1, satuan="X"
        )
    items = [
        item(portal.tenant, team.dokumen, kuantitas="3"),
        item(portal.tenant, team.mutu, kuantitas="-1"),
        item(portal.tenant, elsewhere, kuantitas="1"),
        item(portal.tenant, team.dokumen, kuantitas="4"),
        item(portal.tenant, team.laporan, narasi="   "),
        item(portal.tenant, "abc", kuantitas="1"),
        item(portal.tenant, team.laporan, kuantitas="1", narasi="x" * 5001),
    ]
    refused = await save_bulk(portal, team.staf, team.skp, items)
    assert refused["__typename"] == "BarisDitolak", refused
    assert refused["code"] == "INVALID_ROWS"
    assert [(r["baris"], r["field"]) for r in refused["baris"]] == [
        (2, "kuantitas"),
        (3, "indikatorId"),
        (4, "indikatorId"),
        (5, "kuantitas"),
        (6, "indikatorId"),
        (7, "indikatorId"),  # every problem of a row: given twice, and too long a narrative
        (7, "narasi"),
    ]
    messages = {r["baris"]: r["message"] for r in refused["baris"]}
    assert "already given in row 1" in messages[4]
    assert f"no indikator with id {elsewhere.id}" in messages[3]
    assert await stored(tenant) == []


async def test_the_bulk_save_is_bounded_and_needs_items(portal, team, tenant):
    too_many = [item(portal.tenant, team.dokumen, kuantitas="1")] * 1001
    refused = await save_bulk(portal, team.staf, team.skp, too_many)
    assert (refused["code"], refused["field"]) == ("TOO_MANY_ROWS", "items")
    empty = await save_bulk(portal, team.staf, team.skp, [])
    assert (empty["code"], empty["field"]) == ("INVALID_INPUT", "items")
    assert await stored(tenant) == []


async def test_the_bulk_save_refuses_a_closed_window_a_bad_window_and_an_unapproved_skp(
    portal, team, tenant
):
    await save_bulk(portal, team.staf, team.skp, [item(portal.tenant, team.dokumen, kuantitas="3")])
    submitted = await portal.as_(
        team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp), periode="2026-T1"
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["status"] == "DIAJUKAN"

    late = await save_bulk(
        portal, team.staf, team.skp, [item(portal.tenant, team.laporan, kuantitas="9")]
    )
    assert (late["code"], late["field"]) == ("WINDOW_CLOSED", "periode")
    bad = await save_bulk(
        portal, team.staf, team.skp, [item(portal.tenant, team.laporan, kuantitas="9")], "2026-T5"
    )
    assert (bad["code"], bad["field"]) == ("INVALID_INPUT", "periode")
    draft = await save_bulk(
        portal, team.rekan, team.draft, [item(portal.tenant, team.laporan, kuantitas="1")]
    )
    assert (draft["code"], draft["field"]) == ("SKP_NOT_APPROVED", "skpId")
    assert await stored(tenant) == [(team.dokumen.id, "2026-T1", Decimal(3), None)]
    # The next window is open.
    t2 = await save_bulk(
        portal, team.staf, team.skp, [item(portal.tenant, team.laporan, kuantitas="1")], "2026-T2"
    )
    assert t2["__typename"] == "RealisasiMassalDisimpan", t2


async def test_another_pegawais_skp_looks_like_no_skp(portal, team, tenant):
    for who in (team.rekan, team.kasi):
        refused = await save_bulk(
            portal, who, team.skp, [item(portal.tenant, team.dokumen, kuantitas="1")]
        )
        assert (refused["code"], refused["field"]) == ("NOT_FOUND", "skpId"), refused
    missing = await portal.as_(
        team.staf,
        SAVE_BULK,
        skp=gid(tenant, "Skp", 999999),
        periode="2026-T1",
        items=[item(portal.tenant, team.dokumen)],
    )
    assert missing["data"]["simpanRealisasiMassal"]["code"] == "NOT_FOUND"
    malformed = await portal.as_(
        team.staf,
        SAVE_BULK,
        skp="abc",
        periode="2026-T1",
        items=[item(portal.tenant, team.dokumen)],
    )
    assert malformed["data"]["simpanRealisasiMassal"]["code"] == "INVALID_INPUT"
    assert await stored(tenant) == []


async def test_tenant_b_cannot_bulk_save_into_tenant_as_skp(
    portal, team, tenant, other_tenant, idp
):
    other, extra_skp, extra = await beyond_tenant_b(team, tenant, other_tenant)
    b = Portal(portal.api, idp, other_tenant)
    written = await b.as_(
        other.staf,
        SAVE_BULK,
        skp=gid_of(b.tenant, extra_skp),
        periode="2026-T1",
        items=[item(b.tenant, extra, kuantitas="99")],
    )
    assert written["data"]["simpanRealisasiMassal"]["code"] == "NOT_FOUND"
    # B's own SKP does not take A's indikator either, though B's ids overlap A's lower ones.
    mixed = await b.as_(
        other.staf,
        SAVE_BULK,
        skp=gid_of(b.tenant, other.skp),
        periode="2026-T1",
        items=[item(b.tenant, extra, kuantitas="99")],
    )
    assert mixed["data"]["simpanRealisasiMassal"]["baris"][0]["field"] == "indikatorId"
    assert await stored(tenant) == []
    assert await stored(other_tenant) == []
    own = await save_bulk(b, other.staf, other.skp, [item(b.tenant, other.dokumen, kuantitas="2")])
    assert own["__typename"] == "RealisasiMassalDisimpan"
    assert await stored(other_tenant) == [(other.dokumen.id, "2026-T1", Decimal(2), None)]
    assert await stored(tenant) == []


async def test_a_bulk_save_costs_the_same_statements_whatever_its_items(portal, team, tenant):
    async def statements(items) -> int:
        with count_queries() as sent:
            saved = await save_bulk(portal, team.staf, team.skp, items)
        assert saved["__typename"] == "RealisasiMassalDisimpan", saved
        return len(sent)

    few = [
        item(portal.tenant, team.dokumen, kuantitas="1"),
        item(portal.tenant, team.mutu, kuantitas="90"),
    ]
    await statements(few)  # the first request warms the app's caches (identity provider)
    count = await statements(few)

    async with tenant_transaction(as_bound(tenant)):
        rhk = await Rhk.get(id=team.rhk_lain.id)
        extra = [
            await Indikator.create(
                rhk=rhk, teks=f"Tambahan {n}", aspek=AspekIki.KUANTITAS, target_min=10, satuan="X"
            )
            for n in range(25)
        ]
    many = few + [
        item(portal.tenant, i, kuantitas=str(n), narasi=f"Ke-{n}") for n, i in enumerate(extra)
    ]
    assert await statements(many) == count
    assert len(await stored(tenant)) == 2 + 25
