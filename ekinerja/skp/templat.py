"""RHK templates per jabatan, kept by the admin instansi, and starting an SKP from them."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from ekinerja import audit
from ekinerja.models.tenant import Jabatan, RhkTemplate
from ekinerja.skp.editing import IndikatorInput, RhkInput
from ekinerja.skp.enums import AspekIki, JenisRhk
from ekinerja.skp.errors import SkpError, invalid


def _indikator_json(items: tuple[IndikatorInput, ...]) -> list[dict]:
    rows = []
    for number, item in enumerate(items, start=1):
        if not (item.teks or "").strip():
            raise invalid(f"indikator[{number}].teks", f"indikator {number} has no text")
        if item.target_min is not None and item.target_max is not None:
            if item.target_min > item.target_max:
                raise invalid(
                    f"indikator[{number}].targetMin",
                    f"indikator {number}: target minimum is above the maximum",
                )
        row = {k: v for k, v in asdict(item).items() if v is not None}
        for key in ("target_min", "target_max"):
            if key in row:
                row[key] = str(row[key])
        rows.append(row)
    return rows


async def save_template(
    jabatan_id: int,
    teks: str,
    jenis: JenisRhk,
    indikator: tuple[IndikatorInput, ...],
    actor: str,
    template_id: int | None = None,
) -> RhkTemplate:
    if not await Jabatan.filter(id=jabatan_id).exists():
        raise invalid("jabatanId", f"no jabatan with id {jabatan_id}")
    if not (teks or "").strip():
        raise invalid("teks", "a template needs the RHK text")
    values = {"teks": teks.strip(), "jenis": jenis, "indikator": _indikator_json(indikator)}
    if template_id is None:
        urutan = await RhkTemplate.filter(jabatan_id=jabatan_id).count() + 1
        template = await RhkTemplate.create(jabatan_id=jabatan_id, urutan=urutan, **values)
    else:
        template = await RhkTemplate.get_or_none(id=template_id, jabatan_id=jabatan_id)
        if template is None:
            raise SkpError("NOT_FOUND", f"no template {template_id} for this jabatan", "templatId")
        await template.update_from_dict(values).save()
    await audit.record(actor, "rhk_template.save", "jabatan", jabatan_id, template_id=template.id)
    return template


async def remove_template(template_id: int, actor: str) -> None:
    template = await RhkTemplate.get_or_none(id=template_id)
    if template is None:
        raise SkpError("NOT_FOUND", f"no template {template_id}", "templatId")
    await template.delete()
    await audit.record(
        actor, "rhk_template.remove", "jabatan", template.jabatan_id, template_id=template_id
    )


def as_rhk_input(template: RhkTemplate) -> RhkInput:
    def decimal(value: str | None) -> Decimal | None:
        return Decimal(value) if value is not None else None

    return RhkInput(
        teks=template.teks,
        jenis=template.jenis,
        indikator=tuple(
            IndikatorInput(
                teks=row["teks"],
                aspek=AspekIki(row["aspek"]) if row.get("aspek") else None,
                target_min=decimal(row.get("target_min")),
                target_max=decimal(row.get("target_max")),
                satuan=row.get("satuan"),
                target_kualitatif=row.get("target_kualitatif"),
            )
            for row in template.indikator
        ),
    )
