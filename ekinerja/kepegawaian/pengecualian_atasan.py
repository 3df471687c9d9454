"""Admin corrections of who appraises a pegawai: validated, effective-dated, audited.

An override (``atasan_override``) decides one role of a pegawai's chain from ``berlaku_mulai``
up to ``berlaku_sampai`` (exclusive; null: open-ended). Who appraises is read live from it
(atasan.py, penilai_sql.py): recording, ending or removing one changes every later read of the
chain for the days it covers, and nothing else. SKPs keep the appraisers snapshotted when they
were created (``segarkanSnapshotSkp`` re-reads a draft's) and no event is written, for all three.

Ending one early (``end_atasan_override``) gives its new last day: from the next day the chain
falls back to the unit tree (or to another override starting later). Its last day may be the
day before it starts: then it never applies to any day, and it is removed (the row deleted;
the audit log keeps what it said, who removed it and why). Ending only shortens: a last day
after its current end is refused, so a repeated or crossed call cannot lengthen it, and an
earlier override that this one closed when it was recorded stays closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from ekinerja import audit
from ekinerja.error_codes import ErrorCode
from ekinerja.kepegawaian.enums import PeranAtasan
from ekinerja.models.tenant import AtasanOverride, Pegawai
from ekinerja.refusals import Refusal, invalid, required_text

ALASAN_LONGEST = 2000  # characters of the reason for ending one


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


@dataclass(frozen=True)
class OverrideFilter:
    """Criteria of the list of overrides; each given one must match."""

    pegawai_nip: str | None = None
    berlaku_pada: date | None = None  # in force on this day
    peran: PeranAtasan | None = None


def overrides(criteria: OverrideFilter) -> QuerySet[AtasanOverride]:
    """The overrides on record matching ``criteria`` (current, past and future), unordered."""
    query = AtasanOverride.all()
    if criteria.pegawai_nip is not None:
        query = query.filter(pegawai__nip=criteria.pegawai_nip.strip())
    if criteria.peran is not None:
        query = query.filter(peran=criteria.peran)
    if criteria.berlaku_pada is not None:
        on = criteria.berlaku_pada
        query = query.filter(
            Q(berlaku_mulai__lte=on),
            Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gt=on),
        )
    return query


@dataclass(frozen=True)
class Ended:
    """The override as it is after ending it (``removed``: as it was before it was deleted)."""

    override: AtasanOverride
    removed: bool


async def end_atasan_override(
    override_id: int, tanggal_akhir: date, alasan: str, actor: str
) -> Ended:
    """End override ``override_id`` after ``tanggal_akhir``, its new last day (see the module's
    docstring: the day before its start removes it). Refusals name the argument at fault:
    ``pengecualianId`` (NOT_FOUND), ``tanggalAkhir`` or ``alasan`` (INVALID_INPUT)."""
    override = await AtasanOverride.select_for_update().get_or_none(id=override_id)
    if override is None:
        raise Refusal(ErrorCode.NOT_FOUND, "no pengecualian atasan with this id", "pengecualianId")
    reason = required_text(alasan, "alasan", "the reason", ALASAN_LONGEST)
    start, end = override.berlaku_mulai, override.berlaku_sampai
    day_before = start - timedelta(days=1)
    if tanggal_akhir < day_before:
        raise invalid(
            "tanggalAkhir",
            f"{tanggal_akhir.isoformat()} is before the override starts "
            f"({start.isoformat()}): the earliest last day is {day_before.isoformat()}, the day "
            "before it starts, which removes it",
        )
    if end is not None and tanggal_akhir >= end - timedelta(days=1):
        raise invalid(
            "tanggalAkhir",
            f"the override already ends with {(end - timedelta(days=1)).isoformat()}: give an "
            "earlier last day (ending only shortens an override)",
        )
    if tanggal_akhir >= date.max:
        raise invalid("tanggalAkhir", f"{date.max.isoformat()} cannot be a last day")
    detail = {
        "override_id": override.id,
        "peran": override.peran.value,
        "atasan_id": override.atasan_id,
        "eksternal_nama": override.eksternal_nama,
        "eksternal_jabatan": override.eksternal_jabatan,
        "berlaku_mulai": start.isoformat(),
        "berlaku_sampai_sebelumnya": end.isoformat() if end else None,
        "tanggal_akhir": tanggal_akhir.isoformat(),
        "alasan": reason,
    }
    if tanggal_akhir == day_before:
        await override.delete()
        await audit.record(
            actor,
            "atasan_override.remove",
            "pegawai",
            override.pegawai_id,
            **detail,
            alasan_pengecualian=override.alasan,
            dibuat_oleh=override.dibuat_oleh,
        )
        return Ended(override, removed=True)
    override.berlaku_sampai = tanggal_akhir + timedelta(days=1)
    await override.save(update_fields=["berlaku_sampai"])
    await audit.record(
        actor,
        "atasan_override.end",
        "pegawai",
        override.pegawai_id,
        **detail,
        berlaku_sampai=override.berlaku_sampai.isoformat(),
    )
    return Ended(override, removed=False)
