"""Who to act as in the demo agency, by role: so a newcomer can follow docs/journey.md as a
pegawai, as their penilai, as the atasan penilai who examines a keberatan, as a unit head who
fixes a unit's results, or as an admin instansi.

Read from the tenant's data (whatever was imported), with the appraisers the real flow would
snapshot on the date (`chain_snapshots`), so the names match what the service answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.sql import in_force
from ekinerja.skp.snapshots import chain_snapshots


class DemoRole(StrEnum):
    PEGAWAI = "pegawai"
    PENILAI = "penilai"  # appraises at least one pegawai
    ATASAN_PENILAI = "atasan-penilai"  # examines the keberatan of at least one pegawai
    KEPALA = "kepala"  # heads a unit (sets its predikat, fixes its results one level down)
    ADMIN_INSTANSI = "admin-instansi"  # any pegawai with the token role; the BKPSDM staff first


@dataclass(frozen=True)
class DemoIdentity:
    nip: str
    nama: str
    jabatan: str | None
    unit: str | None
    penilai: str | None
    atasan_penilai: str | None


# Units whose staff would hold the admin role in a real agency (the kepegawaian office).
_ADMIN_UNIT_WORD = "kepegawaian"


async def _active_ids() -> list[int]:
    rows = await fetch("SELECT id FROM pegawai WHERE status = 'AKTIF' ORDER BY id")
    return [row["id"] for row in rows]


async def _unit_heads(on: date) -> set[int]:
    rows = await fetch(
        f"""SELECT DISTINCT p.pegawai_id FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
            WHERE j.kepala_unit AND {in_force("p")}""",
        on,
    )
    return {row["pegawai_id"] for row in rows}


def _nama(snapshot: dict | None) -> str | None:
    if snapshot is None:
        return None
    return snapshot["nama"] if snapshot.get("nip") else f"{snapshot['nama']} (luar sistem)"


async def demo_identities(role: DemoRole, on: date, limit: int) -> list[DemoIdentity]:
    """Up to ``limit`` pegawai who can play ``role`` on ``on``: those in the walked demo year
    first, then by NIP."""
    ids = await _active_ids()
    chains = await chain_snapshots(ids, on)
    appraisers = {c[1]["pegawaiId"] for c in chains.values() if c[1] and c[1]["pegawaiId"]}
    examiners = {c[2]["pegawaiId"] for c in chains.values() if c[2] and c[2]["pegawaiId"]}
    if role is DemoRole.PENILAI:
        chosen = appraisers
    elif role is DemoRole.ATASAN_PENILAI:
        chosen = examiners
    elif role is DemoRole.KEPALA:
        chosen = await _unit_heads(on)
    elif role is DemoRole.ADMIN_INSTANSI:
        chosen = {
            pid for pid, c in chains.items() if _ADMIN_UNIT_WORD in (c[0]["unit"] or "").lower()
        } or set(ids)
    else:  # a pegawai with both appraisers in the system can walk the whole journey
        chosen = {pid for pid, c in chains.items() if c[1] and c[2] and c[1]["pegawaiId"]}
    found = [
        DemoIdentity(
            nip=pegawai["nip"],
            nama=pegawai["nama"],
            jabatan=pegawai["jabatan"],
            unit=pegawai["unit"],
            penilai=_nama(penilai),
            atasan_penilai=_nama(atasan),
        )
        for pid, (pegawai, penilai, atasan) in chains.items()
        if pid in chosen
    ]
    walked = await _walked()
    return sorted(found, key=lambda i: (i.nip not in walked, i.nip))[:limit]


async def _walked() -> set[str]:
    """NIPs of those in a walked year (the demo team, its penilai and atasan penilai), shown
    first: their evaluations, penetapan and keberatan are there to look at."""
    rows = await fetch(
        """SELECT DISTINCT g.nip FROM evaluasi_periodik e JOIN skp s ON s.id = e.skp_id
           JOIN pegawai g ON g.id IN (s.pegawai_id, s.penilai_pegawai_id,
                                      s.atasan_penilai_pegawai_id)"""
    )
    return {row["nip"] for row in rows}
