"""Building the SKP document (the formatted view in document_model) from the database."""

from __future__ import annotations

from datetime import date

from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.models.tenant import Rhk, Skp, SkpLampiran, SkpPerilaku
from ekinerja.skp.berakhlak import NILAI
from ekinerja.skp.dokumen_model import (
    IndikatorRow,
    PerilakuRow,
    PersonBlock,
    RhkRow,
    SkpDocument,
)
from ekinerja.skp.dokumen_tempat import tempat, tempat_tanggal
from ekinerja.skp.enums import JenisLampiran, JenisRhk
from ekinerja.skp.formatting import format_target


def _person(snapshot: dict | None) -> PersonBlock | None:
    if not snapshot:
        return None
    golongan = snapshot.get("golongan")
    pangkat = snapshot.get("pangkat")
    rank = f"{pangkat} ({golongan})" if pangkat and golongan else (golongan or pangkat)
    return PersonBlock(
        nama=snapshot.get("nama") or "-",
        nip=snapshot.get("nip"),
        pangkat_golongan=rank,
        jabatan=snapshot.get("jabatan"),
        unit_kerja=snapshot.get("unit"),
    )


async def build_document(skp: Skp, instansi_nama: str) -> SkpDocument:
    rhks = await Rhk.filter(skp_id=skp.id).prefetch_related("indikator").order_by("urutan", "id")
    intervened_ids = [r.intervensi_id for r in rhks if r.intervensi_id]
    intervened = {r.id: r.teks for r in await Rhk.filter(id__in=intervened_ids)}
    rows: dict[JenisRhk, list[RhkRow]] = {JenisRhk.UTAMA: [], JenisRhk.TAMBAHAN: []}
    for rhk in rhks:
        group = rows[rhk.jenis]
        group.append(
            RhkRow(
                nomor=str(len(group) + 1),
                teks=rhk.teks,
                jenis=rhk.jenis.value,
                intervensi=intervened.get(rhk.intervensi_id) or rhk.intervensi_eksternal,
                klasifikasi=rhk.klasifikasi.value if rhk.klasifikasi else None,
                penugasan_dari=rhk.penugasan_dari,
                indikator=tuple(
                    IndikatorRow(
                        aspek=i.aspek.value if i.aspek else None,
                        teks=i.teks,
                        target=format_target(i) or "-",
                        perspektif=i.perspektif.value if i.perspektif else None,
                    )
                    for i in sorted(rhk.indikator, key=lambda i: (i.urutan, i.id))
                ),
            )
        )
    expectations = {p.nilai: p.ekspektasi for p in await SkpPerilaku.filter(skp_id=skp.id)}
    lampiran: dict[JenisLampiran, list[str]] = {j: [] for j in JenisLampiran}
    for item in await SkpLampiran.filter(skp_id=skp.id).order_by("urutan", "id"):
        lampiran[item.jenis].append(item.teks)
    return SkpDocument(
        instansi=instansi_nama,
        tahun=skp.tahun,
        periode_awal=skp.periode_awal,
        periode_akhir=skp.periode_akhir,
        pendekatan=skp.pendekatan.value,
        jenis_form=skp.jenis_form.value,
        status=skp.status.value,
        versi=skp.versi,
        pegawai=_person(skp.snapshot_pegawai),
        pejabat_penilai=_person(skp.snapshot_penilai),
        atasan_pejabat_penilai=_person(skp.snapshot_atasan_penilai),
        rhk_utama=tuple(rows[JenisRhk.UTAMA]),
        rhk_tambahan=tuple(rows[JenisRhk.TAMBAHAN]),
        perilaku=tuple(
            PerilakuRow(nilai=n.nama, panduan=n.panduan, ekspektasi=expectations.get(n.kode))
            for n in NILAI
        ),
        lampiran_dukungan_sumber_daya=tuple(lampiran[JenisLampiran.DUKUNGAN_SUMBER_DAYA]),
        lampiran_skema_pertanggungjawaban=tuple(lampiran[JenisLampiran.SKEMA_PERTANGGUNGJAWABAN]),
        lampiran_konsekuensi=tuple(lampiran[JenisLampiran.KONSEKUENSI]),
        tempat_tanggal=tempat_tanggal(await tempat(instansi_nama), await _signed_on(skp)),
    )


async def _signed_on(skp: Skp) -> date:
    """The approval date as the agency lived it (in the instansi's zone), not the UTC date it
    is stored in; a draft (not approved yet) is dated the day it is printed, there too."""
    return await hari_ini(skp.disetujui_pada)
