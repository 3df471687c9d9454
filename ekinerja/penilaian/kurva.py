"""The distribution curve (kurva distribusi) of employee predikat per organisation predikat
(docs/domain.md 5.3, invariant 11.3.4).

The thresholds come from one secondary source and their rounding and enforcement are not in
any text we have, so everything here is data a tenant can override (docs/domain.md 11.4, 13.1):
the rules per organisation predikat (`rules_from_setting`), how a percentage becomes a head
count and whether a failure warns or blocks penetapan (`policy_from_setting`).

Each rule (`AturanKurva`) carries exactly one constraint, so a violation has one bound to
report and a stable `kode` to refer to:

- `min_persen` / `max_persen`: a share of the unit. p % of n people is turned into a head count
  with the policy's rounding (CEIL for minimums and FLOOR for maximums by default, i.e. the
  strict reading in both directions); the count must be at least / at most that.
- `minimal_ada`: at least N people, whatever the unit's size.
- `terbanyak`: the set has *strictly* more people than any other single predikat. A tie fails:
  "majority Sangat Baik" is not met when as many people are Baik.

A rule counts the people holding any predikat of its set together ("Kurang and/or Butuh
Perbaikan"). Small units can make the default curve unsatisfiable (a Baik unit of two people
cannot both have Baik as the strict plurality and include a Butuh Perbaikan/Kurang); that is
why the default policy only warns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from ekinerja.penilaian.enums import HasilKurva, PredikatOrganisasi, PredikatPegawai

_HUNDRED = Decimal(100)
_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True, kw_only=True)
class AturanKurva:
    """One constraint of a curve; exactly one of min_persen, max_persen, minimal_ada and
    terbanyak is set. Invalid rules raise ValueError when built, not when checked."""

    kode: str
    predikat: tuple[PredikatPegawai, ...]
    keterangan: str
    min_persen: Decimal | None = None
    max_persen: Decimal | None = None
    minimal_ada: int | None = None
    terbanyak: bool = False

    def __post_init__(self) -> None:
        if not self.kode.strip():
            raise ValueError("kode must not be empty")
        if not self.predikat:
            raise ValueError(f"{self.kode}: predikat must name at least one predikat")
        if len(set(self.predikat)) != len(self.predikat):
            raise ValueError(f"{self.kode}: predikat lists a predikat twice")
        kinds = [
            self.min_persen is not None,
            self.max_persen is not None,
            self.minimal_ada is not None,
            self.terbanyak,
        ]
        if sum(kinds) != 1:
            raise ValueError(
                f"{self.kode}: set exactly one of min_persen, max_persen, minimal_ada, terbanyak"
            )
        for name in ("min_persen", "max_persen"):
            value = getattr(self, name)
            if value is not None and not (
                isinstance(value, Decimal) and value.is_finite() and 0 <= value <= _HUNDRED
            ):
                raise ValueError(f"{self.kode}: {name} must be a Decimal from 0 to 100")
        if self.minimal_ada is not None and (
            isinstance(self.minimal_ada, bool)
            or not isinstance(self.minimal_ada, int)
            or self.minimal_ada < 1
        ):
            raise ValueError(f"{self.kode}: minimal_ada must be a whole number of at least 1")
        if self.terbanyak and len(self.predikat) == len(PredikatPegawai):
            raise ValueError(f"{self.kode}: terbanyak needs some predikat left out to compare with")


class Pembulatan(StrEnum):
    """How p % of n people becomes a whole head count."""

    CEIL = "CEIL"
    FLOOR = "FLOOR"
    ROUND_HALF_UP = "ROUND_HALF_UP"

    def terapkan(self, value: Decimal) -> int:
        return int(value.to_integral_value(rounding=_DECIMAL_ROUNDING[self]))

    @property
    def uraian(self) -> str:
        return _URAIAN[self]


_DECIMAL_ROUNDING = {
    Pembulatan.CEIL: ROUND_CEILING,
    Pembulatan.FLOOR: ROUND_FLOOR,
    Pembulatan.ROUND_HALF_UP: ROUND_HALF_UP,
}
_URAIAN = {
    Pembulatan.CEIL: "rounded up",
    Pembulatan.FLOOR: "rounded down",
    Pembulatan.ROUND_HALF_UP: "rounded half up",
}


@dataclass(frozen=True)
class KebijakanKurva:
    """Tenant policy: rounding for minimum and maximum bounds, and the outcome of a failure."""

    pembulatan_min: Pembulatan = Pembulatan.CEIL
    pembulatan_max: Pembulatan = Pembulatan.FLOOR
    bila_gagal: HasilKurva = HasilKurva.WARNING

    def __post_init__(self) -> None:
        if self.bila_gagal is HasilKurva.OK:
            raise ValueError("bila_gagal must be WARNING or BLOCK")


@dataclass(frozen=True)
class Pelanggaran:
    """A failed rule: `jumlah` people of `total` hold the rule's predikat; `batas` is the
    head count the rule required (minimum, minimal_ada, terbanyak) or allowed (maximum)."""

    aturan: AturanKurva
    jumlah: int
    batas: int
    total: int
    pesan: str


@dataclass(frozen=True)
class HasilPemeriksaan:
    """The check of one unit's distribution; `distribusi` lists every predikat, zeros
    included."""

    hasil: HasilKurva
    distribusi: dict[PredikatPegawai, int]
    total: int
    pelanggaran: tuple[Pelanggaran, ...] = field(default=())


def _rule(kode: str, predikat: tuple[PredikatPegawai, ...], keterangan: str, **kw) -> AturanKurva:
    return AturanKurva(kode=kode, predikat=predikat, keterangan=keterangan, **kw)


_SB, _B = (PredikatPegawai.SANGAT_BAIK,), (PredikatPegawai.BAIK,)
_BP, _K = (PredikatPegawai.BUTUH_PERBAIKAN,), (PredikatPegawai.KURANG,)
_SK = (PredikatPegawai.SANGAT_KURANG,)

DEFAULT_RULES: Mapping[PredikatOrganisasi, tuple[AturanKurva, ...]] = MappingProxyType(
    {
        PredikatOrganisasi.ISTIMEWA: (
            _rule("ISTIMEWA.terbanyak_sangat_baik", _SB, "Sangat Baik terbanyak", terbanyak=True),
            _rule(
                "ISTIMEWA.max_sangat_baik", _SB, "Paling banyak 70 % Sangat Baik",
                max_persen=Decimal(70),
            ),
        ),
        PredikatOrganisasi.BAIK: (
            _rule("BAIK.terbanyak_baik", _B, "Baik terbanyak", terbanyak=True),
            _rule("BAIK.max_baik", _B, "Paling banyak 70 % Baik", max_persen=Decimal(70)),
            _rule(
                "BAIK.ada_butuh_perbaikan_atau_kurang", _BP + _K,
                "Paling sedikit 1 orang Butuh Perbaikan dan/atau Kurang/Misconduct",
                minimal_ada=1,
            ),
        ),
        PredikatOrganisasi.BUTUH_PERBAIKAN: (
            _rule(
                "BUTUH_PERBAIKAN.min_butuh_perbaikan", _BP, "Paling sedikit 60 % Butuh Perbaikan",
                min_persen=Decimal(60),
            ),
            _rule(
                "BUTUH_PERBAIKAN.max_sangat_baik", _SB, "Paling banyak 10 % Sangat Baik",
                max_persen=Decimal(10),
            ),
        ),
        PredikatOrganisasi.KURANG: (
            _rule(
                "KURANG.min_kurang", _K, "Paling sedikit 60 % Kurang/Misconduct",
                min_persen=Decimal(60),
            ),
            _rule(
                "KURANG.min_butuh_perbaikan", _BP, "Paling sedikit 10 % Butuh Perbaikan",
                min_persen=Decimal(10),
            ),
            _rule(
                "KURANG.max_sangat_baik", _SB, "Paling banyak 10 % Sangat Baik",
                max_persen=Decimal(10),
            ),
        ),
        PredikatOrganisasi.SANGAT_KURANG: (
            _rule(
                "SANGAT_KURANG.min_sangat_kurang", _SK, "Paling sedikit 60 % Sangat Kurang",
                min_persen=Decimal(60),
            ),
            _rule(
                "SANGAT_KURANG.min_kurang_atau_butuh_perbaikan", _K + _BP,
                "Paling sedikit 10 % Kurang/Misconduct dan/atau Butuh Perbaikan",
                min_persen=Decimal(10),
            ),
            _rule(
                "SANGAT_KURANG.tanpa_sangat_baik", _SB, "Tidak ada Sangat Baik",
                max_persen=Decimal(0),
            ),
        ),
    }
)  # fmt: skip


# --- checking -------------------------------------------------------------------------------


def _persen(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _pegawai(n: int) -> str:
    return f"{n} pegawai"


def _is_are(n: int) -> str:
    return "is" if n == 1 else "are"


def _names(predikat: tuple[PredikatPegawai, ...]) -> str:
    return " or ".join(p.label for p in predikat)


def _langgar(
    aturan: AturanKurva, distribusi: dict[PredikatPegawai, int], total: int, policy: KebijakanKurva
) -> Pelanggaran | None:
    jumlah = sum(distribusi[p] for p in aturan.predikat)
    have = (
        f"{aturan.kode}: {jumlah} of {_pegawai(total)} {_is_are(jumlah)} {_names(aturan.predikat)}"
    )
    if aturan.max_persen is not None:
        rule = policy.pembulatan_max
        batas = rule.terapkan(aturan.max_persen * total / _HUNDRED)
        if jumlah <= batas:
            return None
        why = f"({_persen(aturan.max_persen)} %, {rule.uraian})"
        pesan = f"{have}; at most {batas} {why} {_is_are(batas)} allowed"
    elif aturan.min_persen is not None:
        rule = policy.pembulatan_min
        batas = rule.terapkan(aturan.min_persen * total / _HUNDRED)
        if jumlah >= batas:
            return None
        why = f"({_persen(aturan.min_persen)} %, {rule.uraian})"
        pesan = f"{have}; at least {batas} {why} {_is_are(batas)} required"
    elif aturan.minimal_ada is not None:
        batas = aturan.minimal_ada
        if jumlah >= batas:
            return None
        pesan = f"{have}; at least {batas} {_is_are(batas)} required"
    else:  # terbanyak
        others = [p for p in PredikatPegawai if p not in aturan.predikat]
        rival = max(others, key=lambda p: distribusi[p])
        batas = distribusi[rival] + 1
        if jumlah >= batas:
            return None
        pesan = (
            f"{have}; {distribusi[rival]} {_is_are(distribusi[rival])} {rival.label}, so at "
            f"least {batas} {_is_are(batas)} required ({_names(aturan.predikat)} must outnumber "
            "every other predikat; a tie fails)"
        )
    return Pelanggaran(aturan=aturan, jumlah=jumlah, batas=batas, total=total, pesan=pesan)


def periksa(
    organisasi: PredikatOrganisasi,
    distribusi: Mapping[PredikatPegawai, int],
    rules: Mapping[PredikatOrganisasi, tuple[AturanKurva, ...]] = DEFAULT_RULES,
    policy: KebijakanKurva = KebijakanKurva(),  # frozen, so sharing it is safe
) -> HasilPemeriksaan:
    """Check a unit's predikat counts against the curve of its organisation predikat.

    OK when every rule holds, else the policy's `bila_gagal`. A predikat missing from
    `distribusi` counts 0; an organisation predikat missing from `rules` has no rules. An empty
    unit is OK: there is nobody to distribute. Raises ValueError for a negative or non-integer
    count or an unknown predikat.
    """
    counts = dict.fromkeys(PredikatPegawai, 0)
    for key, value in distribusi.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"distribusi[{key}] must be a whole number of at least 0")
        counts[PredikatPegawai(key)] += value
    total = sum(counts.values())
    if total == 0:
        return HasilPemeriksaan(hasil=HasilKurva.OK, distribusi=counts, total=0)
    found = tuple(
        v
        for aturan in rules.get(PredikatOrganisasi(organisasi), ())
        if (v := _langgar(aturan, counts, total, policy)) is not None
    )
    hasil = policy.bila_gagal if found else HasilKurva.OK
    return HasilPemeriksaan(hasil=hasil, distribusi=counts, total=total, pelanggaran=found)


# --- tenant settings ------------------------------------------------------------------------

_RULE_KEYS = {"kode", "predikat", "keterangan", "minPersen", "maxPersen", "minimalAda", "terbanyak"}


def _enum(cls: type[_E], value: object, where: str) -> _E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"{where}: {value!r} is not one of {allowed}") from None


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{where}: expected a number or numeric string, got {value!r}")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{where}: {value!r} is not a number") from None
    if not result.is_finite() or not 0 <= result <= _HUNDRED:
        raise ValueError(f"{where}: {value!r} must be from 0 to 100")
    return result


def _aturan(raw: object, where: str) -> AturanKurva:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected an object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (allowed: {sorted(_RULE_KEYS)})")
    for key in ("kode", "predikat", "keterangan"):
        if key not in raw:
            raise ValueError(f"{where}.{key}: missing")
    for key in ("kode", "keterangan"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{where}.{key}: expected a non-empty string")
    names = raw["predikat"]
    if not isinstance(names, list) or not names:
        raise ValueError(f"{where}.predikat: expected a non-empty list of predikat")
    predikat = tuple(
        _enum(PredikatPegawai, name, f"{where}.predikat[{i}]") for i, name in enumerate(names)
    )
    kw: dict[str, object] = {}
    if "minPersen" in raw:
        kw["min_persen"] = _decimal(raw["minPersen"], f"{where}.minPersen")
    if "maxPersen" in raw:
        kw["max_persen"] = _decimal(raw["maxPersen"], f"{where}.maxPersen")
    if "minimalAda" in raw:
        value = raw["minimalAda"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{where}.minimalAda: expected a whole number of at least 1")
        kw["minimal_ada"] = value
    if "terbanyak" in raw:
        if not isinstance(raw["terbanyak"], bool):
            raise ValueError(f"{where}.terbanyak: expected true or false")
        kw["terbanyak"] = raw["terbanyak"]
    try:
        return AturanKurva(
            kode=raw["kode"].strip(), predikat=predikat, keterangan=raw["keterangan"], **kw
        )
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def rules_from_setting(value: object) -> Mapping[PredikatOrganisasi, tuple[AturanKurva, ...]]:
    """Parse the tenant setting of curve rules.

    Shape (JSON), keyed by organisation predikat::

        {"BAIK": [
            {"kode": "BAIK.max_baik", "predikat": ["BAIK"], "maxPersen": "70",
             "keterangan": "Paling banyak 70 % Baik"},
            {"kode": "BAIK.terbanyak_baik", "predikat": ["BAIK"], "terbanyak": true,
             "keterangan": "Baik terbanyak"},
            {"kode": "BAIK.ada_bp_k", "predikat": ["BUTUH_PERBAIKAN", "KURANG"],
             "minimalAda": 1, "keterangan": "..."}],
         "SANGAT_KURANG": []}

    Each rule has exactly one of `minPersen`, `maxPersen` (0–100, as a string or number),
    `minimalAda` (integer ≥ 1) and `terbanyak: true`. A listed organisation predikat replaces
    that level's default rules wholesale (`[]` switches its check off); a level not listed keeps
    DEFAULT_RULES. Raises ValueError naming the offending key.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"kurva rules: expected an object, got {type(value).__name__}")
    result = dict(DEFAULT_RULES)
    for key, raw_rules in value.items():
        organisasi = _enum(PredikatOrganisasi, key, "kurva rules")
        if not isinstance(raw_rules, list):
            raise ValueError(f"kurva rules.{key}: expected a list of rules")
        parsed = tuple(_aturan(r, f"kurva rules.{key}[{i}]") for i, r in enumerate(raw_rules))
        kodes = [a.kode for a in parsed]
        dupes = sorted({k for k in kodes if kodes.count(k) > 1})
        if dupes:
            raise ValueError(f"kurva rules.{key}: kode {dupes[0]!r} is used twice")
        result[organisasi] = parsed
    return MappingProxyType(result)


_POLICY_KEYS = {
    "pembulatanMin": ("pembulatan_min", Pembulatan),
    "pembulatanMax": ("pembulatan_max", Pembulatan),
    "bilaGagal": ("bila_gagal", HasilKurva),
}


def policy_from_setting(value: object) -> KebijakanKurva:
    """Parse the tenant setting of curve policy:
    `{"pembulatanMin": "CEIL", "pembulatanMax": "FLOOR", "bilaGagal": "BLOCK"}`.
    Keys left out keep KebijakanKurva's defaults; `bilaGagal` must be WARNING or BLOCK.
    Raises ValueError naming the offending key."""
    if not isinstance(value, Mapping):
        raise ValueError(f"kurva policy: expected an object, got {type(value).__name__}")
    kw: dict[str, object] = {}
    for key, raw in value.items():
        if key not in _POLICY_KEYS:
            raise ValueError(f"kurva policy: unknown key {key!r} (allowed: {sorted(_POLICY_KEYS)})")
        name, cls = _POLICY_KEYS[key]
        kw[name] = _enum(cls, raw, f"kurva policy.{key}")
    if kw.get("bila_gagal") is HasilKurva.OK:
        raise ValueError("kurva policy.bilaGagal: must be WARNING or BLOCK, not OK")
    return KebijakanKurva(**kw)


def _aturan_json(aturan: AturanKurva) -> dict:
    """One rule in the setting's own shape (what `_aturan` reads back)."""
    found: dict[str, object] = {
        "kode": aturan.kode,
        "predikat": [p.value for p in aturan.predikat],
        "keterangan": aturan.keterangan,
    }
    if aturan.min_persen is not None:
        found["minPersen"] = _persen(aturan.min_persen)
    if aturan.max_persen is not None:
        found["maxPersen"] = _persen(aturan.max_persen)
    if aturan.minimal_ada is not None:
        found["minimalAda"] = aturan.minimal_ada
    if aturan.terbanyak:
        found["terbanyak"] = True
    return found


def rules_in_force(value: object | None) -> dict:
    """Every organisation predikat's rules in force, as the setting's JSON: the defaults with
    the tenant's levels (``value``, None while unset) laid over them, so an admin reads the
    thresholds the check applies, not only what they changed."""
    rules = DEFAULT_RULES if value is None else rules_from_setting(value)
    return {o.value: [_aturan_json(a) for a in rules.get(o, ())] for o in PredikatOrganisasi}


def policy_in_force(value: object | None) -> dict:
    """The curve policy in force, every key spelled out (``value``: the tenant's, or None)."""
    policy = KebijakanKurva() if value is None else policy_from_setting(value)
    return {
        "pembulatanMin": policy.pembulatan_min.value,
        "pembulatanMax": policy.pembulatan_max.value,
        "bilaGagal": policy.bila_gagal.value,
    }
