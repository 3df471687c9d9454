"""The reference portal's operations (examples/portal/) do what a portal needs when sent as
written, to the app on a real database: a pegawai reads the SKP and its cascade, logs a day,
saves realisasi and submits the window, the penilai monitors and rates it, a refusal comes back
readable, an admin pages through the pegawai and reads the settings. Every id used is one an
earlier answer gave, as a portal would have it. tests/test_examples_portal.py checks every
document statically."""

from __future__ import annotations

from decimal import Decimal

from ekinerja.auth.principal import Role
from tests.test_examples_portal import document_text


async def send(portal, pegawai, name: str, *roles, **variables) -> dict:
    """Operation ``name`` with its fragments, as the portal sends it; its data (no errors)."""
    answer = await portal.as_(pegawai, document_text(name), *roles, **variables)
    assert "errors" not in answer, f"{name}: {answer}"
    return answer["data"]


def only(data: dict):
    """The one root field's value (read without naming the field: names change, 0027)."""
    [value] = data.values()
    return value


def succeeded(result: dict) -> dict:
    """A mutation's result, checked to be its success member, not a refusal."""
    assert result["__typename"] not in {"MutationError", "BarisDitolak"}, result
    return result


async def pegawai_reads_logs_and_reports(portal, team) -> None:
    [skp] = (await send(portal, team.staf, "SkpSayaQuery", tahun=2026))["skpSaya"]["nodes"]
    assert skp["status"] == "DISETUJUI" and skp["tahun"] == 2026
    rhk = next(r for r in skp["rhk"] if r["teks"] == "Dokumen analisis tersusun")
    assert rhk["intervensi"]["teks"] == "Data terkelola"  # the cascade from kasi's RHK
    assert {i["teks"] for i in rhk["indikator"]} == {"Jumlah dokumen", "Mutu dokumen"}
    [rencana] = [a for a in rhk["rencanaAksi"] if a["periode"] == "2026-T1"]

    tree = await send(portal, team.kasi, "CascadeRhkQuery", rhk=rhk["intervensi"]["id"])
    assert [n["teks"] for n in tree["rhk"]["cascadeBawah"]] == ["Dokumen analisis tersusun"]

    logged = await send(
        portal,
        team.staf,
        "CatatProgresMutation",
        input={
            "rencanaAksiId": rencana["id"],
            "tanggal": "2026-02-03",
            "jamMulai": "08:00",
            "jamSelesai": "11:30",
            "kegiatan": "Verifikasi 12 berkas",
            "realisasi": 12,
            "satuan": "Dokumen",
        },
    )
    saved = succeeded(only(logged))
    assert [(p["tanggal"], p["jamMulai"]) for p in saved["progres"]] == [("2026-02-03", "08:00:00")]

    window = only(
        await send(
            portal, team.staf, "PelaksanaanQuery", skp=skp["id"], periode="2026-T1", first=20
        )
    )
    assert [p["kegiatan"] for p in window["progres"]["nodes"]] == ["Verifikasi 12 berkas"]
    jumlah = next(
        r for r in window["realisasi"] if r["target"] is not None and r["satuan"] == "Dokumen"
    )
    reported = await send(
        portal,
        team.staf,
        "SimpanRealisasiMutation",
        skp=skp["id"],
        periode="2026-T1",
        items=[{"indikatorId": jumlah["indikatorId"], "kuantitas": "12", "narasi": "Semua"}],
    )
    result = succeeded(only(reported))
    assert [Decimal(r["kuantitas"]) for r in result["realisasi"]] == [12]

    monitored = await send(
        portal, team.kasi, "MonitoringPelaksanaanQuery", tahun=2026, periode="2026-T1", first=20
    )
    [row] = [m for m in only(monitored)["nodes"] if m["nip"] == team.staf.nip]
    assert row["skpId"] == skp["id"] and row["indikatorTerealisasi"] == 1, row

    submitted = await send(
        portal, team.staf, "AjukanEvaluasiMutation", skp=skp["id"], periode="2026-T1"
    )
    assert succeeded(only(submitted))["status"] == "DIAJUKAN", submitted
    queue = await send(portal, team.kasi, "AntrianEvaluasiQuery", periode="2026-T1", first=20)
    [evaluasi] = only(queue)["nodes"]
    assert evaluasi["skpId"] == skp["id"] and evaluasi["status"] == "DIAJUKAN", evaluasi
    rated = await send(
        portal,
        team.kasi,
        "NilaiEvaluasiMutation",
        evaluasi=evaluasi["id"],
        versi=evaluasi["versiKunci"],
        hasilKerja="SESUAI_EKSPEKTASI",
        perilaku="SESUAI_EKSPEKTASI",
    )
    result = succeeded(only(rated))
    assert (result["status"], result["predikat"]) == ("DINILAI", "BAIK"), result


async def refusal_reads_as_one(portal, team) -> None:
    """rekan submits a draft with a stale version: the error member shows why."""
    [draft] = (await send(portal, team.rekan, "SkpSayaQuery", tahun=2026))["skpSaya"]["nodes"]
    assert draft["status"] == "DRAFT"
    stale = await send(
        portal, team.rekan, "AjukanSkpMutation", skp=draft["id"], versi=draft["versiKunci"] + 1
    )
    refused = only(stale)
    assert refused["__typename"] == "MutationError", refused
    assert refused["code"] == "STALE_VERSION" and refused["field"] == "versiDiharapkan", refused
    assert refused["message"]
    queue = await send(portal, team.kasi, "AntrianPersetujuanQuery", first=20)
    assert only(queue)["nodes"] == []


async def admin_pages_and_reads_settings(portal, team) -> None:
    seen, after = [], None
    for _ in range(5):
        page = (
            await send(
                portal, team.kasi, "DaftarPegawaiQuery", Role.ADMIN_INSTANSI, first=2, after=after
            )
        )["daftarPegawai"]
        assert len(page["edges"]) <= 2
        seen += [edge["node"]["nip"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted({team.kasi.nip, team.staf.nip, team.rekan.nip})

    settings = (await send(portal, team.kasi, "PengaturanQuery", Role.ADMIN_INSTANSI))[
        "pengaturanInstansi"
    ]
    assert settings and all(s["kunci"] and "berlaku" in s for s in settings)
    unknown = await send(
        portal,
        team.kasi,
        "UbahPengaturanMutation",
        Role.ADMIN_INSTANSI,
        kunci="tidak.ada",
        nilai=1,
    )
    refused = only(unknown)
    assert refused["__typename"] == "MutationError" and refused["field"] == "kunci", refused


async def test_the_documents_serve_the_portal_as_written(portal, team):
    """One tenant for the three (a tenant costs more than the requests)."""
    await pegawai_reads_logs_and_reports(portal, team)
    await refusal_reads_as_one(portal, team)
    await admin_pages_and_reads_settings(portal, team)
