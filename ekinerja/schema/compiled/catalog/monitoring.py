"""The penilai's monitoring page (pelaksanaan/monitoring.py) as SQL: the counts of each
monitored SKP and of its RHK."""

from __future__ import annotations

from ekinerja.schema.compiled.catalog.spec import Column, Many, column, global_id

# A realisasi (alias re) with at least one piece of evidence available.
_BERBUKTI = (
    "EXISTS (SELECT 1 FROM bukti_dukung b WHERE b.realisasi_id = re.id AND b.status = 'TERSEDIA')"
)

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
            " WHERE ph.skp_id = {row}.skp_id AND ph.tanggal <= {row}.pada)"
        ),
        # Monday of the day's week (ISO day 1) to the day; the 1st of its month to the day.
        "progresMingguIni": Column(
            "(SELECT count(*) FROM progres_harian ph WHERE ph.skp_id = {row}.skp_id"
            " AND ph.tanggal BETWEEN {row}.pada - (extract(isodow FROM {row}.pada)::int - 1)"
            " AND {row}.pada)"
        ),
        "progresBulanIni": Column(
            "(SELECT count(*) FROM progres_harian ph WHERE ph.skp_id = {row}.skp_id"
            " AND ph.tanggal BETWEEN date_trunc('month', {row}.pada)::date AND {row}.pada)"
        ),
        "indikator": Column(
            "(SELECT count(*) FROM indikator ind JOIN rhk ON rhk.id = ind.rhk_id"
            " WHERE rhk.skp_id = {row}.skp_id)"
        ),
        "indikatorTerealisasi": Column(
            "(SELECT count(*) FROM realisasi re"
            " WHERE re.skp_id = {row}.skp_id AND re.periode = {row}.periode)"
        ),
        "realisasiBerbukti": Column(
            f"(SELECT count(*) FROM realisasi re WHERE re.skp_id = {{row}}.skp_id"
            f" AND re.periode = {{row}}.periode AND {_BERBUKTI})"
        ),
        # Python's Decimal quantize(0.01, ROUND_HALF_UP): numeric round() also rounds half
        # away from zero, and the shares are never negative.
        "kelengkapanBuktiPersen": Column(
            "(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE"
            f" round(100 * count(*) FILTER (WHERE {_BERBUKTI})::numeric / count(*), 2) END"
            " FROM realisasi re WHERE re.skp_id = {row}.skp_id AND re.periode = {row}.periode)"
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
            "(SELECT count(*) FROM indikator ind JOIN realisasi re ON re.indikator_id = ind.id"
            " WHERE ind.rhk_id = {row}.id AND re.periode = {row}.periode)"
        ),
        "progresPeriode": Column(
            "(SELECT count(*) FROM rencana_aksi ra"
            " JOIN progres_harian ph ON ph.rencana_aksi_id = ra.id"
            " WHERE ra.rhk_id = {row}.id AND ph.periode = {row}.periode)"
        ),
    },
}
