"""The instansi's settings: the rules DOMAIN.md marks unverified ([L]), which each agency's
admin sets for itself. One registry names every key, says what it means, gives its default and
checks a new value, so a bad value is refused when written (with the path of what was wrong)
instead of being silently ignored when read. The domain modules read their keys themselves;
this module only lists and writes them. The cadence of a year has its own mutation
(`setKadensi`), because changing it is refused once a year is planned.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ekinerja import audit
from ekinerja.db.locks import serialize
from ekinerja.kepegawaian.calendar import DEFAULT_ZONE, ZONE_SETTING, check_zone
from ekinerja.models.tenant import TenantSetting
from ekinerja.pelaksanaan.capaian import (
    ADDITIVE_SETTING,
    DEFAULT_ADDITIVE,
    DEFAULT_SMALLER_IS_BETTER,
    SMALLER_IS_BETTER_SETTING,
)
from ekinerja.penilaian.angka_kredit import (
    HITUNGAN_BULAN_SETTING,
    MAYORITAS_HARI,
    check_hitungan_bulan,
)
from ekinerja.penilaian.batas_keberatan import DAYS_SETTING, DEFAULT_DAYS
from ekinerja.penilaian.kurva import (
    Pembulatan,
    policy_from_setting,
    policy_in_force,
    rules_from_setting,
    rules_in_force,
)
from ekinerja.penilaian.penetapan import POLICY_SETTING, RULES_SETTING
from ekinerja.penilaian.periode import ANNUAL_POLICY_SETTING, LAST_PERIOD, SEPARATE_ANNUAL
from ekinerja.refusals import Refusal
from ekinerja.siasn.kode import KODE_SETTING, kode_from_setting
from ekinerja.skp.document_tempat import DEFAULT_TEMPAT, TEMPAT_SETTING, check_tempat
from ekinerja.skp.enums import AspekIki
from ekinerja.skp.lifecycle import REQUIRE_INTERVENTION_SETTING, TAMBAHAN_INTERVENTION_SETTING


@dataclass(frozen=True)
class Setting:
    kunci: str
    keterangan: str
    bawaan: Any  # the value in force while the instansi has set none (JSON)
    check: Callable[[Any], None]  # raises ValueError saying what is wrong
    # The value in force from the stored one (None: unset), where the two differ: a partial
    # value (the curve's) is laid over the defaults, and the admin reads the whole result.
    in_force: Callable[[Any], Any] | None = None

    def berlaku(self, nilai: Any) -> Any:
        if self.in_force is not None:
            return self.in_force(nilai)
        return self.bawaan if nilai is None else nilai


def _boolean(value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")


def _days(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
        raise ValueError("expected a whole number of days from 1 to 365")


def _aspects(value: Any) -> None:
    allowed = [a.value for a in AspekIki]
    if not isinstance(value, list):
        raise ValueError(f"expected a list of aspects ({', '.join(allowed)})")
    for index, item in enumerate(value):
        if item not in allowed:
            raise ValueError(f"[{index}]: {item!r} is not one of {', '.join(allowed)}")


def _annual_policy(value: Any) -> None:
    choices = (LAST_PERIOD, SEPARATE_ANNUAL)
    if not isinstance(value, dict) or set(value) != {"kebijakan"}:
        raise ValueError('expected {"kebijakan": "LAST_PERIOD" | "SEPARATE_ANNUAL"}')
    if value["kebijakan"] not in choices:
        raise ValueError(f"kebijakan: {value['kebijakan']!r} is not one of {', '.join(choices)}")


SETTINGS: dict[str, Setting] = {
    s.kunci: s
    for s in (
        Setting(
            REQUIRE_INTERVENTION_SETTING,
            "Whether every RHK of a JA/JF SKP must cascade from a superior's RHK on submit.",
            True,
            _boolean,
        ),
        Setting(
            TAMBAHAN_INTERVENTION_SETTING,
            "Whether that applies to the RHK tambahan too (the regulation names no exception); "
            "false: only the RHK utama must cascade.",
            True,
            _boolean,
        ),
        Setting(
            ADDITIVE_SETTING,
            "Indicator aspects whose realisation adds up across windows (others: latest value).",
            sorted(DEFAULT_ADDITIVE),
            _aspects,
        ),
        Setting(
            SMALLER_IS_BETTER_SETTING,
            "Indicator aspects where a smaller realisation is better (capaian = target / real).",
            sorted(DEFAULT_SMALLER_IS_BETTER),
            _aspects,
        ),
        Setting(
            ANNUAL_POLICY_SETTING,
            "How the annual predikat is made: copied from the year's last window (LAST_PERIOD) "
            "or by a separate annual evaluation (SEPARATE_ANNUAL).",
            {"kebijakan": LAST_PERIOD},
            _annual_policy,
        ),
        Setting(
            HITUNGAN_BULAN_SETTING,
            "How a month an SKP covers only in part counts for angka kredit (unverified): "
            "MAYORITAS_HARI (more than half its days, or half ending on its last), BULAN_PENUH "
            "(whole months only) or BULAN_BERJALAN (any day). See docs/decisions/0011.",
            {"hitungan": MAYORITAS_HARI},
            check_hitungan_bulan,
        ),
        Setting(
            RULES_SETTING,
            "Distribution-curve rules per predikat organisasi; a level listed replaces its "
            "defaults, [] switches its check off (see docs/decisions/0011).",
            rules_in_force(None),
            rules_from_setting,
            rules_in_force,
        ),
        Setting(
            POLICY_SETTING,
            f"Curve rounding (pembulatanMin/Max: {', '.join(Pembulatan)}) and what a failed "
            "check does before penetapan (bilaGagal: WARNING or BLOCK).",
            policy_in_force(None),
            policy_from_setting,
            policy_in_force,
        ),
        Setting(
            DAYS_SETTING,
            "Calendar days after penetapan within which a pegawai may file a keberatan.",
            DEFAULT_DAYS,
            _days,
        ),
        Setting(
            ZONE_SETTING,
            'The instansi\'s time zone: its dates ("today") and keberatan days are counted '
            "there. Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).",
            DEFAULT_ZONE,
            check_zone,
        ),
        Setting(
            TEMPAT_SETTING,
            "The place printed before the date over the signatures of the SKP document (e.g. "
            '"Bandung"); empty: the instansi\'s name.',
            DEFAULT_TEMPAT,
            check_tempat,
        ),
        Setting(
            KODE_SETTING,
            "SIASN reference codes (unverified, so each instansi sets those it confirmed) per "
            "rating level (rating: {DI_ATAS_EKSPEKTASI: code, ...}) and per predikat (predikat: "
            "{SANGAT_BAIK: code, ...}), exported as the ...Nilai columns; unmapped: null.",
            {},
            kode_from_setting,
        ),
    )
}


@dataclass(frozen=True)
class Nilai:
    setting: Setting
    nilai: Any  # None while the default is in force
    row: TenantSetting | None


def _known(kunci: str) -> Setting:
    setting = SETTINGS.get(kunci)
    if setting is None:
        raise Refusal(
            "UNKNOWN_SETTING",
            f"{kunci!r} is not a setting (known: {', '.join(sorted(SETTINGS))})",
            "kunci",
        )
    return setting


async def daftar() -> list[Nilai]:
    """Every setting with the instansi's value, in key order: one query."""
    rows = {row.key: row for row in await TenantSetting.filter(key__in=list(SETTINGS))}
    return [
        Nilai(s, rows[k].value if k in rows else None, rows.get(k))
        for k, s in sorted(SETTINGS.items())
    ]


async def _locked(kunci: str) -> TenantSetting | None:
    """The key's row, if set, with the key held until the transaction ends: a row lock alone
    cannot hold a key that has no row yet, and two first writes would both insert (the second
    failing on the unique key); with the key held the second waits and updates instead."""
    await serialize("pengaturan", kunci)
    return await TenantSetting.select_for_update().get_or_none(key=kunci)


async def tetapkan(kunci: str, nilai: Any, actor: str) -> Nilai:
    """Set one key after checking the value; audited with the value before and after."""
    setting = _known(kunci)
    try:
        setting.check(nilai)
    except ValueError as exc:
        raise Refusal("INVALID_INPUT", f"{kunci}: {exc}", "nilai") from None
    row = await _locked(kunci)
    before = row.value if row else None
    # Tortoise takes a Python str for a JSON field as JSON text already: a string value (the
    # time zone) is encoded here, and assigned rather than passed to the constructor, which
    # would decode it again.
    stored = json.dumps(nilai) if isinstance(nilai, str) else nilai
    if row is None:
        row = TenantSetting(key=kunci)
        row.value = stored
        await row.save()
    else:
        row.value = stored
        await row.save(update_fields=["value", "updated_at"])
    await audit.record(actor, "pengaturan.tetapkan", "tenant_setting", kunci,
                       sebelum=before, sesudah=nilai)  # fmt: skip
    return Nilai(setting, nilai, row)


async def kembalikan(kunci: str, actor: str) -> Nilai:
    """Back to the default: the key's row is removed; audited."""
    setting = _known(kunci)
    row = await _locked(kunci)
    if row is not None:
        await audit.record(actor, "pengaturan.kembalikan", "tenant_setting", kunci,
                           sebelum=row.value)  # fmt: skip
        await row.delete()
    return Nilai(setting, None, None)
