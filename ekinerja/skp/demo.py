"""Demo SKPs for the demo agency: every pegawai without an SKP for the year gets an approved
one whose RHK intervene their penilai's, so cascades, coverage and the matriks peran hasil
have something to show. Set-based: a fixed number of statements whatever the agency's size."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ekinerja.db.sql import fetch
from ekinerja.models.tenant import Indikator, Rhk, Skp
from ekinerja.skp.enums import AspekIki, JenisFormSkp, PendekatanSkp, StatusSkp
from ekinerja.skp.periode import kadensi_of, windows
from ekinerja.skp.snapshots import chain_snapshots

RHK_PER_SKP = 2


def _rhk_texts(jabatan: str | None) -> tuple[str, str]:
    name = jabatan or "tugas jabatan"
    return (
        f"Terlaksananya {name.lower()} sesuai rencana kerja",
        f"Tersusunnya laporan kinerja {name.lower()}",
    )


def _approved_skp(
    pegawai_id: int, tahun: int, pegawai: dict, penilai: dict | None, atasan: dict | None
) -> Skp:
    return Skp(
        pegawai_id=pegawai_id,
        tahun=tahun,
        periode_awal=date(tahun, 1, 1),
        periode_akhir=date(tahun, 12, 31),
        pendekatan=PendekatanSkp.KUANTITATIF,
        jenis_form=JenisFormSkp.JPT
        if (pegawai.get("jenisJabatan") or "").startswith("JPT")
        else JenisFormSkp.JA_JF,
        status=StatusSkp.DISETUJUI,
        snapshot_pegawai=pegawai,
        snapshot_penilai=penilai,
        snapshot_atasan_penilai=atasan,
        penilai_pegawai_id=(penilai or {}).get("pegawaiId"),
        atasan_penilai_pegawai_id=(atasan or {}).get("pegawaiId"),
    )


async def seed_demo_skp(tahun: int, on: date | None = None) -> int:
    on = on or date(tahun, 1, 2)
    ids = [
        row["id"]
        for row in await fetch(
            "SELECT g.id FROM pegawai g WHERE NOT EXISTS "
            "(SELECT 1 FROM skp s WHERE s.pegawai_id = g.id AND s.tahun = $1) ORDER BY g.id",
            tahun,
        )
    ]
    if not ids:
        return 0
    # Taken as `create_skp` takes them (penilai and atasan pejabat penilai, external ones
    # included), so keberatan and finality behave on demo data as on real data.
    snapshots = await chain_snapshots(ids, on)
    await Skp.bulk_create(
        [_approved_skp(pid, tahun, *snapshots[pid]) for pid in ids], batch_size=2000
    )
    skps = await Skp.filter(pegawai_id__in=ids, tahun=tahun).values_list("id", "pegawai_id")
    await fetch("UPDATE skp SET asal_id = id WHERE asal_id IS NULL AND tahun = $1", tahun)
    await Rhk.bulk_create(
        [
            Rhk(skp_id=skp_id, urutan=n, teks=text)
            for skp_id, pid in skps
            for n, text in enumerate(_rhk_texts(snapshots[pid][0].get("jabatan")), start=1)
        ],
        batch_size=2000,
    )
    rhk_ids = await Rhk.filter(skp_id__in=[s for s, _ in skps]).values_list("id", flat=True)
    await Indikator.bulk_create(
        [
            item
            for rhk_id in rhk_ids
            for item in (
                Indikator(
                    rhk_id=rhk_id,
                    urutan=1,
                    aspek=AspekIki.KUANTITAS,
                    teks="Jumlah dokumen",
                    target_min=Decimal(4),
                    satuan="Dokumen",
                ),
                Indikator(
                    rhk_id=rhk_id,
                    urutan=2,
                    aspek=AspekIki.KUALITAS,
                    teks="Persentase dokumen yang diterima tanpa revisi",
                    target_min=Decimal(90),
                    target_max=Decimal(100),
                    satuan="%",
                ),
                Indikator(
                    rhk_id=rhk_id,
                    urutan=3,
                    aspek=AspekIki.WAKTU,
                    teks="Ketepatan waktu penyelesaian",
                    target_min=Decimal(12),
                    satuan="Bulan",
                ),
            )
        ],
        batch_size=5000,
    )
    # One rencana aksi per RHK per evaluation window, so progres can be logged at once.
    kodes = [w.kode for w in windows(tahun, await kadensi_of(tahun))]
    await fetch(
        """INSERT INTO rencana_aksi (rhk_id, periode, teks, target)
           SELECT r.id, k.kode, 'Menyusun dokumen ' || lower(r.teks), '1 Dokumen'
           FROM rhk r JOIN skp s ON s.id = r.skp_id, unnest($2::text[]) AS k(kode)
           WHERE s.tahun = $1 AND s.pegawai_id = ANY($3::int[])""",
        tahun,
        kodes,
        ids,
    )
    # Each new RHK intervenes the penilai's current RHK of the same number in the same year
    # (only the SKPs made here: a tenant's own plans are left as they are). The tables were
    # empty when last analysed: planned on those statistics, the join below nested loops of
    # sequential scans and took minutes at 10,000 pegawai.
    await fetch("ANALYZE skp, rhk")
    await fetch(
        """UPDATE rhk child SET intervensi_id = parent.id
           FROM skp cs, skp ps, rhk parent
           WHERE child.skp_id = cs.id AND cs.tahun = $1 AND child.intervensi_id IS NULL
             AND cs.pegawai_id = ANY($2::int[])
             AND ps.pegawai_id = cs.penilai_pegawai_id AND ps.tahun = $1
             AND ps.digantikan_pada IS NULL
             AND parent.skp_id = ps.id AND parent.urutan = child.urutan""",
        tahun,
        ids,
    )
    return len(ids)
