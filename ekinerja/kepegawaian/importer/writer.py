"""Writing validated records, set-based: COPY into temporary tables, then a fixed handful of
INSERT … ON CONFLICT / UPDATE … FROM statements, however many rows the file has.

Everything runs on the import's tenant-bound transaction. The staging tables are temporary
(`ON COMMIT DROP`), which the tenant role may create, and carry an `import_` prefix because a
temporary table shadows a tenant table of the same name. SQL here is never built from input:
the only text assembled is from the fixed column lists below.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from ekinerja.kepegawaian.enums import JenisPenugasan
from ekinerja.kepegawaian.importer import layout as col
from ekinerja.kepegawaian.importer.records import Counts, ValidatedRows
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import NOTIFY_SQL, TXID_SQL

# A unit's first version is valid "since records began": the file says how the unit is, not
# since when, and an assignment imported with an old TMT must find its unit at that date.
# Later changes are dated at the import (SIASN gives no date for them either).
FIRST_VERSION_FROM = date(1900, 1, 1)

# Optional columns → the fields they fill. A column the file lacks leaves its field as it is.
_PEGAWAI_OPTIONAL = {
    col.NIP_LAMA: "nip_lama",
    col.GELAR_DEPAN: "gelar_depan",
    col.GELAR_BELAKANG: "gelar_belakang",
    col.GOLONGAN: "golongan",
    col.STATUS: "status",
    col.EMAIL: "email",
}
_PEGAWAI_ALWAYS = ("nama", "jenis_kepegawaian", "tanggal_lahir", "jenis_kelamin")
_JABATAN_OPTIONAL = {
    col.KEPALA_UNIT: "kepala_unit",
    col.PENILAI_EKSTERNAL_NAMA: "penilai_eksternal_nama",
    col.PENILAI_EKSTERNAL_JABATAN: "penilai_eksternal_jabatan",
}
_JABATAN_ALWAYS = ("jenis", "jenjang", "aktif")


def asyncpg_connection(transaction) -> asyncpg.Connection:
    """The asyncpg connection under a Tortoise transaction: COPY is not in Tortoise's API."""
    return transaction._connection


def _affected(status: str) -> int:
    """Rows touched, from a command tag such as `UPDATE 12` or `INSERT 0 12`."""
    return int(status.rsplit(" ", 1)[-1])


def _updated_fields(given: frozenset[str], optional: dict[str, str], always: tuple[str, ...]):
    return [*always, *(field for column, field in optional.items() if column in given)]


def _upsert_tail(table: str, fields: list[str], extra_set: str = "") -> str:
    """`DO UPDATE` that touches a row only when one of ``fields`` differs, and a count of rows
    created vs updated (xmax = 0 marks a freshly inserted row)."""
    assignments = ", ".join(f"{f} = EXCLUDED.{f}" for f in fields)
    current = ", ".join(f"{table}.{f}" for f in fields)
    incoming = ", ".join(f"EXCLUDED.{f}" for f in fields)
    return (
        f"DO UPDATE SET {assignments}{extra_set} "
        f"WHERE ({current}) IS DISTINCT FROM ({incoming}) "
        "RETURNING (xmax = 0) AS created"
    )


# Domain events of the import, written by the statements that make the changes (the outbox).
# Each SELECT feeding it ends its columns with _OUTBOX_STAMP.
_OUTBOX_INSERT = "INSERT INTO outbox_event (jenis, entitas, entitas_id, data, txid, terjadi_pada)"
_OUTBOX_STAMP = f"{TXID_SQL}, now()"


async def _count_upsert(connection: asyncpg.Connection, upsert: str) -> tuple[int, int]:
    row = await connection.fetchrow(
        f"WITH changed AS ({upsert}) "
        "SELECT count(*) FILTER (WHERE created) AS created, "
        "count(*) FILTER (WHERE NOT created) AS updated FROM changed"
    )
    return row["created"], row["updated"]


async def lock_tenant_imports(connection: asyncpg.Connection) -> None:
    """One import per tenant at a time: the checks read the tenant, then the writes rely on it.
    Transaction-scoped, keyed by the bound schema, so other tenants are never kept waiting."""
    await connection.execute(
        "SELECT pg_advisory_xact_lock(hashtext('ekinerja.import.' || current_schema()))"
    )


async def write_units(connection: asyncpg.Connection, validated: ValidatedRows, as_of: date):
    """Units by SIASN id; a changed name or parent closes the open version at ``as_of`` and
    opens a new one (a same-day change corrects the version opened that day)."""
    await connection.execute(
        "CREATE TEMP TABLE import_unit (siasn_id text PRIMARY KEY, nama text NOT NULL, "
        "parent_siasn_id text, unit_id int, parent_id int) ON COMMIT DROP"
    )
    await connection.copy_records_to_table(
        "import_unit",
        records=[(u.siasn_id, u.nama, u.parent_siasn_id) for u in validated.units.values()],
        columns=["siasn_id", "nama", "parent_siasn_id"],
    )
    created = _affected(
        await connection.execute(
            "INSERT INTO unit_kerja (siasn_id, dibuat_pada) SELECT siasn_id, now() "
            "FROM import_unit ON CONFLICT (siasn_id) DO NOTHING"
        )
    )
    await connection.execute(
        "UPDATE import_unit s SET unit_id = u.id, "
        "parent_id = (SELECT p.id FROM unit_kerja p WHERE p.siasn_id = s.parent_siasn_id) "
        "FROM unit_kerja u WHERE u.siasn_id = s.siasn_id"
    )
    differs = "(v.nama, v.parent_id, v.aktif) IS DISTINCT FROM (s.nama, s.parent_id, true)"
    corrected = _affected(
        await connection.execute(
            "UPDATE unit_kerja_versi v SET nama = s.nama, parent_id = s.parent_id, aktif = true "
            "FROM import_unit s WHERE v.unit_id = s.unit_id AND v.berlaku_sampai IS NULL "
            f"AND v.berlaku_mulai >= $1 AND {differs}",
            as_of,
        )
    )
    await connection.execute(
        "UPDATE unit_kerja_versi v SET berlaku_sampai = $1 FROM import_unit s "
        f"WHERE v.unit_id = s.unit_id AND v.berlaku_sampai IS NULL AND v.berlaku_mulai < $1 "
        f"AND {differs}",
        as_of,
    )
    opened = _affected(
        await connection.execute(
            "INSERT INTO unit_kerja_versi (unit_id, nama, parent_id, aktif, berlaku_mulai) "
            "SELECT s.unit_id, s.nama, s.parent_id, true, "
            "CASE WHEN EXISTS (SELECT 1 FROM unit_kerja_versi o WHERE o.unit_id = s.unit_id) "
            "THEN $1::date ELSE $2::date END "
            "FROM import_unit s WHERE NOT EXISTS (SELECT 1 FROM unit_kerja_versi v "
            "WHERE v.unit_id = s.unit_id AND v.berlaku_sampai IS NULL)",
            as_of,
            FIRST_VERSION_FROM,
        )
    )
    updated = corrected + opened - created
    return Counts(created, updated, len(validated.units) - created - updated)


async def write_jabatan(connection: asyncpg.Connection, validated: ValidatedRows) -> Counts:
    """Jabatan by (unit, nama). A unit's head named in the file is its only head: another
    jabatan of the unit that was its head is no longer."""
    await connection.execute(
        "CREATE TEMP TABLE import_jabatan (unit_siasn_id text NOT NULL, nama text NOT NULL, "
        "jenis text NOT NULL, jenjang text, kepala_unit boolean NOT NULL, "
        "penilai_eksternal_nama text, penilai_eksternal_jabatan text, unit_id int, "
        "PRIMARY KEY (unit_siasn_id, nama)) ON COMMIT DROP"
    )
    await connection.copy_records_to_table(
        "import_jabatan",
        records=[
            (
                j.unit_siasn_id,
                j.nama,
                j.jenis.value,
                j.jenjang.value if j.jenjang else None,
                j.kepala_unit,
                j.penilai_eksternal_nama,
                j.penilai_eksternal_jabatan,
            )
            for j in validated.jabatan.values()
        ],
        columns=[
            "unit_siasn_id",
            "nama",
            "jenis",
            "jenjang",
            "kepala_unit",
            "penilai_eksternal_nama",
            "penilai_eksternal_jabatan",
        ],
    )
    await connection.execute("ANALYZE import_jabatan")  # see write_pegawai
    await connection.execute(
        "UPDATE import_jabatan s SET unit_id = u.id FROM unit_kerja u "
        "WHERE u.siasn_id = s.unit_siasn_id"
    )
    fields = _updated_fields(validated.given_columns, _JABATAN_OPTIONAL, _JABATAN_ALWAYS)
    created, updated = await _count_upsert(
        connection,
        "INSERT INTO jabatan (nama, jenis, jenjang, unit_id, kepala_unit, "
        "penilai_eksternal_nama, penilai_eksternal_jabatan, aktif) "
        "SELECT nama, jenis, jenjang, unit_id, kepala_unit, penilai_eksternal_nama, "
        "penilai_eksternal_jabatan, true FROM import_jabatan "
        f"ON CONFLICT (unit_id, nama) {_upsert_tail('jabatan', fields)}",
    )
    unchanged = len(validated.jabatan) - created - updated
    if col.KEPALA_UNIT in validated.given_columns:
        updated += _affected(
            await connection.execute(
                "UPDATE jabatan j SET kepala_unit = false FROM import_jabatan s "
                "WHERE s.kepala_unit AND j.unit_id = s.unit_id AND j.kepala_unit "
                "AND j.nama <> s.nama"
            )
        )
    return Counts(created, updated, unchanged)


async def write_pegawai(connection: asyncpg.Connection, validated: ValidatedRows) -> Counts:
    """Pegawai by NIP; a row whose fields all match is not touched (updated_at stays)."""
    await connection.execute(
        "CREATE TEMP TABLE import_pegawai (nip text PRIMARY KEY, nip_lama text, "
        "nama text NOT NULL, gelar_depan text, gelar_belakang text, "
        "jenis_kepegawaian text NOT NULL, golongan text, status text NOT NULL, "
        "tanggal_lahir date NOT NULL, jenis_kelamin text, email text, "
        "unit_siasn_id text NOT NULL, jabatan_nama text NOT NULL, kepala_unit boolean NOT NULL, "
        "tmt_jabatan date NOT NULL, pegawai_id int, jabatan_id int) ON COMMIT DROP"
    )
    await connection.copy_records_to_table(
        "import_pegawai",
        records=[
            (
                p.nip,
                p.nip_lama,
                p.nama,
                p.gelar_depan,
                p.gelar_belakang,
                p.jenis_kepegawaian.value,
                p.golongan,
                p.status.value,
                p.tanggal_lahir,
                p.jenis_kelamin.value if p.jenis_kelamin else None,
                p.email,
                p.unit_siasn_id,
                p.jabatan_nama,
                p.kepala_unit,
                p.tmt_jabatan,
            )
            for p in validated.pegawai
        ],
        columns=[
            "nip",
            "nip_lama",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_kepegawaian",
            "golongan",
            "status",
            "tanggal_lahir",
            "jenis_kelamin",
            "email",
            "unit_siasn_id",
            "jabatan_nama",
            "kepala_unit",
            "tmt_jabatan",
        ],
    )
    # Without statistics the planner guesses a temporary table is tiny; 50,000 rows are not.
    await connection.execute("ANALYZE import_pegawai")
    fields = _updated_fields(validated.given_columns, _PEGAWAI_OPTIONAL, _PEGAWAI_ALWAYS)
    upsert = (
        "INSERT INTO pegawai (nip, nip_lama, nama, gelar_depan, gelar_belakang, "
        "jenis_kepegawaian, golongan, status, tanggal_lahir, jenis_kelamin, email, "
        "dibuat_pada, diubah_pada) "
        "SELECT nip, nip_lama, nama, gelar_depan, gelar_belakang, jenis_kepegawaian, golongan, "
        "status, tanggal_lahir, jenis_kelamin, email, now(), now() FROM import_pegawai "
        f"ON CONFLICT (nip) {_upsert_tail('pegawai', fields, ', diubah_pada = now()')}"
    )
    # Every created or changed pegawai is announced in the outbox by the same statement.
    upsert = upsert.replace(
        "RETURNING (xmax = 0) AS created",
        "RETURNING (xmax = 0) AS created, id, nip, nama, jenis_kepegawaian, golongan, status",
    )
    row = await connection.fetchrow(
        f"WITH changed AS ({upsert}), "
        f"announced AS ({_OUTBOX_INSERT} "
        "SELECT CASE WHEN created THEN $1 ELSE $2 END, 'pegawai', id::text, "
        "jsonb_build_object('nip', nip, 'nama', nama, 'jenisKepegawaian', jenis_kepegawaian, "
        f"'golongan', golongan, 'status', status), {_OUTBOX_STAMP} FROM changed) "
        "SELECT count(*) FILTER (WHERE created) AS created, "
        "count(*) FILTER (WHERE NOT created) AS updated FROM changed",
        JenisPeristiwa.PEGAWAI_DIBUAT.value,
        JenisPeristiwa.PEGAWAI_DIUBAH.value,
    )
    created, updated = row["created"], row["updated"]
    await connection.execute(f"SELECT {NOTIFY_SQL}")
    return Counts(created, updated, len(validated.pegawai) - created - updated)


async def write_penugasan(connection: asyncpg.Connection, validated: ValidatedRows) -> Counts:
    """Each pegawai's open DEFINITIF penugasan becomes the file's jabatan. Same jabatan: kept.
    Another: ended on the new TMT, and the new one opened (a mutasi keeps its history).
    A head seat is single: a holder the file does not mention is ended on the new TMT."""
    await connection.execute(
        "UPDATE import_pegawai s SET pegawai_id = p.id, jabatan_id = j.id "
        "FROM pegawai p, jabatan j JOIN unit_kerja u ON u.id = j.unit_id "
        "WHERE p.nip = s.nip AND u.siasn_id = s.unit_siasn_id AND j.nama = s.jabatan_nama"
    )
    open_definitif = f"p.jenis = '{JenisPenugasan.DEFINITIF.value}' AND p.berlaku_sampai IS NULL"
    ended = _affected(
        await connection.execute(
            "UPDATE penugasan p SET berlaku_sampai = s.tmt_jabatan FROM import_pegawai s "
            f"WHERE p.pegawai_id = s.pegawai_id AND {open_definitif} "
            "AND p.jabatan_id <> s.jabatan_id"
        )
    )
    ended += _affected(
        await connection.execute(
            "UPDATE penugasan p SET berlaku_sampai = s.tmt_jabatan FROM import_pegawai s "
            f"WHERE s.kepala_unit AND p.jabatan_id = s.jabatan_id AND {open_definitif} "
            # A holder who is in the file lost the seat in the statement above (they moved
            # elsewhere); validation allows no two holders of one head seat in a file.
            "AND p.pegawai_id <> s.pegawai_id"
        )
    )
    opened = await connection.fetchval(
        "WITH opened AS (INSERT INTO penugasan (pegawai_id, jabatan_id, jenis, berlaku_mulai) "
        f"SELECT s.pegawai_id, s.jabatan_id, '{JenisPenugasan.DEFINITIF.value}', "
        "s.tmt_jabatan FROM import_pegawai s WHERE NOT EXISTS "
        f"(SELECT 1 FROM penugasan p WHERE p.pegawai_id = s.pegawai_id AND {open_definitif}) "
        "RETURNING pegawai_id, jabatan_id, berlaku_mulai), "
        f"announced AS ({_OUTBOX_INSERT} "
        "SELECT $1, 'pegawai', o.pegawai_id::text, jsonb_build_object('nip', p.nip, "
        "'jabatan', j.nama, 'unitSiasnId', u.siasn_id, 'tmtJabatan', o.berlaku_mulai), "
        f"{_OUTBOX_STAMP} FROM opened o JOIN pegawai p ON p.id = o.pegawai_id "
        "JOIN jabatan j ON j.id = o.jabatan_id JOIN unit_kerja u ON u.id = j.unit_id) "
        "SELECT count(*) FROM opened",
        JenisPeristiwa.PEGAWAI_MUTASI.value,
    )
    return Counts(opened, ended, len(validated.pegawai) - opened)
