"""Admin corrections of who appraises a pegawai: validated, effective-dated, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekinerja import audit
from ekinerja.kepegawaian.enums import PeranAtasan
from ekinerja.models.tenant import AtasanOverride, Pegawai


class OverrideError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class OverrideRequest:
    pegawai_nip: str
    peran: PeranAtasan
    berlaku_mulai: date
    alasan: str
    atasan_nip: str | None = None
    eksternal_nama: str | None = None
    eksternal_jabatan: str | None = None
    berlaku_sampai: date | None = None


async def set_atasan_override(request: OverrideRequest, actor: str) -> AtasanOverride:
    """Record who appraises (or is above the appraiser of) a pegawai from a date. An override
    of the same role still open then is closed where the new one starts."""
    pegawai = await Pegawai.get_or_none(nip=request.pegawai_nip)
    if pegawai is None:
        raise OverrideError("pegawaiNip", f"no pegawai with NIP {request.pegawai_nip}")
    if not (request.alasan or "").strip():
        raise OverrideError("alasan", "a reason is required for every override")
    if request.berlaku_sampai and request.berlaku_sampai <= request.berlaku_mulai:
        raise OverrideError("berlakuSampai", "must be after berlakuMulai")
    if bool(request.atasan_nip) == bool(request.eksternal_nama):
        raise OverrideError(
            "atasanNip", "give either atasanNip (a pegawai) or eksternalNama (outside the system)"
        )
    atasan = None
    if request.atasan_nip:
        atasan = await Pegawai.get_or_none(nip=request.atasan_nip)
        if atasan is None:
            raise OverrideError("atasanNip", f"no pegawai with NIP {request.atasan_nip}")
        if atasan.id == pegawai.id:
            raise OverrideError("atasanNip", "a pegawai cannot appraise themself")

    closed = await AtasanOverride.filter(
        pegawai_id=pegawai.id,
        peran=request.peran,
        berlaku_mulai__lt=request.berlaku_mulai,
        berlaku_sampai__isnull=True,
    ).update(berlaku_sampai=request.berlaku_mulai)
    override = await AtasanOverride.create(
        pegawai_id=pegawai.id,
        peran=request.peran,
        atasan_id=atasan.id if atasan else None,
        eksternal_nama=request.eksternal_nama,
        eksternal_jabatan=request.eksternal_jabatan,
        berlaku_mulai=request.berlaku_mulai,
        berlaku_sampai=request.berlaku_sampai,
        alasan=request.alasan.strip(),
        dibuat_oleh=actor,
    )
    await audit.record(
        actor,
        "atasan_override.set",
        "pegawai",
        pegawai.id,
        override_id=override.id,
        peran=request.peran.value,
        atasan_nip=request.atasan_nip,
        eksternal_nama=request.eksternal_nama,
        berlaku_mulai=request.berlaku_mulai.isoformat(),
        berlaku_sampai=request.berlaku_sampai.isoformat() if request.berlaku_sampai else None,
        alasan=override.alasan,
        closed_previous=closed,
    )
    return override
