"""Copying an SKP's content into another SKP: for a revision (same period, links kept) and for
copy-forward (a later year, links to last year's superiors dropped)."""

from __future__ import annotations

from ekinerja.models.tenant import Indikator, RencanaAksi, Rhk, SkpLampiran, SkpPerilaku


async def copy_content(source_id: int, target_id: int, *, same_period: bool) -> None:
    """RHK with indikator and lampiran always; for the same period also the interventions,
    the direct-cascading parts, the leader's expectations and the rencana aksi of every window
    (they still hold: without them the revision in force has nothing for progres harian to be
    logged against until each remaining window is typed again)."""
    rhks = Rhk.filter(skp_id=source_id).prefetch_related("indikator", "rencana_aksi")
    for rhk in await rhks.order_by("urutan"):
        new_rhk = await Rhk.create(
            skp_id=target_id,
            urutan=rhk.urutan,
            teks=rhk.teks,
            jenis=rhk.jenis,
            klasifikasi=rhk.klasifikasi,
            intervensi_id=rhk.intervensi_id if same_period else None,
            intervensi_eksternal=rhk.intervensi_eksternal,
            penugasan_dari=rhk.penugasan_dari,
            asal_id=rhk.id if same_period else None,
        )
        await Indikator.bulk_create(
            [
                Indikator(
                    rhk_id=new_rhk.id,
                    urutan=i.urutan,
                    aspek=i.aspek,
                    teks=i.teks,
                    target_min=i.target_min,
                    target_max=i.target_max,
                    satuan=i.satuan,
                    target_kualitatif=i.target_kualitatif,
                    perspektif=i.perspektif,
                    bagian_dari_id=i.bagian_dari_id if same_period else None,
                    dasar_pembagian=i.dasar_pembagian if same_period else None,
                    wilayah=i.wilayah,
                    asal_id=i.id if same_period else None,
                )
                for i in rhk.indikator
            ]
        )
        if same_period:
            await RencanaAksi.bulk_create(
                [
                    RencanaAksi(rhk_id=new_rhk.id, periode=a.periode, teks=a.teks, target=a.target)
                    for a in sorted(rhk.rencana_aksi, key=lambda a: a.id)
                ]
            )
    if same_period:
        for perilaku in await SkpPerilaku.filter(skp_id=source_id):
            await SkpPerilaku.create(
                skp_id=target_id, nilai=perilaku.nilai, ekspektasi=perilaku.ekspektasi
            )
    for item in await SkpLampiran.filter(skp_id=source_id).order_by("urutan", "id"):
        await SkpLampiran.create(
            skp_id=target_id, jenis=item.jenis, urutan=item.urutan, teks=item.teks
        )
