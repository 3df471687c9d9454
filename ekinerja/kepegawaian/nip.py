"""NIP (PNS) and NI PPPK: 18-digit identifiers with meaning (docs/domain.md 2.6).

NIP PNS  = YYYYMMDD (birth) · YYYYMM (TMT CPNS) · S (1 male, 2 female) · NNN (serial)
NI PPPK  = YYYYMMDD (birth) · YYYY (first PPPK appointment) · 2 digits · S · NNN

Only what the sources agree on is checked. For NI PPPK that is the birth date and the
appointment year; the 2-digit segment is never interpreted, and the sex digit is read only when
it is 1 or 2 (its position is reported by a single source).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ekinerja.kepegawaian.enums import JenisKelamin

_DIGITS = re.compile(r"\d{18}")


class NipError(ValueError):
    """A refused identifier, with a message saying exactly what is wrong."""


@dataclass(frozen=True)
class NipInfo:
    nip: str
    tanggal_lahir: date
    tahun_pengangkatan: int
    bulan_pengangkatan: int | None
    jenis_kelamin: JenisKelamin | None


def _digits(raw: str, label: str) -> str:
    value = re.sub(r"[\s.]", "", raw or "")
    if not _DIGITS.fullmatch(value):
        raise NipError(f"{label} must be 18 digits (got {len(value)} characters: {raw!r})")
    return value


def _birth_date(value: str, label: str) -> date:
    try:
        born = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise NipError(
            f"{label} {value}: digits 1–8 ({value[0:8]}) are not a real birth date (YYYYMMDD)"
        ) from None
    if born.year < 1900 or born > date.today():
        raise NipError(f"{label} {value}: birth date {born.isoformat()} is not plausible")
    return born


def _appointment_year(value: str, born: date, label: str) -> int:
    year = int(value[8:12])
    if year < born.year + 14 or year > date.today().year + 1:
        raise NipError(
            f"{label} {value}: appointment year {year} is impossible for someone born in "
            f"{born.year}"
        )
    return year


def parse_nip_pns(raw: str) -> NipInfo:
    nip = _digits(raw, "NIP")
    born = _birth_date(nip, "NIP")
    year = _appointment_year(nip, born, "NIP")
    month = int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError(f"NIP {nip}: digits 13–14 ({nip[12:14]}) are not a TMT CPNS month (01–12)")
    if nip[14] not in "12":
        raise NipError(f"NIP {nip}: digit 15 ({nip[14]}) must be 1 (male) or 2 (female)")
    return NipInfo(nip, born, year, month, JenisKelamin.from_digit(nip[14]))


def parse_ni_pppk(raw: str) -> NipInfo:
    ni = _digits(raw, "NI PPPK")
    born = _birth_date(ni, "NI PPPK")
    year = _appointment_year(ni, born, "NI PPPK")
    sex = JenisKelamin.from_digit(ni[14]) if ni[14] in "12" else None
    return NipInfo(ni, born, year, None, sex)
