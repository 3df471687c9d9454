"""`eksporSiasnSkp22` and `eksporSiasnKinerjaPeriodik`: final results in the SIASN shapes
(ekinerja/siasn/export.py), in keyset pages by NIP. Field names are SIASN's."""

from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.paging import DEFAULT_FIRST, Keyset, Page
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.siasn import ekspor as export

_CODE = (
    "The instansi's SIASN reference code for it (setting siasn.kode_referensi); null while "
    "the instansi has not mapped it."
)


@strawberry.type(
    description="One row of SIASN rw-skp22: a pegawai's final annual result (periode YYYY-THN)."
)
class SiasnSkp22:
    tahun: int = strawberry.field(description="The year assessed.")
    hasil_kinerja: str = strawberry.field(
        description="The rating hasil kerja as SIASN words it (Diatas / Sesuai / Dibawah "
        "Ekspektasi)."
    )
    hasil_kinerja_nilai: str | None = strawberry.field(description=_CODE)
    perilaku_kerja: str = strawberry.field(description="The rating perilaku kerja.")
    perilaku_kerja_nilai: str | None = strawberry.field(description=_CODE)
    kuadran_kinerja: str = strawberry.field(
        description="The predikat (Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang)."
    )
    kuadran_kinerja_nilai: str | None = strawberry.field(description=_CODE)
    nama_penilai: str | None = strawberry.field(
        description="The pejabat penilai as snapshotted on the SKP (not today's organisation)."
    )
    nip_nrp_penilai: str | None = strawberry.field(description="Null for a NON ASN penilai.")
    penilai_golongan_id: str | None = strawberry.field(
        description="The penilai's golongan in our spelling (III/a), not SIASN's golongan id."
    )
    penilai_jabatan_nm: str | None = strawberry.field(
        description="The penilai's jabatan as snapshotted on the SKP."
    )
    penilai_unor_nm: str | None = strawberry.field(
        description="The penilai's unit kerja as snapshotted on the SKP."
    )
    pns_dinilai_id: str = strawberry.field(
        description="The evaluated pegawai's NIP (SIASN's own PNS id is not known here)."
    )
    status_penilai: str | None = strawberry.field(description="ASN or NON ASN.")
    path: str | None = strawberry.field(
        description="Always null: no signed evaluation document is uploaded to SIASN yet."
    )


@strawberry.type(
    description="One row of SIASN rw-kinerjaperiodik: a pegawai's final result of one window."
)
class SiasnKinerjaPeriodik(SiasnSkp22):
    bulan_mulai_penilaian: int = strawberry.field(
        description="First month of the window the SKP covers (1–12)."
    )
    bulan_selesai_penilaian: int = strawberry.field(
        description="Last month of the window the SKP covers (1–12)."
    )
    tahun_mulai_penilaian: int = strawberry.field(description="Year of the first month.")
    tahun_selesai_penilaian: int = strawberry.field(description="Year of the last month.")
    periodik_id: str = strawberry.field(description="Our window code, e.g. 2026-T1.")
    periodik_nama: str = strawberry.field(description="Our window name, as periodeEvaluasi.")
    koefisien_id: str | None = strawberry.field(
        description="The jenjang of the angka kredit ledger line (e.g. AHLI_PERTAMA); null "
        "without a line (not a jabatan fungsional, or hitungAngkaKredit not run since)."
    )
    koefisien: Decimal | None = strawberry.field(description="From the ledger line.")
    persentase: Decimal | None = strawberry.field(
        description="From the ledger line, in percentage points (150 = 150 %)."
    )
    angka_kredit: Decimal | None = strawberry.field(
        description="The angka kredit of the window, from the ledger line."
    )
    kriteria: str = strawberry.field(description="The predikat, as kuadranKinerja.")
    kuadran_nilai: str | None = strawberry.field(description=_CODE)
    instansi_id: str = strawberry.field(description="The instansi's kode.")
    unor_id: str | None = strawberry.field(
        description="The SIASN id of the unit the pegawai was assessed in (null if unknown)."
    )
    unor_nama: str | None = strawberry.field(description="Its name at the window's end.")
    jabatan: str | None = strawberry.field(
        description="The jabatan held at the window's end (else as snapshotted on the SKP)."
    )


SiasnSkp22Connection = Connection[SiasnSkp22]
SiasnKinerjaPeriodikConnection = Connection[SiasnKinerjaPeriodik]

# Both exports page by the pegawai's NIP, then the window (0 for the year): unique per row.
SKP22 = Keyset("Query.eksporSiasnSkp22", ("nip", "urutan"), (str, int))
KINERJA_PERIODIK = Keyset("Query.eksporSiasnKinerjaPeriodik", ("nip", "urutan"), (str, int))


async def _request(info: Info, keyset: Keyset, tahun: int, first: int, after: str | None):
    asked = conn.request(info, keyset, first, after)
    return replace(await export.permintaan(tahun, first, None), after=asked.after)


def _connection(info: Info, keyset: Keyset, page: export.Halaman, nodes: list):
    return conn.connection(info, keyset, Page(nodes, page.keys, page.has_next_page), nodes)


_FINAL = (
    "Only final results: fixed, and no keberatan possible any more or one decided (as "
    "EvaluasiPeriodik.final), by NIP."
)


_TAHUN = Annotated[int, strawberry.argument(description="The year, e.g. 2026.")]


@strawberry.type
class SiasnQuery:
    @strawberry.field(description=f"SIASN rw-skp22 of `tahun`. {_FINAL}")
    async def ekspor_siasn_skp22(
        self, info: Info, tahun: _TAHUN, first: First = DEFAULT_FIRST, after: After = None
    ) -> SiasnSkp22Connection:
        await ensure_allowed(info, Operation.EXPORT_SIASN)
        page = await export.rw_skp22(await _request(info, SKP22, tahun, first, after))
        return _connection(info, SKP22, page, [SiasnSkp22(**asdict(r)) for r in page.baris])

    @strawberry.field(description=f"SIASN rw-kinerjaperiodik of `tahun`. {_FINAL}")
    async def ekspor_siasn_kinerja_periodik(
        self, info: Info, tahun: _TAHUN, first: First = DEFAULT_FIRST, after: After = None
    ) -> SiasnKinerjaPeriodikConnection:
        await ensure_allowed(info, Operation.EXPORT_SIASN)
        request = await _request(info, KINERJA_PERIODIK, tahun, first, after)
        page = await export.rw_kinerja_periodik(request)
        nodes = [SiasnKinerjaPeriodik(**asdict(r)) for r in page.baris]
        return _connection(info, KINERJA_PERIODIK, page, nodes)
