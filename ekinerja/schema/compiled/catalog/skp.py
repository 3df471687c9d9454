"""SKP, their RHK and indikator, and the cascade between RHK, as SQL."""

from __future__ import annotations

import sys
from typing import Any

from ekinerja.auth.policy import Relation
from ekinerja.schema.compiled.catalog.spec import (
    Column,
    Listed,
    Many,
    One,
    Same,
    column,
    decimal,
    decimal_sql,
    gid_sql,
    global_id,
    instant,
    nullable_global_id,
    template,
    text,
)
from ekinerja.skp.cascade import MAX_DEPTH, cascade_depth, cascade_down_sql, cascade_up_sql
from ekinerja.skp.revisi_links import PETUNJUK, StatusIntervensi


def cascade_down(arguments: dict[str, Any]) -> tuple[str, str] | None:
    """skp/cascade.py's cascade below {row}, as a correlated source. A unit filter is not
    compiled."""
    if arguments.get("unitId") is not None:
        return None
    depth = cascade_depth(arguments.get("kedalamanMax"))
    rows = template(cascade_down_sql("ROW_ID", str(int(depth))))
    return f"FROM ({rows.replace('ROW_ID', '{row}.id')}) {{child}}", "{child}.depth, {child}.path"


def rencana_aksi(arguments: dict[str, Any]) -> tuple[str, str] | None:
    """An RHK's rencana aksi by window then id (dataloaders.rencana_aksi_of_rhk), only the
    window `periode` names when it is given."""
    source = "FROM rencana_aksi {child} WHERE {child}.rhk_id = {row}.id"
    periode = arguments.get("periode")
    if periode is not None:
        if "\x00" in periode:
            return None  # no SQL literal holds it (text with NUL is refused before, too)
        source += f" AND {{child}}.periode = {text(periode)}"
    return source, "{child}.periode, {child}.id"


# skp/cascade.py's chain above {row}, as a correlated source.
_CASCADE_UP = (
    f"FROM ({template(cascade_up_sql('ROW_ID', str(MAX_DEPTH))).replace('ROW_ID', '{row}.id')})"
    " {child}"
)

# revisi_links.states_of for the RHK {row} intervenes (types._link_state): none, in force,
# superseded by a revision that kept it, or orphaned (also when it is gone).
_S = StatusIntervensi
_LINK_STATE = (
    f"CASE WHEN {{row}}.intervensi_id IS NULL THEN {text(_S.TIDAK_ADA)} ELSE coalesce(("
    f"SELECT CASE WHEN s.digantikan_pada IS NULL THEN {text(_S.BERLAKU)}"
    " WHEN EXISTS (SELECT 1 FROM rhk later WHERE later.asal_id = t.id)"
    f" THEN {text(_S.DIGANTIKAN)} ELSE {text(_S.YATIM)} END"
    " FROM rhk t JOIN skp s ON s.id = t.skp_id WHERE t.id = {row}.intervensi_id),"
    f" {text(_S.YATIM)}) END"
)
# What to do about it: revisi_links.PETUNJUK's text for the states it has one for, else null.
_PETUNJUK = (
    f"CASE ({_LINK_STATE}) "
    + " ".join(f"WHEN {text(state)} THEN {text(hint)}" for state, hint in PETUNJUK.items())
    + " END"
)

# What Python's str.strip() strips: every character str.isspace() is true of (btrim strips
# only the characters it is given), as an escape string of \uXXXX escapes.
_WHITESPACE = (
    "E'"
    + "".join(f"\\u{ord(c):04x}" for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    + "'"
)


def _target() -> Column:
    """skp/formatting.format_target: the qualitative target if not empty; else the numbers
    (`plain`), a range `low–high` when both are there and differ, then the satuan, stripped."""
    low, high = decimal_sql("{row}.target_min"), decimal_sql("{row}.target_max")
    amount = (
        f"CASE WHEN {low} <> {high} THEN {low} || {text('–')} || {high}"
        f" ELSE coalesce({low}, {high}, '') END"
    )
    printed = f"{amount} || ' ' || coalesce({{row}}.satuan, '')"
    return Column(
        "CASE WHEN {row}.target_kualitatif <> '' THEN {row}.target_kualitatif"
        f" ELSE btrim({printed}, {_WHITESPACE}) END"
    )


# Objects about other pegawai of the instansi than the row's.
_OTHERS = Relation.OTHER_IN_TENANT


def _snapshot(name: str) -> One:
    """A person frozen on the SKP (SnapshotOrang.of): null when the JSON is null or empty.
    The snapshots are objects as skp/snapshots.py writes them; anything else is null here."""
    return One(
        "SnapshotOrang",
        f"FROM (SELECT {{row}}.{name} AS snapshot) {{child}}"
        " WHERE jsonb_typeof({child}.snapshot) = 'object'"
        f" AND {{child}}.snapshot <> {text('{}')}",
    )


def _snapshot_value(key: str) -> Column:
    """A value of the snapshot as GraphQL's String gives it: text as is, a number or a boolean
    as its JSON text (`->>`), JSON null as null."""
    return Column(f"{{row}}.snapshot->>{text(key)}")


TYPES = {
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
        # Its owner as they are now (the SKP is about them: the same relation as the SKP).
        "pegawai": One("Pegawai", "FROM pegawai {child} WHERE {child}.id = {row}.pegawai_id"),
        "snapshotPegawai": _snapshot("snapshot_pegawai"),
        "pejabatPenilai": _snapshot("snapshot_penilai"),
        "atasanPejabatPenilai": _snapshot("snapshot_atasan_penilai"),
    },
    # A row of _snapshot (snapshot: the JSON object).
    "SnapshotOrang": {
        "nama": _snapshot_value("nama"),
        "nip": _snapshot_value("nip"),
        "pangkat": _snapshot_value("pangkat"),
        "golongan": _snapshot_value("golongan"),
        "jabatan": _snapshot_value("jabatan"),
        "unit": _snapshot_value("unit"),
        "statusPenilai": _snapshot_value("status"),
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
        "rencanaAksi": Listed("RencanaAksi", rencana_aksi),
        # The superior's RHK (someone else's), and the state of the link to it.
        "intervensi": One(
            "Rhk", "FROM rhk {child} WHERE {child}.id = {row}.intervensi_id", relation=_OTHERS
        ),
        "statusIntervensi": Column(_LINK_STATE),
        "petunjukIntervensi": Column(_PETUNJUK),
        # Other pegawai's RHK, at any depth: not only those the caller appraises.
        "cascadeBawah": Listed("CascadeNode", cascade_down, relation=_OTHERS),
        "cascadeAtas": Many("CascadeNode", _CASCADE_UP, "{child}.depth", relation=_OTHERS),
    },
    "RencanaAksi": {
        "id": global_id("RencanaAksi"),
        "periode": column("periode"),
        "teks": column("teks"),
        "target": column("target"),
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
        "rhk": Same("Rhk"),
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
        "target": _target(),
        # The superior's indikator this part splits (someone else's).
        "bagianDari": One(
            "Indikator",
            "FROM indikator {child} WHERE {child}.id = {row}.bagian_dari_id",
            relation=_OTHERS,
        ),
    },
}
