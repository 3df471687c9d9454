"""The penilai's monitoring page (pelaksanaan/monitoring.py) as SQL: the counts of each
monitored SKP and of its RHK."""

from __future__ import annotations

from ekinerja.pelaksanaan import monitoring
from ekinerja.schema.compiled.catalog.spec import Column, Many, column, global_id, template

# A realisasi (alias re) with at least one piece of evidence available.
_BERBUKTI = template(monitoring.BERBUKTI)
_ROW = "__ROW__"  # stands for {row} in the resolvers' fragments, filled in after escaping


def _fragment(sql: str) -> str:
    """One of pelaksanaan/monitoring.py's SQL fragments as a catalog template."""
    return template(sql).replace(_ROW, "{row}")


# Across a revision, as the resolvers count: the log of every version the SKP replaced, an
# RHK's log on the RHK it was copied from, the realisasi recorded on an indikator's original.
_VERSIONS = _fragment(monitoring.skp_versions(f"{_ROW}.skp_id"))
_REALISED = _fragment(monitoring.realised(f"{_ROW}.skp_id", f"{_ROW}.periode"))
_RECORDED_FOR_RHK = _fragment(monitoring.recorded("ind.id", f"{_ROW}.periode"))
_RHK_VERSIONS = _fragment(monitoring.rhk_versions(f"{_ROW}.id"))

TYPES = {
    # A row of roots.py's monitored SKPs (skp_id, nama: the snapshot's name or '', pegawai_id,
    # snapshot_pegawai, pada: the day counted to, periode: the window's kode), as
    # pelaksanaan/monitoring.py counts them.
    "MonitoringBawahan": {
        "skpId": global_id("Skp", "skp_id"),
        "pegawaiId": global_id("Pegawai", "pegawai_id"),
        "nama": Column("{row}.snapshot_pegawai->>'nama'"),
        "nip": Column("{row}.snapshot_pegawai->>'nip'"),
        "progresTerakhir": Column(
            "(SELECT max(ph.tanggal) FROM progres_harian ph"
            f" WHERE ph.skp_id IN {_VERSIONS} AND ph.tanggal <= {{row}}.pada)"
        ),
        # Monday of the day's week (ISO day 1) to the day; the 1st of its month to the day.
        "progresMingguIni": Column(
            f"(SELECT count(*) FROM progres_harian ph WHERE ph.skp_id IN {_VERSIONS}"
            " AND ph.tanggal BETWEEN {row}.pada - (extract(isodow FROM {row}.pada)::int - 1)"
            " AND {row}.pada)"
        ),
        "progresBulanIni": Column(
            f"(SELECT count(*) FROM progres_harian ph WHERE ph.skp_id IN {_VERSIONS}"
            " AND ph.tanggal BETWEEN date_trunc('month', {row}.pada)::date AND {row}.pada)"
        ),
        "indikator": Column(
            "(SELECT count(*) FROM indikator ind JOIN rhk ON rhk.id = ind.rhk_id"
            " WHERE rhk.skp_id = {row}.skp_id)"
        ),
        "indikatorTerealisasi": Column(f"(SELECT count(*) FROM {_REALISED})"),
        "realisasiBerbukti": Column(
            f"(SELECT count(*) FILTER (WHERE {_BERBUKTI}) FROM {_REALISED})"
        ),
        # Python's Decimal quantize(0.01, ROUND_HALF_UP): numeric round() also rounds half
        # away from zero, and the shares are never negative.
        "kelengkapanBuktiPersen": Column(
            "(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE"
            f" round(100 * count(*) FILTER (WHERE {_BERBUKTI})::numeric / count(*), 2) END"
            f" FROM {_REALISED})"
        ),
        "rhk": Many(
            "ProgresRhk",
            # The window's kode travels with each RHK row: a nested object sees only its row.
            "FROM (SELECT r.id, r.teks, r.urutan, {row}.periode FROM rhk r"
            " WHERE r.skp_id = {row}.skp_id) {child}",
            "{child}.urutan, {child}.id",
        ),
    },
    "ProgresRhk": {
        "rhkId": global_id("Rhk"),
        "teks": column("teks"),
        "indikator": Column("(SELECT count(*) FROM indikator ind WHERE ind.rhk_id = {row}.id)"),
        "indikatorTerealisasi": Column(
            "(SELECT count(*) FROM indikator ind"
            f" WHERE ind.rhk_id = {{row}}.id AND EXISTS {_RECORDED_FOR_RHK})"
        ),
        "progresPeriode": Column(
            "(SELECT count(*) FROM rencana_aksi ra"
            " JOIN progres_harian ph ON ph.rencana_aksi_id = ra.id"
            f" WHERE ra.rhk_id IN {_RHK_VERSIONS} AND ph.periode = {{row}}.periode)"
        ),
    },
}
