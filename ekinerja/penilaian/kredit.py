"""The angka kredit ledger of jabatan fungsional (Peraturan BKN 3/2023, docs/domain.md 5.6): one
line per evaluation, i.e. per SKP and periodic window (a pegawai transferred mid-window has one
line under each SKP), computed from its final predikat and the jenjang recorded at submission,
prorated by the months of the window the SKP covers (counted by the instansi's rule, see
angka_kredit.py). Recomputing is idempotent: a line changes only when its inputs did (a
keberatan decided DIUBAH, say)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekinerja import audit, pengaturan
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.models.tenant import AngkaKredit
from ekinerja.penilaian.angka_kredit import KOEFISIEN, PERSENTASE, angka_kredit, bulan_dihitung
from ekinerja.penilaian.enums import PredikatPegawai
from ekinerja.penilaian.finalitas import final_sql
from ekinerja.skp.periode import clip, kadensi_of, windows

_FIXED = f"""
SELECT e.id, e.periode, e.predikat, e.jenjang, s.pegawai_id, s.periode_awal, s.periode_akhir,
       {final_sql("e", "k", "s", "$2", "$3")} AS final
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
    """Bring the year's ledger up to date with every final periodic result. The instansi's
    settings (its zone, keberatan days and how a partly covered month counts: docs/domain.md 5.6
    has whole months only, so per tenant) are read once."""
    settings = await pengaturan.baca()
    on = on or tanggal_di(settings.zona_waktu)
    by_kode = {w.kode: w for w in windows(tahun, await kadensi_of(tahun))}
    rows = await fetch(_FIXED, list(by_kode), settings.batas_hari_keberatan, on)
    hitungan = settings.hitungan_bulan
    existing = {a.evaluasi_id: a for a in await AngkaKredit.filter(periode__in=list(by_kode))}
    made = changed = same = pending = 0
    for row in rows:
        if row["jenjang"] not in KOEFISIEN:
            continue  # not a jabatan fungsional jenjang
        if not row["final"]:
            pending += 1
            continue
        covered = clip(by_kode[row["periode"]], row["periode_awal"], row["periode_akhir"])
        bulan = bulan_dihitung(covered.awal, covered.akhir, hitungan) if covered else 0
        line = existing.get(row["id"])
        if bulan == 0:  # the SKP held none of the window's months: no credit, no line
            if line is not None:  # counted under a rule the instansi has since changed
                await AngkaKredit.filter(id=line.id).delete()
                changed += 1
            continue
        predikat = PredikatPegawai(row["predikat"])
        values = {
            "pegawai_id": row["pegawai_id"],
            "periode": row["periode"],
            "jenjang": row["jenjang"],
            "predikat": predikat,
            "bulan": bulan,
            "persentase": PERSENTASE[predikat],
            "koefisien": KOEFISIEN[row["jenjang"]],
        }
        values["nilai"] = angka_kredit(predikat, row["jenjang"], values["bulan"])
        if line is None:
            await AngkaKredit.create(evaluasi_id=row["id"], **values)
            made += 1
        elif any(getattr(line, k) != v for k, v in values.items()):
            await AngkaKredit.filter(id=line.id).update(**values)
            changed += 1
        else:
            same += 1
    await audit.record(actor, "angka_kredit.hitung", "angka_kredit", None, tahun=tahun,
                       dibuat=made, diubah=changed)  # fmt: skip
    return Hasil(made, changed, same, pending)
