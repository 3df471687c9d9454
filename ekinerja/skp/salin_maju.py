"""Starting an SKP from what already exists: last year's SKP, or the jabatan's templates.

The copy is a new draft with fresh snapshots for its own period. Interventions are not copied
from last year (the superior's RHK of last year belong to last year); external intervention
text is.
"""

from __future__ import annotations

from ekinerja import audit
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.sql import in_force
from ekinerja.models.tenant import RhkTemplate, Skp
from ekinerja.skp.editing import save_rhk
from ekinerja.skp.errors import SkpError
from ekinerja.skp.lifecycle import Caller, NewSkp, create_skp
from ekinerja.skp.salin import copy_content
from ekinerja.skp.templat import as_rhk_input


async def copy_skp(source_id: int, tahun: int, caller: Caller) -> Skp:
    source = await Skp.get_or_none(id=source_id)
    if source is None or source.pegawai_id != caller.pegawai_id:
        raise SkpError("NOT_FOUND", f"you have no SKP with id {source_id}", "skpId")
    if tahun <= source.tahun:
        raise SkpError("INVALID_INPUT", "copy forward into a later year", "tahun")
    copy = await create_skp(caller, NewSkp(tahun, source.pendekatan, jenis_form=source.jenis_form))
    await copy_content(source.id, copy.id, same_period=False)
    await audit.record(caller.subject, "skp.copy_forward", "skp", copy.id, source=source.id)
    return await Skp.get(id=copy.id)


async def skp_from_templates(request: NewSkp, caller: Caller) -> Skp:
    """A new draft filled with the RHK templates of the jabatan the pegawai holds."""
    skp = await create_skp(caller, request)
    rows = await fetch(
        f"""SELECT p.jabatan_id FROM penugasan p
            WHERE p.pegawai_id = $2 AND p.jenis = 'DEFINITIF' AND {in_force("p")} LIMIT 1""",
        skp.periode_awal,
        caller.pegawai_id,
    )
    if rows:
        for template in await RhkTemplate.filter(jabatan_id=rows[0]["jabatan_id"]).order_by(
            "urutan"
        ):
            skp = await Skp.get(id=skp.id)
            await save_rhk(skp.id, skp.lock_version, caller, as_rhk_input(template))
    return await Skp.get(id=skp.id)
