"""Snapshots printed on an SKP: who the pegawai, the pejabat penilai and the atasan pejabat
penilai were (name, NIP, pangkat, jabatan, unit) when it was made."""

from __future__ import annotations

from datetime import date
from typing import Any

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.atasan import Penilai, resolve_chains
from ekinerja.kepegawaian.golongan import pangkat
from ekinerja.kepegawaian.sql import UNITS_AT, in_force


async def person_snapshots(pegawai_ids: list[int], on: date) -> dict[int, dict[str, Any]]:
    rows = await fetch(
        f"""WITH {UNITS_AT}
        SELECT g.id, g.nip, g.nama, g.gelar_depan, g.gelar_belakang, g.golongan,
               pos.jabatan, pos.jenis_jabatan, pos.unit
        FROM pegawai g
        LEFT JOIN LATERAL (
          SELECT j.nama AS jabatan, j.jenis AS jenis_jabatan, u.nama AS unit
          FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
          LEFT JOIN units_at u ON u.id = j.unit_id
          WHERE p.pegawai_id = g.id AND {in_force("p")}
          ORDER BY CASE p.jenis WHEN 'DEFINITIF' THEN 0 ELSE 1 END, p.id LIMIT 1
        ) pos ON TRUE
        WHERE g.id = ANY($2::int[])""",
        on,
        pegawai_ids,
    )
    return {row["id"]: _snapshot(row) for row in rows}


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    front = f"{row['gelar_depan']} " if row["gelar_depan"] else ""
    back = f", {row['gelar_belakang']}" if row["gelar_belakang"] else ""
    return {
        "status": "ASN",
        "pegawaiId": row["id"],
        "nama": f"{front}{row['nama']}{back}",
        "nip": row["nip"],
        "golongan": row["golongan"],
        "pangkat": pangkat(row["golongan"]),
        "jabatan": row["jabatan"],
        "jenisJabatan": row["jenis_jabatan"],
        "unit": row["unit"],
    }


def external_snapshot(penilai: Penilai) -> dict[str, Any]:
    return {
        "status": "NON_ASN",
        "pegawaiId": None,
        "nama": penilai.nama_eksternal,
        "nip": None,
        "golongan": None,
        "pangkat": None,
        "jabatan": penilai.jabatan_eksternal,
        "unit": None,
    }


async def skp_snapshots(pegawai_id: int, on: date) -> tuple[dict, dict | None, dict | None]:
    """(pegawai, pejabat penilai, atasan pejabat penilai) as of ``on``."""
    return (await chain_snapshots([pegawai_id], on))[pegawai_id]


async def chain_snapshots(
    pegawai_ids: list[int], on: date
) -> dict[int, tuple[dict, dict | None, dict | None]]:
    """``skp_snapshots`` for many pegawai at once (a fixed number of queries)."""
    chains = await resolve_chains(pegawai_ids, on)
    people = set(pegawai_ids) | {
        p.pegawai_id
        for chain in chains.values()
        for p in (chain.pejabat_penilai, chain.atasan_pejabat_penilai)
        if p is not None and p.pegawai_id is not None
    }
    snapshots = await person_snapshots(sorted(people), on)

    def of(penilai: Penilai | None) -> dict | None:
        if penilai is None:
            return None
        if penilai.pegawai_id is not None:
            return snapshots.get(penilai.pegawai_id)
        return external_snapshot(penilai) if penilai.is_external else None

    return {
        pid: (
            snapshots[pid],
            of(chains[pid].pejabat_penilai),
            of(chains[pid].atasan_pejabat_penilai),
        )
        for pid in pegawai_ids
    }
