"""The execution's domain events (the outbox): a pegawai logged progress, saved realisasi or
changed its evidence. Written in the transaction of the change (no event without its write, no
write without its event), one per SKP and window a call touched, never one per row: a bulk write
or an import of many entries is one event per SKP and window, so the feed and every webhook
subscriber are not flooded by a file of daily entries (decision 0042's reason for having none).

Each event is about an SKP (`entitas` skp, `data.skpId`), so a live subscriber receives it under
`skp:read` as any SKP event (ekinerja/schema/subscription.py); `data` names the pegawai by NIP,
as every event does, and the window by its code."""

from __future__ import annotations

from collections import Counter

from ekinerja.db.sql import fetch
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit_many

# What changed (`aksi`).
DIBUAT, DIUBAH, DIHAPUS = "DIBUAT", "DIUBAH", "DIHAPUS"
REALISASI, BUKTI_DITAMBAHKAN, BUKTI_DIHAPUS = "REALISASI", "BUKTI_DITAMBAHKAN", "BUKTI_DIHAPUS"

_SKP = """
SELECT s.id, s.tahun, coalesce(s.snapshot_pegawai->>'nip', p.nip) AS nip
FROM skp s JOIN pegawai p ON p.id = s.pegawai_id WHERE s.id = ANY($1::int[])"""


async def _umumkan(jenis: JenisPeristiwa, aksi: str, jumlah: Counter[tuple[int, str]]) -> None:
    if not jumlah:
        return
    skps = {r["id"]: r for r in await fetch(_SKP, sorted({skp for skp, _ in jumlah}))}
    events = []
    for (skp_id, periode), count in sorted(jumlah.items()):
        skp = skps[skp_id]
        data = {"skpId": skp_id, "nip": skp["nip"], "tahun": skp["tahun"], "periode": periode,
                "aksi": aksi, "jumlah": count}  # fmt: skip
        events.append((skp_id, data))
    await emit_many(jenis, "skp", events)


async def progres(aksi: str, jumlah: Counter[tuple[int, str]]) -> None:
    """`pelaksanaan.progres`: how many entries of each (SKP, window) the call wrote."""
    await _umumkan(JenisPeristiwa.PELAKSANAAN_PROGRES, aksi, jumlah)


async def realisasi(aksi: str, skp_id: int, periode: str, jumlah: int = 1) -> None:
    """`pelaksanaan.realisasi` for one SKP's window."""
    await _umumkan(JenisPeristiwa.PELAKSANAAN_REALISASI, aksi, Counter({(skp_id, periode): jumlah}))
