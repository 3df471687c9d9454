"""How GraphQL fields map to SQL, per type: what the planner may compile.

A field is one of
- ``Column``: a value computed from the type's row (alias ``{row}``);
- ``One``: an object read from another table (alias ``{child}``), at most one row;
- ``Many``: a list of objects read from another table, in a stated order;
- absent: not compiled (the root field that reaches it runs on its resolvers).

Statement parameters every plan may use: ``$1`` the day the request reads as of ("today" in
the instansi's time zone), ``$2`` the instansi's kode (for global ids). The root's own
parameters follow. Fields with arguments are compiled only when no argument is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ekinerja.kepegawaian.penilai_sql import direct_bawahan_sql
from ekinerja.kepegawaian.sql import in_force
from ekinerja.skp.cakupan import CURRENT_SKP_ORDER
from ekinerja.skp.cascade import cascade_depth, cascade_down_sql
from ekinerja.skp.revisi_links import skp_in_force

TODAY = "$1"
KODE = "$2"


@dataclass(frozen=True)
class Column:
    sql: str


@dataclass(frozen=True)
class One:
    type_name: str
    source: str  # FROM … WHERE … [ORDER BY …] for {child}, correlated with {row}


@dataclass(frozen=True)
class Many:
    type_name: str
    source: str  # FROM … WHERE … for {child}, correlated with {row}
    order: str  # ORDER BY expressions over {child}: the resolvers' order, ties included


@dataclass(frozen=True)
class Listed:
    """A list computed from the row that takes arguments: ``build`` gets the field's coerced
    arguments and gives its (source, order), or None for arguments the plan cannot express."""

    type_name: str
    build: Callable[[dict[str, Any]], tuple[str, str] | None]


def gid_sql(type_name: str, row_id: str) -> str:
    """The opaque id of ekinerja/schema/ids.py: unpadded base64url of `Type:KODE:row`."""
    return (
        "replace(rtrim(translate(encode(convert_to("
        f"'{type_name}:' || {KODE} || ':' || {row_id}, 'UTF8'), 'base64'), '+/', '-_'), '='), "
        "E'\\n', '')"
    )


def global_id(type_name: str, id_column: str = "id") -> Column:
    return Column(gid_sql(type_name, f"{{row}}.{id_column}"))


def nullable_global_id(type_name: str, id_column: str) -> Column:
    return Column(
        f"CASE WHEN {{row}}.{id_column} IS NULL THEN NULL "
        f"ELSE {gid_sql(type_name, f'{{row}}.{id_column}')} END"
    )


def cascade_down(arguments: dict[str, Any]) -> tuple[str, str] | None:
    """skp/cascade.py's cascade below {row}, as a correlated source. A unit filter is not
    compiled."""
    if arguments.get("unitId") is not None:
        return None
    depth = cascade_depth(arguments.get("kedalamanMax"))
    # The text becomes a template ({row}, {child}): any brace of the SQL itself is escaped.
    rows = cascade_down_sql("ROW_ID", str(int(depth))).replace("{", "{{").replace("}", "}}")
    return f"FROM ({rows.replace('ROW_ID', '{row}.id')}) {{child}}", "{child}.depth, {child}.path"


def column(name: str) -> Column:
    return Column(f"{{row}}.{name}")


def decimal(name: str) -> Column:
    """numeric(18, 4) as the API shows it (skp/formatting.py `plain`): `10.0000` → `10`,
    `2.5000` → `2.5`; trim_scale (PostgreSQL 13) drops exactly the trailing zeros."""
    return Column(f"trim_scale({{row}}.{name})::text")


def instant(name: str) -> Column:
    """A timestamptz as Python's isoformat() of the UTC datetime asyncpg returns:
    `2026-01-02T03:04:05+00:00`, with `.ffffff` only when there are microseconds (PostgreSQL's
    own JSON would trim trailing zeros)."""
    utc = f"({{row}}.{name} AT TIME ZONE 'UTC')"
    return Column(
        f"CASE WHEN {{row}}.{name} IS NULL THEN NULL ELSE "
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN extract(microseconds FROM {utc})::int % 1000000 = 0 THEN '' "
        f"ELSE '.' || to_char({utc}, 'US') END || '+00:00' END"
    )


def _template(sql: str) -> str:
    """SQL text as a catalog template: its own braces escaped, so only {row} and {child}
    are filled in."""
    return sql.replace("{", "{{").replace("}", "}}")


def _current_skp(pegawai: str, tahun: str, columns: str) -> str:
    """skp/cakupan.py's SKP that counts for a pegawai and a year (the newest version in
    force), as a correlated subquery's body over alias s."""
    return (
        f"SELECT {columns} FROM skp s WHERE s.pegawai_id = {pegawai} AND s.tahun = {tahun} "
        f"AND {_template(skp_in_force('s'))} ORDER BY {CURRENT_SKP_ORDER} LIMIT 1"
    )


def direct_subordinates(arguments: dict[str, Any]) -> tuple[str, str] | None:
    """Each direct subordinate on $1 of the superior of {row} (kepegawaian/penilai_sql.py),
    with the SKP that counts for {row}'s year, by name: the rows of CakupanBawahan."""
    below = _template(direct_bawahan_sql("SUPERIOR")).replace("SUPERIOR", "{row}.id")
    current = _current_skp("b.id", "{row}.tahun", "s.id, s.status")
    source = (
        "FROM (SELECT b.id AS pegawai_id, b.nama, {row}.tahun, {row}.id AS atasan_id,"
        " cur.id AS skp_id, cur.status AS skp_status FROM pegawai b"
        f" LEFT JOIN LATERAL ({current}) cur ON TRUE WHERE b.id IN ({below})) {{child}}"
    )
    return source, "{child}.nama, {child}.pegawai_id"


# A realisasi (alias re) with at least one piece of evidence available.
_BERBUKTI = (
    "EXISTS (SELECT 1 FROM bukti_dukung b WHERE b.realisasi_id = re.id AND b.status = 'TERSEDIA')"
)

CATALOG: dict[str, dict[str, Column | One]] = {
    "Pegawai": {
        "id": global_id("Pegawai"),
        "nip": column("nip"),
        "nama": column("nama"),
        "gelarDepan": column("gelar_depan"),
        "gelarBelakang": column("gelar_belakang"),
        "jenisKepegawaian": column("jenis_kepegawaian"),
        "golongan": column("golongan"),
        "status": column("status"),
        "jenisKelamin": column("jenis_kelamin"),
        # Python's truthiness: an empty gelar is no gelar.
        "namaLengkap": Column(
            "coalesce(nullif({row}.gelar_depan, '') || ' ', '') || {row}.nama"
            " || coalesce(', ' || nullif({row}.gelar_belakang, ''), '')"
        ),
        # The assignment in force today: a definitive one first (dataloaders._definitive_penugasan).
        "jabatan": One(
            "Penugasan",
            "FROM penugasan {child} WHERE {child}.pegawai_id = {row}.id"
            f" AND {{child}}.berlaku_mulai <= {TODAY}"
            f" AND ({{child}}.berlaku_sampai IS NULL OR {{child}}.berlaku_sampai > {TODAY})"
            " ORDER BY CASE {child}.jenis WHEN 'DEFINITIF' THEN 0 ELSE 1 END, {child}.id LIMIT 1",
        ),
    },
    "Penugasan": {
        "jenis": column("jenis"),
        "berlakuMulai": column("berlaku_mulai"),
        "berlakuSampai": column("berlaku_sampai"),
        "nomorSk": column("nomor_sk"),
        "jabatan": One("Jabatan", "FROM jabatan {child} WHERE {child}.id = {row}.jabatan_id"),
    },
    "Skp": {
        "id": global_id("Skp"),
        "tahun": column("tahun"),
        "periodeAwal": column("periode_awal"),
        "periodeAkhir": column("periode_akhir"),
        "pendekatan": column("pendekatan"),
        "jenisForm": column("jenis_form"),
        "status": column("status"),
        "versi": column("versi"),
        "versiKunci": column("versi_kunci"),
        "catatanPengembalian": column("catatan_pengembalian"),
        "diajukanPada": instant("diajukan_pada"),
        "disetujuiPada": instant("disetujui_pada"),
        "digantikanPada": instant("digantikan_pada"),
        "rhk": Many(
            "Rhk", "FROM rhk {child} WHERE {child}.skp_id = {row}.id", "{child}.urutan, {child}.id"
        ),
    },
    "Rhk": {
        "id": global_id("Rhk"),
        "urutan": column("urutan"),
        "teks": column("teks"),
        "jenis": column("jenis"),
        "klasifikasi": column("klasifikasi"),
        "intervensiEksternal": column("intervensi_eksternal"),
        "penugasanDari": column("penugasan_dari"),
        "indikator": Many(
            "Indikator",
            "FROM indikator {child} WHERE {child}.rhk_id = {row}.id",
            "{child}.urutan, {child}.id",
        ),
        "cascadeBawah": Listed("CascadeNode", cascade_down),
    },
    # A row of skp/cascade.py's cascade (id, parent_id, depth, path, teks, skp_id, status,
    # pegawai_id, nama, nip).
    "CascadeNode": {
        "rhkId": global_id("Rhk"),
        "teks": column("teks"),
        "pemilikNama": column("nama"),
        "pemilikNip": column("nip"),
        "kedalaman": column("depth"),
        "rhkIndukId": nullable_global_id("Rhk", "parent_id"),
        "jalur": Column(
            f"(SELECT json_agg({gid_sql('Rhk', 'step.id')} ORDER BY step.n) "
            "FROM unnest({row}.path) WITH ORDINALITY AS step(id, n))"
        ),
        "skpStatus": column("status"),
        "rhk": One("Rhk", "FROM rhk {child} WHERE {child}.id = {row}.id"),
        "pemilik": One("Pegawai", "FROM pegawai {child} WHERE {child}.id = {row}.pegawai_id"),
    },
    "Indikator": {
        "id": global_id("Indikator"),
        "aspek": column("aspek"),
        "teks": column("teks"),
        "targetMin": decimal("target_min"),
        "targetMax": decimal("target_max"),
        "satuan": column("satuan"),
        "targetKualitatif": column("target_kualitatif"),
        "perspektif": column("perspektif"),
        "dasarPembagian": column("dasar_pembagian"),
        "wilayah": column("wilayah"),
    },
    # The row of roots.py's cakupanCascade: the superior (id) and the year (tahun). Only the
    # subordinates are compiled: the percentages are Python's float rounding, the RHK lists
    # and the matriks the resolvers' (they fall back).
    "CakupanCascade": {"bawahan": Listed("CakupanBawahan", direct_subordinates)},
    # A row of direct_subordinates (pegawai_id, nama, tahun, atasan_id, skp_id, skp_status).
    "CakupanBawahan": {
        "statusSkp": column("skp_status"),
        # The unit of the definitive position in force, the lowest assignment first.
        "unit": Column(
            "(SELECT u.nama FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id"
            " JOIN unit_kerja_versi u ON u.unit_id = j.unit_id"
            f" AND {_template(in_force('u'))}"
            " WHERE p.pegawai_id = {row}.pegawai_id AND p.jenis = 'DEFINITIF'"
            f" AND {_template(in_force('p'))} ORDER BY p.id LIMIT 1)"
        ),
        "jumlahRhk": Column("(SELECT count(*) FROM rhk r WHERE r.skp_id = {row}.skp_id)"),
        # Intervening none of the RHK of the superior's SKP that counts.
        "rhkTidakTerhubung": Column(
            "(SELECT count(*) FROM rhk r WHERE r.skp_id = {row}.skp_id AND NOT EXISTS ("
            "SELECT 1 FROM rhk theirs WHERE theirs.id = r.intervensi_id AND theirs.skp_id = ("
            + _current_skp("{row}.atasan_id", "{row}.tahun", "s.id")
            + ")))"
        ),
        "pegawai": One("Pegawai", "FROM pegawai {child} WHERE {child}.id = {row}.pegawai_id"),
        "skp": One("Skp", "FROM skp {child} WHERE {child}.id = {row}.skp_id"),
    },
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
    "Jabatan": {
        "id": global_id("Jabatan"),
        "nama": column("nama"),
        "jenis": column("jenis"),
        "jenjang": column("jenjang"),
        "kepalaUnit": column("kepala_unit"),
    },
}
