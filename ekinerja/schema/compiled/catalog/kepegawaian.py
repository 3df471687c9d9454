"""Pegawai, their positions and the positions' units, as SQL."""

from __future__ import annotations

from ekinerja.schema.compiled.catalog.spec import TODAY, Column, One, column, global_id

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
    "Jabatan": {
        "id": global_id("Jabatan"),
        "nama": column("nama"),
        "jenis": column("jenis"),
        "jenjang": column("jenjang"),
        "kepalaUnit": column("kepala_unit"),
    },
}
