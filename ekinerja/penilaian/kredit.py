"""The angka kredit ledger of jabatan fungsional (Peraturan BKN 3/2023, DOMAIN.md 5.6): one
line per pegawai per periodic window, computed from the window's final predikat and the jenjang
held at the window's end, prorated by the window's months. Recomputing is idempotent: a line
changes only when its inputs did (a keberatan decided DIUBAH, say)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekinerja import audit
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import today
from ekinerja.models.tenant import AngkaKredit
from ekinerja.penilaian.angka_kredit import KOEFISIEN, PERSENTASE, angka_kredit, bulan_dalam
from ekinerja.penilaian.batas_keberatan import batas_hari
from ekinerja.penilaian.enums import PredikatPegawai
from ekinerja.penilaian.finalitas import final_sql
from ekinerja.skp.periods import kadensi_of, windows

_FIXED = f"""
SELECT e.id, e.periode, e.predikat, e.jenjang, s.pegawai_id,
       {final_sql("e", "k", "s.atasan_penilai_pegawai_id", "$2", "$3")} AS final
FROM evaluasi_periodik e JOIN skp s ON s.id = e.skp_id
LEFT JOIN keberatan k ON k.evaluasi_id = e.id
WHERE e.status = 'DITETAPKAN' AND e.periode = ANY($1::text[]) AND e.jenjang IS NOT NULL"""


@dataclass(frozen=True)
class Hasil:
    dibuat: int
    diubah: int
    tetap: int
    belum_final: int


async def hitung(tahun: int, actor: str, on: date | None = None) -> Hasil:
    """Bring the year's ledger up to date with every final periodic result."""
    on = on or today()
    by_kode = {w.kode: w for w in windows(tahun, await kadensi_of(tahun))}
    rows = await fetch(_FIXED, list(by_kode), await batas_hari(), on)
    existing = {
        (a.pegawai_id, a.periode): a for a in await AngkaKredit.filter(periode__in=list(by_kode))
    }
    made = changed = same = pending = 0
    for row in rows:
        if row["jenjang"] not in KOEFISIEN:
            continue  # not a jabatan fungsional jenjang
        if not row["final"]:
            pending += 1
            continue
        window = by_kode[row["periode"]]
        predikat = PredikatPegawai(row["predikat"])
        values = {
            "evaluasi_id": row["id"],
            "jenjang": row["jenjang"],
            "predikat": predikat,
            "bulan": bulan_dalam(window.awal, window.akhir),
            "persentase": PERSENTASE[predikat],
            "koefisien": KOEFISIEN[row["jenjang"]],
        }
        values["nilai"] = angka_kredit(predikat, row["jenjang"], values["bulan"])
        line = existing.get((row["pegawai_id"], row["periode"]))
        if line is None:
            await AngkaKredit.create(pegawai_id=row["pegawai_id"], periode=row["periode"], **values)
            made += 1
        elif any(getattr(line, k) != v for k, v in values.items()):
            await AngkaKredit.filter(id=line.id).update(**values)
            changed += 1
        else:
            same += 1
    await audit.record(actor, "angka_kredit.hitung", "angka_kredit", None, tahun=tahun,
                       dibuat=made, diubah=changed)  # fmt: skip
    return Hasil(made, changed, same, pending)
