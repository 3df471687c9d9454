"""An SKP's execution in a window (schema/pelaksanaan: the daily log, realisasi, evidence,
feedback) and its evaluation (schema/penilaian EvaluasiPeriodik) as SQL.

Not compiled, so a document selecting them runs on the resolvers: what Python computes from
the instansi's rules or rounds (RealisasiIndikator `kuantitasSampaiPeriode`, `capaianPersen`,
the daily log's suggestion `saranKuantitas`), a download URL (BuktiDukung `unduhUrl`: a signed
URL and its own permission), and what depends on today and the settings in Python
(EvaluasiPeriodik `kesempatanKeberatan`, `final`) or on JSON the resolvers reshape
(`keberatan`)."""

from __future__ import annotations

from ekinerja.pelaksanaan.capaian import INDIKATOR_LINEAGE
from ekinerja.penilaian.enums import PredikatPegawai
from ekinerja.schema.compiled.catalog.spec import (
    Column,
    Many,
    Paged,
    column,
    global_id,
    instant,
    nullable_global_id,
    template,
    text,
)
from ekinerja.schema.pelaksanaan.types import PROGRES

# Evidence that can be read (schema/pelaksanaan: TERSEDIA only), by id.
_TERSEDIA = "{child}.status = 'TERSEDIA'"


def _numeric(expression: str) -> Column:
    """A numeric(18, 4) as the Decimal scalar writes what asyncpg returns (`format(d, "f")`:
    every digit of the column's scale, `12.0000`): numeric's text, which has no exponent."""
    return Column(f"({expression})::text")


def _wall_clock(name: str) -> Column:
    """A time (no zone) as Python's isoformat(): `08:00:00`, `.ffffff` only with microseconds
    (PostgreSQL's own text trims trailing zeros)."""
    at = f"(DATE '2000-01-01' + {{row}}.{name})"
    return Column(
        f"to_char({at}, 'HH24:MI:SS') || CASE WHEN extract(microseconds FROM {{row}}.{name})"
        f"::int % 1000000 = 0 THEN '' ELSE '.' || to_char({at}, 'US') END"
    )


def _enum_text(mapping: dict[str, str], expression: str) -> Column:
    return Column(
        f"CASE {expression} "
        + " ".join(f"WHEN {text(k)} THEN {text(v)}" for k, v in mapping.items())
        + " END"
    )


# realisasi.py's _REALISASI for one indikator (alias ind) and the window of {row}: the row
# recorded on the indikator or, before a revision, on the version it was copied from, the
# nearest first (DISTINCT ON … ORDER BY jarak there; one row per version and window).
_LINEAGE = INDIKATOR_LINEAGE.replace("$1::int[]", "ARRAY[ind.id]")
assert _LINEAGE != INDIKATOR_LINEAGE, "capaian.INDIKATOR_LINEAGE no longer reads $1::int[]"
_RECORDED = (
    f"SELECT re.id, re.kuantitas, re.narasi FROM (WITH RECURSIVE {template(_LINEAGE)}"
    " SELECT leluhur, jarak FROM garis) g JOIN realisasi re ON re.indikator_id = g.leluhur"
    " WHERE re.periode = {row}.periode ORDER BY g.jarak LIMIT 1"
)

# realisasi.py's _INDIKATOR: every indikator of the SKP, by RHK then indikator, with the
# window's realisasi.
_REALISASI_ROWS = (
    "FROM (SELECT ind.id, ind.rhk_id, ind.aspek, ind.target_min, ind.target_max, ind.satuan,"
    " ind.urutan, r.urutan AS rhk_urutan, {row}.skp_id, {row}.periode,"
    " here.id AS realisasi_id, here.kuantitas, here.narasi"
    " FROM indikator ind JOIN rhk r ON r.id = ind.rhk_id"
    f" LEFT JOIN LATERAL ({_RECORDED}) here ON TRUE"
    " WHERE r.skp_id = {row}.skp_id) {child}"
)

_PREDIKAT_LABEL = _enum_text({p.value: p.label for p in PredikatPegawai}, "{row}.predikat")

TYPES = {
    # The row of roots.py's pelaksanaan (skp_id, periode, awal, akhir: the SKP's part of the
    # window; status_evaluasi, diajukan_pada, catatan_pegawai: the window's evaluation's,
    # null without one), as queries.pelaksanaan_of builds it.
    "PelaksanaanPeriode": {
        "skpId": global_id("Skp", "skp_id"),
        "periode": column("periode"),
        "awal": column("awal"),
        "akhir": column("akhir"),
        "statusEvaluasi": Column("coalesce({row}.status_evaluasi, 'BELUM_DIAJUKAN')"),
        "diajukanPada": instant("diajukan_pada"),
        "catatanPegawai": column("catatan_pegawai"),
        "realisasi": Many(
            "RealisasiIndikator",
            _REALISASI_ROWS,
            "{child}.rhk_urutan, {child}.rhk_id, {child}.urutan, {child}.id",
        ),
        "umpanBalik": Many(
            "UmpanBalik",
            "FROM umpan_balik {child} WHERE {child}.skp_id = {row}.skp_id"
            " AND {child}.periode = {row}.periode",
            "{child}.id",
        ),
        # The window's log (types.PelaksanaanPeriode.progres), a page in PROGRES's order.
        "progres": Paged(
            "ProgresHarianConnection",
            PROGRES,
            "FROM progres_harian {child} WHERE {child}.skp_id = {row}.skp_id"
            " AND {child}.periode = {row}.periode",
        ),
    },
    "ProgresHarian": {
        "id": global_id("ProgresHarian"),
        "rencanaAksiId": global_id("RencanaAksi", "rencana_aksi_id"),
        "periode": column("periode"),
        "tanggal": column("tanggal"),
        "jamMulai": _wall_clock("jam_mulai"),
        "jamSelesai": _wall_clock("jam_selesai"),
        "kegiatan": column("kegiatan"),
        "realisasi": column("realisasi"),
        "satuan": column("satuan"),
        "sumberData": column("sumber_data"),
        "bukti": Many(
            "BuktiDukung",
            f"FROM bukti_dukung {{child}} WHERE {{child}}.progres_id = {{row}}.id AND {_TERSEDIA}",
            "{child}.id",
        ),
    },
    # A row of _REALISASI_ROWS.
    "RealisasiIndikator": {
        "indikatorId": global_id("Indikator"),
        "rhkId": global_id("Rhk", "rhk_id"),
        "aspek": column("aspek"),
        "target": _numeric("coalesce({row}.target_max, {row}.target_min)"),  # target_value
        "satuan": column("satuan"),
        "realisasiId": nullable_global_id("Realisasi", "realisasi_id"),
        "kuantitas": _numeric("{row}.kuantitas"),
        "narasi": column("narasi"),
        # realisasi.py's _SARAN count: the window's entries on the RHK's rencana aksi.
        "jumlahProgres": Column(
            "(SELECT count(p.id) FROM rencana_aksi ra JOIN progres_harian p"
            " ON p.rencana_aksi_id = ra.id AND p.periode = {row}.periode"
            " WHERE ra.rhk_id = {row}.rhk_id)"
        ),
        # queries.pelaksanaan_of: the SKP's available evidence of the realisasi (evidence kept
        # on a replaced version's realisasi belongs to that version's SKP: not shown).
        "bukti": Many(
            "BuktiDukung",
            "FROM bukti_dukung {child} WHERE {child}.realisasi_id = {row}.realisasi_id"
            f" AND {{child}}.skp_id = {{row}}.skp_id AND {_TERSEDIA}",
            "{child}.id",
        ),
    },
    # `ukuran` is a bigint column shown as Int: it is written only from the upload request's
    # Int, and roots.py's pelaksanaan falls back when an SKP's evidence holds a larger one.
    "BuktiDukung": {
        "id": global_id("BuktiDukung"),
        "jenis": column("jenis"),
        "status": column("status"),
        "nama": column("nama"),
        "contentType": column("content_type"),
        "ukuran": column("ukuran"),
        "sha256": column("sha256"),
        "sha256Terverifikasi": column("sha256_terverifikasi"),
        "dikonfirmasiPada": instant("dikonfirmasi_pada"),
    },
    "UmpanBalik": {
        "id": global_id("UmpanBalik"),
        "sasaran": column("sasaran"),
        "rhkId": nullable_global_id("Rhk", "rhk_id"),
        "nilaiPerilaku": column("nilai_perilaku"),
        # list(kalimat or []): roots.py's pelaksanaan falls back unless every kalimat is an
        # array of strings or null.
        "kalimat": Column(
            "CASE WHEN jsonb_typeof({row}.kalimat) = 'array' THEN {row}.kalimat"
            " ELSE '[]'::jsonb END"
        ),
        "teks": column("teks"),
        "diubahPada": instant("diubah_pada"),
        "tanggapan": Many(
            "TanggapanUmpanBalik",
            "FROM tanggapan_umpan_balik {child} WHERE {child}.umpan_balik_id = {row}.id",
            "{child}.id",
        ),
    },
    "TanggapanUmpanBalik": {
        "id": global_id("TanggapanUmpanBalik"),
        "penulisPegawaiId": global_id("Pegawai", "penulis_pegawai_id"),
        "teks": column("teks"),
        "dibuatPada": instant("dibuat_pada"),
    },
    # An evaluasi_periodik row (roots.py's evaluasi).
    "EvaluasiPeriodik": {
        "id": global_id("EvaluasiPeriodik"),
        "skpId": global_id("Skp", "skp_id"),
        "periode": column("periode"),
        "status": column("status"),
        "ratingHasilKerja": column("rating_hasil_kerja"),
        "ratingPerilaku": column("rating_perilaku"),
        "predikat": column("predikat"),
        "predikatLabel": _PREDIKAT_LABEL,
        "catatanPegawai": column("catatan_pegawai"),
        "catatanPenilai": column("catatan_penilai"),
        "unitId": nullable_global_id("UnitKerja", "unit_id"),
        "jenjang": column("jenjang"),
        "diajukanPada": instant("diajukan_pada"),
        "dinilaiPada": instant("dinilai_pada"),
        "ditetapkanPada": instant("ditetapkan_pada"),
        "versiKunci": column("versi_kunci"),
        "riwayat": Many(
            "RiwayatEvaluasi",
            "FROM riwayat_evaluasi {child} WHERE {child}.evaluasi_id = {row}.id",
            "{child}.id",
        ),
    },
    "RiwayatEvaluasi": {
        "aksi": column("aksi"),
        "status": column("status"),
        "ratingHasilKerja": column("rating_hasil_kerja"),
        "ratingPerilaku": column("rating_perilaku"),
        "predikat": column("predikat"),
        "catatan": column("catatan"),
        "oleh": column("oleh"),
        "pada": instant("dibuat_pada"),
    },
}
