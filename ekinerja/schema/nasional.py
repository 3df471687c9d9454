"""Figures for BKN and agencies: `statistikInstansi` (the bound instansi, computed live) and
`statistikNasional` (every instansi, from the national read model; central admins only, sent
without X-Instansi, audited in the central log)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from ekinerja.auth.policy import NationalOperation, Operation, allows_national
from ekinerja.models.shared import JenisInstansi as JenisInstansiEnum
from ekinerja.nasional import laporan, statistik
from ekinerja.paging import DEFAULT_FIRST, Keyset, Page
from ekinerja.refusals import Refusal
from ekinerja.schema.connection import After, Connection, First, connection, request
from ekinerja.schema.context import Info
from ekinerja.schema.instansi import JenisInstansi
from ekinerja.schema.permissions import Forbidden, Unauthenticated, ensure_allowed
from ekinerja.tahun import check_tahun
from ekinerja.tenants.provinsi import PROVINSI

# The national view pages instansi by kode; bound to no instansi, its cursors carry none.
NASIONAL = Keyset("Query.statistikNasional", ("kode",), (str,))


def _persen(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@strawberry.type(description="A count per key (a predikat, or a curve outcome).")
class Jumlah:
    kunci: str = strawberry.field(
        description="The key: a PredikatPegawai code, or a HasilKurva code."
    )
    jumlah: int = strawberry.field(description="How many.")


@strawberry.type(description="Figures of a year: SKP, cascade, evaluation and predikat.")
class Angka:
    pegawai: int = strawberry.field(description="Active pegawai.")
    skp_dibuat: int = strawberry.field(description="Active pegawai with an SKP for the year.")
    skp_diajukan: int = strawberry.field(description="… submitted (or approved).")
    skp_disetujui: int = strawberry.field(description="… approved.")
    rhk_jumlah: int = strawberry.field(description="RHK of approved, current JA/JF SKPs.")
    rhk_terhubung: int = strawberry.field(description="… cascading from a superior's RHK.")
    evaluasi_diajukan: int = strawberry.field(description="Periodic evaluations submitted.")
    evaluasi_dinilai: int = strawberry.field(description="… rated (or fixed).")
    evaluasi_ditetapkan: int = strawberry.field(description="… fixed.")
    tahunan_ditetapkan: int = strawberry.field(description="Annual results fixed.")
    predikat: list[Jumlah] = strawberry.field(description="Fixed annual results per predikat.")
    kurva: list[Jumlah] = strawberry.field(
        description="Fixed unit batches per curve outcome (OK / WARNING / BLOCK)."
    )

    @strawberry.field(description="SKP created, % of active pegawai.")
    def skp_dibuat_persen(self) -> float | None:
        return _persen(self.skp_dibuat, self.pegawai)

    @strawberry.field(description="SKP submitted, % of active pegawai.")
    def skp_diajukan_persen(self) -> float | None:
        return _persen(self.skp_diajukan, self.pegawai)

    @strawberry.field(description="SKP approved, % of active pegawai.")
    def skp_disetujui_persen(self) -> float | None:
        return _persen(self.skp_disetujui, self.pegawai)

    @strawberry.field(description="Cascade coverage: RHK linked to a superior's, %.")
    def cascade_persen(self) -> float | None:
        return _persen(self.rhk_terhubung, self.rhk_jumlah)

    @strawberry.field(description="Submitted periodic evaluations that are fixed, %.")
    def evaluasi_selesai_persen(self) -> float | None:
        return _persen(self.evaluasi_ditetapkan, self.evaluasi_diajukan)

    @classmethod
    def of(cls, angka: statistik.Angka) -> Angka:
        return cls(
            **{name: getattr(angka, name) for name in statistik.COUNTS},
            predikat=[Jumlah(kunci=k, jumlah=v) for k, v in sorted(angka.predikat.items())],
            kurva=[Jumlah(kunci=k, jumlah=v) for k, v in sorted(angka.kurva.items())],
        )


@strawberry.type(description="One instansi in the national view.")
class StatistikBaris:
    kode: str = strawberry.field(description="The instansi's kode.")
    nama: str = strawberry.field(description="The instansi's name.")
    jenis: JenisInstansi = strawberry.field(description="Pusat, provinsi, kabupaten or kota.")
    provinsi: str | None = strawberry.field(description="BPS province code.")
    nama_provinsi: str | None = strawberry.field(
        description="The province's name; null for an instansi pusat."
    )
    angka: Angka | None = strawberry.field(description="Null until first computed.")
    dihitung_pada: datetime | None = strawberry.field(
        description="When its figures were computed; null until first computed."
    )


@strawberry.type(description="National figures from the read model, with their freshness.")
class StatistikNasional:
    jumlah: Angka = strawberry.field(description="Totals over the filtered instansi.")
    instansi_total: int = strawberry.field(description="Active instansi the filter matches.")
    instansi_dihitung: int = strawberry.field(description="… of which have figures.")
    tertua_dihitung_pada: datetime | None = strawberry.field(
        description="The oldest figures included: how stale the totals can be."
    )
    instansi: Connection[StatistikBaris] = strawberry.field(
        description="The filtered instansi, a page of them by kode (`first`/`after` of "
        "`statistikNasional`); `instansiTotal` counts them all."
    )


@strawberry.type
class NasionalQuery:
    @strawberry.field(description="The bound instansi's figures of a year, computed now.")
    async def statistik_instansi(
        self,
        info: Info,
        tahun: Annotated[int, strawberry.argument(description="The year, e.g. 2026.")],
    ) -> Angka:
        await ensure_allowed(info, Operation.READ_STATISTIK)
        return Angka.of(await statistik.hitung(check_tahun(tahun)))

    @strawberry.field(
        description="Central admins, without X-Instansi: every active instansi's figures and "
        "the totals, filtered by jenis and province (BPS codes), pages by kode."
    )
    async def statistik_nasional(
        self,
        info: Info,
        tahun: Annotated[int, strawberry.argument(description="The year, e.g. 2026.")],
        jenis: Annotated[
            list[JenisInstansi] | None,
            strawberry.argument(description="Only instansi of these kinds; null: every kind."),
        ] = None,
        provinsi: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Only instansi of these provinces (2-digit BPS codes, e.g. `34`); "
                "null: everywhere."
            ),
        ] = None,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> StatistikNasional:
        principal = info.context.principal
        if principal is None:
            raise Unauthenticated("authentication required")
        if not allows_national(principal, NationalOperation.READ_NASIONAL):
            raise Forbidden(f"not allowed: {NationalOperation.READ_NASIONAL.value}")
        if info.context.instansi is not None:
            raise Refusal(
                "NATIONAL_UNBOUND",
                "national figures are read without X-Instansi (they span every instansi)",
                "X-Instansi",
            )
        wanted = request(info, NASIONAL, first, after)
        found = await laporan.nasional(
            check_tahun(tahun),
            principal.subject,
            [JenisInstansiEnum(j) for j in jenis] if jenis else None,
            provinsi,
            wanted.first,
            wanted.after[0] if wanted.after else None,
        )
        page = Page(found.baris, [(b.kode,) for b in found.baris], found.ada_lagi)
        return StatistikNasional(
            jumlah=Angka.of(found.jumlah),
            instansi_total=found.instansi_total,
            instansi_dihitung=found.instansi_dihitung,
            tertua_dihitung_pada=found.tertua_dihitung_pada,
            instansi=connection(
                info,
                NASIONAL,
                page,
                [
                    StatistikBaris(
                        kode=b.kode,
                        nama=b.nama,
                        jenis=b.jenis,
                        provinsi=b.provinsi,
                        nama_provinsi=PROVINSI.get(b.provinsi) if b.provinsi else None,
                        angka=Angka.of(b.angka) if b.angka else None,
                        dihitung_pada=b.dihitung_pada,
                    )
                    for b in found.baris
                ],
            ),
        )
