"""A small team with an approved SKP ready for execution, built directly through the models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import httpx

from ekinerja.models.tenant import Indikator, Pegawai, Penugasan, RencanaAksi, Rhk, Skp
from ekinerja.skp.enums import AspekIki, JenisFormSkp, PendekatanSkp, StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid
from tests.support.org import Org

WINDOWS = ("2026-T1", "2026-T2", "2026-T3", "2026-T4")


@dataclass
class Team:
    """``staf`` is appraised by ``kasi``; ``rekan`` works elsewhere. ``skp`` is staf's approved
    SKP: RHK ``rhk`` (indikator ``dokumen``: 12 Dokumen, ``mutu``: 90 % KUALITAS) and
    ``rhk_lain`` (indikator ``laporan``: 4 Laporan); ``ra[(rhk id, window)]`` its rencana aksi.
    ``draft`` is rekan's unapproved SKP with rencana aksi ``draft_ra``."""

    kasi: Pegawai
    staf: Pegawai
    rekan: Pegawai
    kasi_rhk: Rhk
    skp: Skp
    rhk: Rhk
    rhk_lain: Rhk
    dokumen: Indikator
    mutu: Indikator
    laporan: Indikator
    ra: dict[tuple[int, str], int]
    draft: Skp
    draft_ra: int

    def rencana(self, window: str = "2026-T1", rhk: Rhk | None = None) -> int:
        return self.ra[((rhk or self.rhk).id, window)]


async def skp_for(pegawai: Pegawai, penilai: Pegawai | None, status=StatusSkp.DISETUJUI) -> Skp:
    return await Skp.create(
        pegawai=pegawai,
        tahun=2026,
        periode_awal=date(2026, 1, 1),
        periode_akhir=date(2026, 12, 31),
        pendekatan=PendekatanSkp.KUANTITATIF,
        jenis_form=JenisFormSkp.JA_JF,
        status=status,
        snapshot_pegawai={"nama": pegawai.nama, "nip": pegawai.nip},
        penilai_pegawai_id=penilai.id if penilai else None,
    )


async def plan(skp: Skp, teks: str, intervensi: Rhk | None = None) -> tuple[Rhk, dict]:
    rhk = await Rhk.create(skp=skp, teks=teks, intervensi_id=intervensi.id if intervensi else None)
    ra = {}
    for window in WINDOWS:
        ra[(rhk.id, window)] = (
            await RencanaAksi.create(rhk=rhk, periode=window, teks=f"{teks} {window}")
        ).id
    return rhk, ra


async def beside_staf(org: Org, team: Team, nama: str) -> Pegawai:
    """A pegawai in staf's unit, so appraised by kasi as staf is (a roll-up shows kasi the
    capaian of those kasi appraises only)."""
    held = await Penugasan.get(pegawai_id=team.staf.id).select_related("jabatan__unit")
    return await org.pegawai(nama, await org.jabatan(f"Analis {nama}", held.jabatan.unit))


async def build_team(tenant, unit_name: str = "Seksi Data") -> Team:
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit(unit_name)
        other = await org.unit(f"{unit_name} Lain")
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", unit, head=True))
        staf = await org.pegawai("Staf", await org.jabatan("Analis Data", unit))
        rekan = await org.pegawai("Rekan", await org.jabatan("Analis Lain", other))
        kasi_skp = await skp_for(kasi, None)
        kasi_rhk, _ = await plan(kasi_skp, "Data terkelola")
        skp = await skp_for(staf, kasi)
        rhk, ra = await plan(skp, "Dokumen analisis tersusun", kasi_rhk)
        rhk_lain, ra_lain = await plan(skp, "Laporan bulanan")
        dokumen = await Indikator.create(
            rhk=rhk,
            teks="Jumlah dokumen",
            aspek=AspekIki.KUANTITAS,
            target_min=Decimal(12),
            satuan="Dokumen",
        )
        mutu = await Indikator.create(
            rhk=rhk,
            teks="Mutu dokumen",
            aspek=AspekIki.KUALITAS,
            target_min=Decimal(90),
            satuan="%",
            urutan=1,
        )
        laporan = await Indikator.create(
            rhk=rhk_lain,
            teks="Jumlah laporan",
            aspek=AspekIki.KUANTITAS,
            target_min=Decimal(4),
            satuan="Laporan",
        )
        draft = await skp_for(rekan, kasi, StatusSkp.DRAFT)
        _, draft_ra = await plan(draft, "Rencana draf")
        return Team(
            kasi,
            staf,
            rekan,
            kasi_rhk,
            skp,
            rhk,
            rhk_lain,
            dokumen,
            mutu,
            laporan,
            ra | ra_lain,
            draft,
            draft_ra[next(iter(draft_ra))],
        )


def progres_row(tenant, rencana_aksi_id: int | str, tanggal: str = "2026-02-03", **changes) -> dict:
    """A progres harian input on a rencana aksi of ``tenant`` (a row number, or an id as is)."""
    if not isinstance(rencana_aksi_id, str):
        rencana_aksi_id = gid(tenant, "RencanaAksi", rencana_aksi_id)
    row = {
        "rencanaAksiId": rencana_aksi_id,
        "tanggal": tanggal,
        "jamMulai": "08:00:00",
        "jamSelesai": "10:00:00",
        "kegiatan": "Menyusun dokumen analisis",
        "realisasi": 1,
        "satuan": "Dokumen",
    }
    return row | changes


class Portal:
    """GraphQL calls as a pegawai of a tenant, with real tokens."""

    def __init__(self, api: httpx.AsyncClient, idp, tenant) -> None:
        self.api, self.idp, self.tenant = api, idp, tenant

    async def as_(self, pegawai: Pegawai | str, query: str, *roles, **variables) -> dict:
        nip = pegawai if isinstance(pegawai, str) else pegawai.nip
        response = await self.api.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers=principal_header(self.idp, self.tenant.kode, nip, *roles),
        )
        return response.json()
