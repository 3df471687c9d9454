"""National questions over the read model: every active instansi (filtered by jenis and
province), its latest figures, and the totals of the filtered set. One query whatever the
page; audited in the central log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ekinerja.db.config import SHARED_SCHEMA
from ekinerja.db.sql import fetch
from ekinerja.logging import request_id_var
from ekinerja.models.shared import AuditPusat, JenisInstansi
from ekinerja.nasional.statistik import Angka
from ekinerja.paging import DEFAULT_FIRST
from ekinerja.refusals import Refusal
from ekinerja.tenants.provinsi import check_provinsi

_SQL = f"""
SELECT i.kode, i.nama, i.jenis, i.provinsi, s.pegawai, s.skp_dibuat, s.skp_diajukan,
       s.skp_disetujui, s.rhk_jumlah, s.rhk_terhubung, s.evaluasi_diajukan,
       s.evaluasi_dinilai, s.evaluasi_ditetapkan, s.tahunan_ditetapkan, s.predikat, s.kurva,
       s.dihitung_pada
FROM {SHARED_SCHEMA}.instansi i
LEFT JOIN {SHARED_SCHEMA}.statistik_instansi s ON s.instansi_id = i.id AND s.tahun = $1
WHERE i.status = 'ACTIVE'
  AND ($2::text[] IS NULL OR i.jenis = ANY($2::text[]))
  AND ($3::text[] IS NULL OR i.provinsi = ANY($3::text[]))
ORDER BY i.kode"""


@dataclass(frozen=True)
class BarisInstansi:
    kode: str
    nama: str
    jenis: JenisInstansi
    provinsi: str | None
    angka: Angka | None  # None: not computed yet
    dihitung_pada: datetime | None


@dataclass(frozen=True)
class Laporan:
    jumlah: Angka  # totals over every instansi of the filtered set that has figures
    instansi_total: int
    instansi_dihitung: int
    tertua_dihitung_pada: datetime | None
    baris: list[BarisInstansi]  # this page, by kode
    ada_lagi: bool


def _check(provinsi: list[str] | None) -> None:
    for index, kode in enumerate(provinsi or ()):
        try:
            check_provinsi(kode)
        except ValueError as exc:
            raise Refusal("INVALID_INPUT", str(exc), f"provinsi[{index}]") from None


async def nasional(
    tahun: int,
    actor: str,
    jenis: list[JenisInstansi] | None = None,
    provinsi: list[str] | None = None,
    first: int = DEFAULT_FIRST,
    after: str | None = None,
) -> Laporan:
    """The totals over the filtered instansi and the page of ``first`` of them after kode
    ``after`` (the caller checked ``first`` against the page-size policy, decision 0029)."""
    _check(provinsi)
    rows = await fetch(_SQL, tahun, [j.value for j in jenis] if jenis else None, provinsi)
    lines = [
        BarisInstansi(
            kode=r["kode"],
            nama=r["nama"],
            jenis=JenisInstansi(r["jenis"]),
            provinsi=r["provinsi"],
            angka=Angka.of(r) if r["dihitung_pada"] is not None else None,
            dihitung_pada=r["dihitung_pada"],
        )
        for r in rows
    ]
    computed = [line for line in lines if line.angka is not None]
    total = Angka()
    for line in computed:
        total += line.angka
    following = [line for line in lines if after is None or line.kode > after]
    page = following[:first]
    await AuditPusat.create(
        actor=actor,
        action="nasional.statistik",
        detail={"tahun": tahun, "jenis": [j.value for j in jenis or ()],
                "provinsi": list(provinsi or ()), "first": first, "after": after},
        request_id=request_id_var.get(),
    )  # fmt: skip
    return Laporan(
        jumlah=total,
        instansi_total=len(lines),
        instansi_dihitung=len(computed),
        tertua_dihitung_pada=min((c.dihitung_pada for c in computed), default=None),
        baris=page,
        ada_lagi=len(following) > first,
    )
