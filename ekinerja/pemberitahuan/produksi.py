"""Making notifications, inside one tenant-bound transaction (the worker calls these; never a
request). From the outbox: a consumer with its own place in the feed (`pemberitahuan_posisi`),
moved in the transaction that writes what it read, like a webhook subscription's; and every
notification is unique per pegawai and `kunci` (the event's id, or the deadline), so reading an
event again (a crash before commit, two workers) makes nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ekinerja import pengaturan
from ekinerja.db.sql import fetch
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Keberatan,
    Pegawai,
    PemberitahuanPosisi,
    PreferensiPemberitahuan,
    Skp,
)
from ekinerja.pemberitahuan.templat import JenisPemberitahuan, isi_templat
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.jenis import JenisPeristiwa

PAGE = 500
PAGES_PER_RUN = 20
MENUNGGU, TERKIRIM, GAGAL = "MENUNGGU", "TERKIRIM", "GAGAL"

_DARI_PERISTIWA = {
    JenisPeristiwa.SKP_DIAJUKAN: JenisPemberitahuan.SKP_DIAJUKAN,
    JenisPeristiwa.SKP_DIKEMBALIKAN: JenisPemberitahuan.SKP_DIKEMBALIKAN,
    JenisPeristiwa.SKP_DISETUJUI: JenisPemberitahuan.SKP_DISETUJUI,
    JenisPeristiwa.EVALUASI_DITETAPKAN: JenisPemberitahuan.EVALUASI_DITETAPKAN,
    JenisPeristiwa.KEBERATAN_DIAJUKAN: JenisPemberitahuan.KEBERATAN_DIAJUKAN,
    JenisPeristiwa.KEBERATAN_DIPUTUS: JenisPemberitahuan.KEBERATAN_DIPUTUS,
}
DIBACA = sorted(j.value for j in _DARI_PERISTIWA)


@dataclass(frozen=True)
class Calon:
    """A notification to make: to whom, of what kind, about what, with which values."""

    pegawai_id: int
    jenis: JenisPemberitahuan
    kunci: str
    entitas: str
    entitas_id: str
    nilai: dict[str, Any]


def _nama(snapshot: Any) -> str:
    return (snapshot or {}).get("nama") or ""


async def _dari_peristiwa(e: feed.Peristiwa) -> Calon | None:
    """Whom the event concerns, read from the record it is about (the SKP's snapshotted
    pejabat penilai, the keberatan's atasan); None when nobody here is to be told."""
    jenis = _DARI_PERISTIWA[JenisPeristiwa(e.jenis)]
    data, kunci = e.data, f"peristiwa:{e.id}"
    if e.entitas == "skp":
        skp = await Skp.get_or_none(id=int(e.entitas_id))
        if skp is None:
            return None
        to = skp.penilai_pegawai_id if jenis is JenisPemberitahuan.SKP_DIAJUKAN else skp.pegawai_id
        nilai = {"tahun": skp.tahun, "nama_pegawai": _nama(skp.snapshot_pegawai)}
    elif e.entitas == "evaluasi":
        evaluasi = await EvaluasiPeriodik.get_or_none(id=int(e.entitas_id)).prefetch_related("skp")
        if evaluasi is None:
            return None
        to = evaluasi.skp.pegawai_id
        nilai = {"tahun": evaluasi.skp.tahun, "periode": evaluasi.periode,
                 "predikat": data.get("predikat"),
                 "nama_pegawai": _nama(evaluasi.skp.snapshot_pegawai)}  # fmt: skip
    else:
        keberatan = await Keberatan.get_or_none(id=int(e.entitas_id)).prefetch_related(
            "evaluasi__skp"
        )
        if keberatan is None:
            return None
        skp = keberatan.evaluasi.skp
        to = (
            keberatan.atasan_pegawai_id
            if jenis is JenisPemberitahuan.KEBERATAN_DIAJUKAN
            else keberatan.pegawai_id
        )
        nilai = {"tahun": skp.tahun, "periode": keberatan.evaluasi.periode,
                 "predikat": data.get("predikat"), "hasil": data.get("hasil"),
                 "nama_pegawai": _nama(skp.snapshot_pegawai)}  # fmt: skip
    if to is None:  # an appraiser outside the instansi: nobody here to tell
        return None
    return Calon(to, jenis, kunci, e.entitas, e.entitas_id, nilai)


async def posisi_row() -> PemberitahuanPosisi:
    row = await PemberitahuanPosisi.select_for_update(skip_locked=True).first()
    if row is not None:
        return row
    if await PemberitahuanPosisi.exists():  # held by another worker
        raise _Held()
    return await PemberitahuanPosisi.create(posisi_txid=0, posisi_id=0)


class _Held(Exception):
    pass


async def dari_outbox(email_aktif: bool) -> int:
    """Notifications for the events after the producer's place, and the place moved past
    them, in the caller's transaction. Skips (returns 0) while another worker holds the place.
    ``email_aktif``: whether SMTP is configured (emails are queued only then)."""
    try:
        row = await posisi_row()
    except _Held:
        return 0
    posisi = feed.Posisi(row.posisi_txid, row.posisi_id)
    calon: list[Calon] = []
    for _ in range(PAGES_PER_RUN):
        page = await feed.baca(posisi, PAGE, DIBACA)
        for event in page.peristiwa:
            found = await _dari_peristiwa(event)
            if found is not None:
                calon.append(found)
        posisi = page.akhir
        if not page.ada_lagi:
            break
    made = await buat(calon, email_aktif)
    if (posisi.txid, posisi.id) != (row.posisi_txid, row.posisi_id):
        row.posisi_txid, row.posisi_id = posisi.txid, posisi.id
        await row.save(update_fields=["posisi_txid", "posisi_id"])
    return made


async def buat(calon: Iterable[Calon], email_aktif: bool) -> int:
    """Write the notifications (each as its pegawai prefers; one that is neither shown nor
    emailed is not made), skipping those made already. How many were made."""
    calon = list(calon)
    if not calon:
        return 0
    ids = {c.pegawai_id for c in calon}
    people = {p.id: p for p in await Pegawai.filter(id__in=ids).only("id", "nama", "email")}
    prefs = {
        (p.pegawai_id, p.jenis): p for p in await PreferensiPemberitahuan.filter(pegawai_id__in=ids)
    }
    texts = (await pengaturan.baca()).pemberitahuan_templat
    rows: list[tuple] = []
    emailed: set[int] = set()
    for c in calon:
        person = people.get(c.pegawai_id)
        if person is None:
            continue
        pref = prefs.get((c.pegawai_id, c.jenis.value))
        shown = pref.dalam_aplikasi if pref else True
        email = email_aktif and bool(person.email) and (pref.surel if pref else True)
        if not shown and not email:
            continue
        judul, isi = isi_templat(texts[c.jenis], {**c.nilai, "nama": person.nama})
        rows.append((c.pegawai_id, c.jenis.value, c.kunci, c.entitas, c.entitas_id, judul, isi,
                     shown))  # fmt: skip
        if email:
            emailed.add(len(rows) - 1)
    if not rows:
        return 0
    made = await fetch(
        """INSERT INTO pemberitahuan (pegawai_id, jenis, kunci, entitas, entitas_id, judul, isi,
               tampil, surel_status, surel_percobaan, surel_berikutnya_pada, dibuat_pada)
           SELECT c.p, c.j, c.k, c.e, c.ei, c.ju, c.i, c.t,
                  CASE WHEN c.s THEN $9 END, 0, CASE WHEN c.s THEN now() END, now()
           FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::bool[], $10::bool[]) AS c(p, j, k, e, ei, ju, i, t, s)
           ON CONFLICT (pegawai_id, kunci) DO NOTHING RETURNING id""",
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
        [r[4] for r in rows], [r[5] for r in rows], [r[6] for r in rows], [r[7] for r in rows],
        MENUNGGU, [i in emailed for i in range(len(rows))],
    )  # fmt: skip
    return len(made)
