"""Query fields of penilaian (assessment)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.auth.principal import Role
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian import dasbor, penetapan
from ekinerja.penilaian.angka_kredit import jumlah as jumlah_kredit
from ekinerja.penilaian.enums import PredikatPegawai as PredikatEnum
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.penilaian.kurva import HasilPemeriksaan
from ekinerja.penilaian.periode import window_of, year_of
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, First
from ekinerja.schema.context import Info
from ekinerja.schema.ids import parse_id
from ekinerja.schema.penilaian.connections import (
    EVALUASI_UNTUK_DINILAI,
    KEBERATAN_UNTUK_DIPUTUS,
    EvaluasiPeriodikConnection,
    EvaluasiPeriodikFilter,
    KeberatanConnection,
)
from ekinerja.schema.penilaian.types import (
    AngkaKreditBaris,
    AngkaKreditPegawai,
    EvaluasiPeriodik,
    JumlahPredikat,
    Keberatan,
    KelengkapanPenilaian,
    KinerjaUnit,
    PelanggaranKurva,
    PemeriksaanKurva,
    RiwayatPredikat,
)
from ekinerja.schema.permissions import Forbidden, appraisers_of, ensure_allowed
from ekinerja.tahun import check_tahun

_PERIODE = Annotated[
    str,
    strawberry.argument(
        description="Kode periode of the window: `2026-B3`, `2026-T1`, `2026-S2` or `2026-THN`."
    ),
]
_UNIT_ID = Annotated[strawberry.ID, strawberry.argument(description="The unit kerja.")]
_NIP = Annotated[str, strawberry.argument(description="The pegawai's NIP (18 digits).")]


async def ensure_may_view_unit(info: Info, unit_id: int, periode: str) -> None:
    """Leaders see their own unit and those below; admins and readers with the scope, all."""
    await ensure_allowed(info, Operation.READ_DASHBOARD)
    principal = info.context.principal
    if any(
        principal.has_role(r) for r in (Role.ADMIN_INSTANSI, Role.CENTRAL_ADMIN, Role.API_CLIENT)
    ):
        return
    window = await window_of(periode)
    me = info.context.pegawai_id
    if me is None or not await dasbor.leads(me, unit_id, window.akhir):
        raise Forbidden("not allowed: penilaian:dashboard of a unit you do not lead")


def _recorded(kinerja: models.KinerjaOrganisasi) -> PemeriksaanKurva:
    """The check as it last ran: at penetapan, or after a keberatan changed a predikat of the
    fixed batch (penetapan.periksa_ulang); the rules may have changed since."""
    return PemeriksaanKurva(
        hasil=kinerja.hasil_kurva,
        total=sum(kinerja.distribusi.values()),
        pelanggaran=[
            PelanggaranKurva(
                kode=v["kode"],
                keterangan=v["keterangan"],
                pesan=v["pesan"],
                jumlah=v["jumlah"],
                batas=v["batas"],
            )
            for v in kinerja.pelanggaran
        ],
    )


def _chronological(periode: str) -> tuple[int, int]:
    """A ledger line's place: by year, then window number. Neither the codes as text (2026-B10
    before 2026-B2) nor the ids give it: `hitung` writes lines in the order its query meets
    the results (a result changed by a keberatan comes later)."""
    nomor = periode.partition("-")[2][1:]
    return year_of(periode), int(nomor) if nomor.isdigit() else 99


@strawberry.type
class PenilaianQuery:
    @strawberry.field(description="An SKP's evaluation for a period (e.g. 2026-T1, 2026-THN).")
    async def evaluasi(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description="The SKP.")],
        periode: _PERIODE,
    ) -> EvaluasiPeriodik | None:
        skp = await models.Skp.get_or_none(id=parse_id(skp_id, "skpId", "Skp"))
        if skp is None:
            return None
        await ensure_allowed(
            info, Operation.READ_SKP, skp.pegawai_id, appraisers=appraisers_of(skp)
        )
        row = await models.EvaluasiPeriodik.get_or_none(skp_id=skp.id, periode=periode)
        return EvaluasiPeriodik.from_model(row) if row else None

    @strawberry.field(
        description="Evaluations waiting for my rating (or re-rating) as penilai, oldest "
        "submission first."
    )
    async def evaluasi_untuk_dinilai(
        self,
        info: Info,
        filter: Annotated[
            EvaluasiPeriodikFilter | None,
            strawberry.argument(description="Criteria; null: every waiting evaluation."),
        ] = None,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> EvaluasiPeriodikConnection:
        await ensure_allowed(info, Operation.ASSESS, info.context.pegawai_id or -1)
        query = models.EvaluasiPeriodik.filter(
            skp__penilai_pegawai_id=info.context.pegawai_id,
            status__in=[StatusEvaluasi.DIAJUKAN, StatusEvaluasi.DINILAI],
        )
        if filter is not None and filter.periode:
            query = query.filter(periode=filter.periode)
        return await conn.of_query(
            info,
            EVALUASI_UNTUK_DINILAI,
            query,
            first,
            after,
            EvaluasiPeriodik.from_model,
            EvaluasiPeriodikConnection,
        )

    @strawberry.field(
        description="Keberatan waiting for my decision as atasan pejabat penilai, oldest first."
    )
    async def keberatan_untuk_diputus(
        self, info: Info, first: First = DEFAULT_FIRST, after: After = None
    ) -> KeberatanConnection:
        await ensure_allowed(info, Operation.DECIDE_KEBERATAN, info.context.pegawai_id or -1)
        query = models.Keberatan.filter(
            atasan_pegawai_id=info.context.pegawai_id, status__not=StatusKeberatan.FINAL
        )
        return await conn.of_query(
            info,
            KEBERATAN_UNTUK_DIPUTUS,
            query,
            first,
            after,
            Keberatan.from_model,
            KeberatanConnection,
        )

    @strawberry.field(
        description="A unit's period: predikat organisasi, the distribution of its pegawai's "
        "predikat and the curve check. For the unit's leaders and those above, and admins."
    )
    async def kinerja_unit(self, info: Info, unit_id: _UNIT_ID, periode: _PERIODE) -> KinerjaUnit:
        unit = parse_id(unit_id, "unitId", "UnitKerja")
        await ensure_may_view_unit(info, unit, periode)
        kinerja = await models.KinerjaOrganisasi.get_or_none(unit_id=unit, periode=periode)
        counts = await penetapan.distribution(unit, periode)
        check: HasilPemeriksaan | None = None
        if kinerja is not None and kinerja.ditetapkan_pada is None:
            check = await penetapan.check(unit, periode)
        return KinerjaUnit(
            unit_id=unit_id,
            periode=periode,
            predikat=kinerja.predikat if kinerja else None,
            catatan=kinerja.catatan if kinerja else None,
            distribusi=[JumlahPredikat(predikat=p, jumlah=counts[p]) for p in PredikatEnum],
            pemeriksaan=(
                PemeriksaanKurva.of(check)
                if check
                else (_recorded(kinerja) if kinerja and kinerja.ditetapkan_pada else None)
            ),
            ditetapkan_pada=kinerja.ditetapkan_pada if kinerja else None,
        )

    @strawberry.field(description="Who in a unit has not submitted, is not rated, is fixed.")
    async def kelengkapan_penilaian(
        self, info: Info, unit_id: _UNIT_ID, periode: _PERIODE
    ) -> KelengkapanPenilaian:
        unit = parse_id(unit_id, "unitId", "UnitKerja")
        await ensure_may_view_unit(info, unit, periode)
        counts = await dasbor.jumlah_kelengkapan(unit, periode)
        return KelengkapanPenilaian(
            unit_id=unit_id,
            periode=periode,
            tanpa_skp=counts.get(None, 0),
            belum_diajukan=counts.get("BELUM_DIAJUKAN", 0),
            diajukan=counts.get("DIAJUKAN", 0),
            dinilai=counts.get("DINILAI", 0),
            ditetapkan=counts.get("DITETAPKAN", 0),
            unit_pk=unit,
        )

    @strawberry.field(description="A pegawai's predikat across years (annual and periodic).")
    async def riwayat_predikat(self, info: Info, nip: _NIP) -> list[RiwayatPredikat]:
        pegawai = await models.Pegawai.get_or_none(nip=nip).values_list("id", flat=True)
        await ensure_allowed(info, Operation.READ_SKP, pegawai or -1)
        if pegawai is None:
            return []
        return [
            RiwayatPredikat(
                tahun=r["tahun"], periode=r["periode"], predikat=r["predikat"], status=r["status"]
            )
            for r in await dasbor.riwayat_predikat(pegawai)
        ]

    @strawberry.field(description="A jabatan fungsional pegawai's angka kredit ledger.")
    async def angka_kredit(
        self,
        info: Info,
        nip: _NIP,
        tahun: Annotated[
            int | None, strawberry.argument(description="Only this year; null: every year.")
        ] = None,
    ) -> AngkaKreditPegawai:
        pegawai = await models.Pegawai.get_or_none(nip=nip).values_list("id", flat=True)
        await ensure_allowed(info, Operation.READ_PERSONNEL, pegawai or -1)
        query = models.AngkaKredit.filter(pegawai_id=pegawai or -1)
        if tahun is not None:
            query = query.filter(periode__startswith=f"{check_tahun(tahun)}-")
        rows = sorted(await query, key=lambda r: (*_chronological(r.periode), r.id))
        return AngkaKreditPegawai(
            baris=[
                AngkaKreditBaris(
                    periode=r.periode,
                    jenjang=r.jenjang,
                    predikat=r.predikat,
                    bulan=r.bulan,
                    persentase=r.persentase,
                    koefisien=r.koefisien,
                    nilai=r.nilai,
                )
                for r in rows
            ],
            # Summed from the exact fractions, rounded once (angka_kredit.py says why).
            jumlah=jumlah_kredit((r.bulan, r.persentase, r.koefisien) for r in rows),
        )
