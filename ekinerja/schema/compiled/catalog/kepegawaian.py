"""Pegawai, their positions and the positions' units, as SQL."""

from __future__ import annotations

from ekinerja.kepegawaian.golongan import PANGKAT_PNS
from ekinerja.kepegawaian.sql import in_force
from ekinerja.schema.compiled.catalog.spec import (
    TODAY,
    Column,
    Many,
    One,
    column,
    global_id,
    template,
    text,
)

# kepegawaian/golongan.py's pangkat: the title of a PNS golongan spelled exactly as recorded;
# null for anything else (a PPPK's golongan, none).
_PANGKAT = Column(
    "CASE {row}.golongan "
    + " ".join(
        f"WHEN {text(golongan)} THEN {text(title)}" for golongan, title in PANGKAT_PNS.items()
    )
    + " END"
)

# The version of the unit of {row} (a jabatan) in force on $1, as units.units_by_id reads it,
# with that day (the resolver's `tanggal`). Versions of a unit do not overlap (the importer
# closes one before opening the next); if they did, the latest start is taken.
_UNIT_TODAY = (
    f"FROM (SELECT v.unit_id AS id, k.siasn_id, v.nama, v.aktif, {TODAY}::date AS tanggal"
    " FROM unit_kerja_versi v JOIN unit_kerja k ON k.id = v.unit_id"
    f" WHERE v.unit_id = {{row}}.unit_id AND {template(in_force('v'))}"
    " ORDER BY v.berlaku_mulai DESC, v.id DESC LIMIT 1) {child}"
)

TYPES = {
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
        "pangkat": _PANGKAT,
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
        # Every assignment, newest first (dataloaders._riwayat).
        "riwayatJabatan": Many(
            "Penugasan",
            "FROM penugasan {child} WHERE {child}.pegawai_id = {row}.id",
            "{child}.berlaku_mulai DESC, {child}.id DESC",
        ),
    },
    "Penugasan": {
        "jenis": column("jenis"),
        "berlakuMulai": column("berlaku_mulai"),
        "berlakuSampai": column("berlaku_sampai"),
        "nomorSk": column("nomor_sk"),
        "jabatan": One("Jabatan", "FROM jabatan {child} WHERE {child}.id = {row}.jabatan_id"),
    },
    "Jabatan": {
        "id": global_id("Jabatan"),
        "nama": column("nama"),
        "jenis": column("jenis"),
        "jenjang": column("jenjang"),
        "kepalaUnit": column("kepala_unit"),
        # Without `tanggal` (an argument falls back): as of today.
        "unit": One("UnitKerja", _UNIT_TODAY),
    },
    # A row of _UNIT_TODAY (id, siasn_id, nama, aktif, tanggal). The tree around it (induk,
    # anak, leluhur, kepala, headcounts) stays on the resolvers.
    "UnitKerja": {
        "id": global_id("UnitKerja"),
        "siasnId": column("siasn_id"),
        "nama": column("nama"),
        "aktif": column("aktif"),
        "tanggal": column("tanggal"),
    },
}
