"""Query fields of pelaksanaan (execution)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST, Page
from ekinerja.pelaksanaan import monitoring, realisasi, umpan_balik
from ekinerja.pelaksanaan.enums import StatusBukti, StatusEvaluasi
from ekinerja.pelaksanaan.periode import window_named
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, First
from ekinerja.schema.context import Info
from ekinerja.schema.ids import gid, parse_id
from ekinerja.schema.pelaksanaan.types import (
    MONITORING,
    BuktiDukung,
    KalimatUmpanBalik,
    MonitoringBawahan,
    MonitoringBawahanConnection,
    PelaksanaanPeriode,
    RealisasiIndikator,
    SasaranUmpanBalik,
    UmpanBalik,
)
from ekinerja.schema.permissions import appraisers_of, ensure_allowed, require
from ekinerja.schema.tanggal import tanggal_atau_hari_ini
from ekinerja.tahun import check_tahun

_id = parse_id  # a malformed id is refused as INVALID_INPUT (Refusal is a client error)
_PERIODE = "Kode periode of the window, e.g. 2026-T1."


async def pelaksanaan_of(skp: models.Skp, periode: str) -> PelaksanaanPeriode:
    """Everything of one SKP in one window, in a fixed number of queries."""
    window = await window_named(skp, periode)
    items = await realisasi.realisasi_periode(skp, periode)
    evaluasi = await models.EvaluasiPeriodik.get_or_none(skp_id=skp.id, periode=periode)
    # The log (`progres`) is a connection: its page and the page's evidence are read there.
    evidence = await models.BuktiDukung.filter(
        skp_id=skp.id, status=StatusBukti.TERSEDIA, realisasi_id__isnull=False
    ).order_by("id")
    by_realisasi = defaultdict(list)
    for row in evidence:
        by_realisasi[row.realisasi_id].append(BuktiDukung.from_model(row))
    feedback = await models.UmpanBalik.filter(skp_id=skp.id, periode=periode).order_by("id")
    notes = defaultdict(list)
    if feedback:
        for note in await models.TanggapanUmpanBalik.filter(
            umpan_balik_id__in=[f.id for f in feedback]
        ).order_by("id"):
            notes[note.umpan_balik_id].append(note)
    return PelaksanaanPeriode(
        skp_id=gid("Skp", skp.id),
        periode=periode,
        awal=window.awal,
        akhir=window.akhir,
        status_evaluasi=evaluasi.status if evaluasi else StatusEvaluasi.BELUM_DIAJUKAN,
        diajukan_pada=evaluasi.diajukan_pada if evaluasi else None,
        catatan_pegawai=evaluasi.catatan_pegawai if evaluasi else None,
        realisasi=[RealisasiIndikator.of(i, by_realisasi.get(i.realisasi_id, [])) for i in items],
        umpan_balik=[UmpanBalik.from_model(f, notes.get(f.id, [])) for f in feedback],
        skp_pk=skp.id,
    )


async def _none() -> int:
    return 0


@strawberry.type
class PelaksanaanQuery:
    @strawberry.field(
        description="An SKP's execution in one evaluation window (e.g. 2026-T1): the daily "
        "log, realisation per indikator with suggestions and capaian, evidence and feedback."
    )
    async def pelaksanaan(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description="The SKP.")],
        periode: Annotated[str, strawberry.argument(description=_PERIODE)],
    ) -> PelaksanaanPeriode | None:
        skp = await models.Skp.get_or_none(id=_id(skp_id, "skpId", "Skp"))
        if skp is None:
            return None
        await ensure_allowed(
            info, Operation.READ_SKP, skp.pegawai_id, appraisers=appraisers_of(skp)
        )
        return await pelaksanaan_of(skp, periode)

    @strawberry.field(description="An evidence item by id, for those who may read its SKP.")
    async def bukti_dukung(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> BuktiDukung | None:
        row = await models.BuktiDukung.get_or_none(id=_id(id, "id", "BuktiDukung"))
        if row is None:
            return None
        await ensure_allowed(info, Operation.READ_SKP, row.pemilik_pegawai_id)
        return BuktiDukung.from_model(row)

    @strawberry.field(
        description="For a pejabat penilai (default: me): each approved SKP they appraise in a "
        "year, with this week's and month's logging, realisation per RHK in a window and "
        "evidence completeness; by name, then SKP."
    )
    async def monitoring_pelaksanaan(
        self,
        info: Info,
        tahun: Annotated[int, strawberry.argument(description="The SKP year.")],
        periode: Annotated[str, strawberry.argument(description=_PERIODE)],
        penilai_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The pejabat penilai (pegawai id); null: the caller."),
        ] = None,
        tanggal: Annotated[
            date | None,
            strawberry.argument(
                description='The day "this week" and "this month" are counted to (ISO date); '
                "default today in the instansi's time zone."
            ),
        ] = None,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> MonitoringBawahanConnection:
        penilai = _id(penilai_id, "penilaiId", "Pegawai") if penilai_id else info.context.pegawai_id
        await ensure_allowed(info, Operation.MONITOR_PELAKSANAAN, penilai or -1)
        request = conn.request(info, MONITORING, first, after)
        tahun = check_tahun(tahun)
        if penilai is None:
            empty = Page([], [], False)
            return conn.connection(info, MONITORING, empty, [], MonitoringBawahanConnection, _none)
        on = await tanggal_atau_hari_ini(info, tanggal)
        page = await monitoring.monitor(penilai, tahun, periode, on, request)
        return conn.connection(
            info,
            MONITORING,
            page,
            [MonitoringBawahan.of(m) for m in page.rows],
            MonitoringBawahanConnection,
            lambda: monitoring.count(penilai, tahun),
        )

    @strawberry.field(
        description="The instansi's suggested feedback sentences.",
        permission_classes=[require(Operation.READ_INSTANSI)],
    )
    async def kalimat_umpan_balik(
        self,
        sasaran: Annotated[
            SasaranUmpanBalik | None,
            strawberry.argument(description="Only sentences of this kind; null: both."),
        ] = None,
    ) -> list[KalimatUmpanBalik]:
        return [KalimatUmpanBalik.of(k) for k in await umpan_balik.kalimat(sasaran)]
