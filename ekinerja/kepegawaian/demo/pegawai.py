"""Demo pegawai: a position's golongan and jenjang, and a person to fit it, with a valid NIP or
NI PPPK (birth date, TMT, sex digit and a serial that keeps it unique), name and gelar.

Golongan follows jenjang as docs/domain.md 2.5 lists it (Ahli Pertama III/a–III/b, …); birth years
follow golongan, so a IV/c is older than a II/a; everything is dated no later than 2025.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass
from datetime import date

from ekinerja.kepegawaian.demo import catalogue as cat
from ekinerja.kepegawaian.demo.names import person_name
from ekinerja.kepegawaian.demo.organisasi import StaffMix
from ekinerja.kepegawaian.enums import (
    JenisJabatan,
    JenisKelamin,
    JenisKepegawaian,
    JenjangFungsional,
    StatusPegawai,
)
from ekinerja.kepegawaian.golongan import PANGKAT_PNS

LATEST_YEAR = 2025  # nothing in the demo is dated later, so it stays valid whatever today is
_GOLONGAN_RANK = {g: i for i, g in enumerate(PANGKAT_PNS)}  # I/a = 0 … IV/e = 16

_JENJANG_PNS = {
    JenjangFungsional.AHLI_PERTAMA: ("III/a", "III/b"),
    JenjangFungsional.AHLI_MUDA: ("III/c", "III/d"),
    JenjangFungsional.AHLI_MADYA: ("IV/a", "IV/b", "IV/c"),
    JenjangFungsional.AHLI_UTAMA: ("IV/d", "IV/e"),
    JenjangFungsional.PEMULA: ("II/a",),
    JenjangFungsional.TERAMPIL: ("II/b", "II/c", "II/d"),
    JenjangFungsional.MAHIR: ("III/a", "III/b"),
    JenjangFungsional.PENYELIA: ("III/c", "III/d"),
}
# PPPK are mostly appointed at entry level; golongan by qualification (V SLTA, VII D3, IX S1).
_JENJANG_PPPK = {
    JenjangFungsional.AHLI_PERTAMA: ("IX", "X"),
    JenjangFungsional.AHLI_MUDA: ("XI",),
    JenjangFungsional.PEMULA: ("V",),
    JenjangFungsional.TERAMPIL: ("VII",),
    JenjangFungsional.MAHIR: ("VIII",),
}
_AHLI = (
    (JenjangFungsional.AHLI_PERTAMA, 40),
    (JenjangFungsional.AHLI_MUDA, 35),
    (JenjangFungsional.AHLI_MADYA, 23),
    (JenjangFungsional.AHLI_UTAMA, 2),
)
_TERAMPIL = (
    (JenjangFungsional.PEMULA, 8),
    (JenjangFungsional.TERAMPIL, 42),
    (JenjangFungsional.MAHIR, 30),
    (JenjangFungsional.PENYELIA, 20),
)
_HEAD_GOLONGAN = {
    JenisJabatan.JPT_PRATAMA: (("IV/b", 15), ("IV/c", 55), ("IV/d", 30)),
    JenisJabatan.ADMINISTRATOR: (("III/d", 25), ("IV/a", 45), ("IV/b", 30)),
    JenisJabatan.PENGAWAS: (("III/b", 15), ("III/c", 35), ("III/d", 35), ("IV/a", 15)),
}
_S1 = ("S.E.", "S.H.", "S.Sos.", "S.IP.", "S.Kom.", "S.T.", "S.AP.", "S.STP.", "S.Psi.", "S.Si.")
_S2 = ("M.Si.", "M.M.", "M.A.P.", "M.H.", "M.E.", "M.T.", "M.Kes.", "M.Pd.")
_CPNS_MONTHS = (1, 3, 4, 12)  # the months CPNS formations usually start
_PPPK_SEGMENTS = ("01", "02", "21", "24")  # never interpreted (docs/domain.md 2.6)


@dataclass(frozen=True)
class Position:
    jabatan: str
    jenis: JenisJabatan
    jenjang: JenjangFungsional | None
    golongan: str  # "" when none
    education: str  # SMA, D3, S1, S2, S3
    fungsional: cat.Fungsional | None = None


@dataclass(frozen=True)
class Person:
    nip: str
    nip_lama: str
    nama: str
    gelar_depan: str
    gelar_belakang: str
    golongan: str
    status: StatusPegawai
    email: str
    tmt_jabatan: date


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def jenjang_label(jenjang: JenjangFungsional) -> str:
    return jenjang.value.replace("_", " ").title()


def head_position(
    rng: random.Random, jenis: JenisJabatan, jabatan: str, jenjang: JenjangFungsional | None
) -> Position:
    if jenis is JenisJabatan.FUNGSIONAL:  # a school's head: a guru with an additional task
        golongan = rng.choice(_JENJANG_PNS[jenjang])
        education = "S2" if rng.random() < 0.3 else "S1"
        return Position(jabatan, jenis, jenjang, golongan, education, cat.GURU)
    golongan = _weighted(rng, _HEAD_GOLONGAN.get(jenis, _HEAD_GOLONGAN[JenisJabatan.JPT_PRATAMA]))
    if jenis.is_jpt:
        education = "S3" if rng.random() < 0.12 else "S2"
    elif jenis is JenisJabatan.ADMINISTRATOR:
        education = "S2" if rng.random() < 0.65 else "S1"
    else:
        education = "S2" if rng.random() < 0.3 else "S1"
    return Position(jabatan, jenis, None, golongan, education)


def staff_position(rng: random.Random, mix: StaffMix, jenis_pegawai: JenisKepegawaian) -> Position:
    if jenis_pegawai is JenisKepegawaian.PPPK_PARUH_WAKTU:
        nama = rng.choice(("Operator Layanan Operasional", "Pengelola Umum Operasional"))
        golongan = "" if rng.random() < 0.6 else "V"
        return Position(nama, JenisJabatan.PELAKSANA, None, golongan, "SMA")
    if mix.fungsional and rng.random() >= mix.pelaksana_share:
        return _fungsional_position(rng, _weighted(rng, mix.fungsional), jenis_pegawai)
    pelaksana = rng.choice(cat.PELAKSANA)
    if jenis_pegawai is JenisKepegawaian.PNS:
        golongan = rng.choice(pelaksana.golongan)
    else:
        golongan = "IX" if pelaksana.golongan[0].startswith("III") else rng.choice(("V", "VII"))
    rank = _GOLONGAN_RANK.get(golongan, 8 if golongan == "IX" else 4)
    education = "S1" if rank >= 8 else ("D3" if rng.random() < 0.4 else "SMA")
    return Position(pelaksana.nama, JenisJabatan.PELAKSANA, None, golongan, education)


def _fungsional_position(
    rng: random.Random, fungsional: cat.Fungsional, jenis_pegawai: JenisKepegawaian
) -> Position:
    if cat.KEAHLIAN in fungsional.kategori and (
        cat.KETERAMPILAN not in fungsional.kategori or rng.random() < 0.6
    ):
        jenjang = _weighted(rng, _AHLI)
    else:
        jenjang = _weighted(rng, _TERAMPIL)
    if jenis_pegawai is JenisKepegawaian.PNS:
        golongan = rng.choice(_JENJANG_PNS[jenjang])
    else:
        if jenjang not in _JENJANG_PPPK:
            ahli = jenjang.value.startswith("AHLI")
            jenjang = JenjangFungsional.AHLI_PERTAMA if ahli else JenjangFungsional.TERAMPIL
        golongan = rng.choice(_JENJANG_PPPK[jenjang])
    if jenjang.value.startswith("AHLI"):
        senior = jenjang not in (JenjangFungsional.AHLI_PERTAMA,)
        education = "S2" if senior and rng.random() < 0.25 else "S1"
    else:
        education = "D3"
    nama = f"{fungsional.nama} {jenjang_label(jenjang)}"
    return Position(nama, JenisJabatan.FUNGSIONAL, jenjang, golongan, education, fungsional)


class People:
    """Makes people for positions; remembers every NIP so none repeats."""

    def __init__(self, rng: random.Random, email_domain: str) -> None:
        self.rng = rng
        self.email_domain = email_domain
        self.nips: set[str] = set()

    def person(self, position: Position, jenis: JenisKepegawaian, is_head: bool = False) -> Person:
        rng = self.rng
        sex = (
            JenisKelamin.LAKI_LAKI
            if rng.random() < (0.62 if is_head else 0.48)
            else (JenisKelamin.PEREMPUAN)
        )
        if position.fungsional in (cat.BIDAN,):
            sex = JenisKelamin.PEREMPUAN
        born = self._birth_date(position.golongan, jenis)
        if jenis is JenisKepegawaian.PNS:
            cpns_year = min(born.year + rng.randint(21, 29), LATEST_YEAR - rng.randint(1, 3))
            cpns_month = rng.choice(_CPNS_MONTHS)
            nip = self._unique(f"{born:%Y%m%d}{cpns_year}{cpns_month:02d}{_sex_digit(sex)}")
            earliest = max(cpns_year + 1, 2019 if is_head else 2010)
            tmt = self._date_in(min(earliest, LATEST_YEAR), LATEST_YEAR)
            nip_lama = (
                f"{rng.randint(10**8, 10**9 - 1)}"
                if cpns_year < 2007 and rng.random() < 0.6
                else ""
            )
        else:
            if jenis is JenisKepegawaian.PPPK_PARUH_WAKTU:
                year = LATEST_YEAR
                tmt = date(LATEST_YEAR, 10, 1)
            else:
                year = rng.choice((2019, 2021, 2022, 2023, 2023, 2024, 2024))
                tmt = date(year, rng.choice((1, 3, 4)), 1)
            segment = rng.choice(_PPPK_SEGMENTS)
            nip = self._unique(f"{born:%Y%m%d}{year}{segment}{_sex_digit(sex)}")
            nip_lama = ""
        name = person_name(rng, sex)
        gelar_depan, gelar_belakang = self._gelar(position, born, sex, name.hajj)
        status = StatusPegawai.CLTN if not is_head and rng.random() < 0.01 else StatusPegawai.AKTIF
        email = self._email(name.nama, nip) if rng.random() < 0.7 else ""
        return Person(
            nip, nip_lama, name.nama, gelar_depan, gelar_belakang, position.golongan, status,
            email, tmt,
        )  # fmt: skip

    def _birth_date(self, golongan: str, jenis: JenisKepegawaian) -> date:
        rng = self.rng
        if jenis is JenisKepegawaian.PNS and golongan in _GOLONGAN_RANK:
            # Higher golongan come with years of service: two years of age per step from II/a.
            youngest = 1998 - 2 * max(_GOLONGAN_RANK[golongan] - 4, 0)
            year = rng.randint(max(youngest - 9, 1966), youngest)
        else:
            year = rng.randint(1976, 1999)
        month = rng.randint(1, 12)
        return date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))

    def _date_in(self, first_year: int, last_year: int) -> date:
        rng = self.rng
        year, month = rng.randint(first_year, last_year), rng.randint(1, 12)
        return date(year, month, 1 if rng.random() < 0.75 else rng.randint(2, 28))

    def _unique(self, prefix: str) -> str:
        serial = 1
        while f"{prefix}{serial:03d}" in self.nips:
            serial += 1
        nip = f"{prefix}{serial:03d}"
        self.nips.add(nip)
        return nip

    def _gelar(
        self, position: Position, born: date, sex: JenisKelamin, hajj: bool
    ) -> tuple[str, str]:
        rng = self.rng
        fungsional = position.fungsional
        education = position.education
        depan: list[str] = []
        belakang: list[str] = []
        if education == "D3":
            belakang.append(rng.choice(fungsional.gelar_d3 if fungsional else ("A.Md.",)))
        elif education in ("S1", "S2", "S3"):
            s1 = rng.choice(fungsional.gelar_s1 if fungsional and fungsional.gelar_s1 else _S1)
            if fungsional and fungsional.gelar_depan:
                depan.append(fungsional.gelar_depan)
            elif born.year < 1972 and s1 in ("S.T.", "S.P.") and rng.random() < 0.6:
                depan.append("Ir.")  # engineers and agronomists of that generation
                s1 = ""
            elif born.year < 1972 and rng.random() < 0.25:
                depan.append("Drs." if sex is JenisKelamin.LAKI_LAKI else "Dra.")
                s1 = ""
            if s1:
                belakang.append(s1)
            if education in ("S2", "S3"):
                belakang.append(rng.choice(_S2))
            if education == "S3":
                depan.insert(0, "Dr.")
        if hajj and born.year < 1985 and rng.random() < 0.12:
            depan.append("H." if sex is JenisKelamin.LAKI_LAKI else "Hj.")
        return " ".join(depan), ", ".join(belakang)

    def _email(self, nama: str, nip: str) -> str:
        # Like most civil servants' addresses: two name parts and the year of birth.
        words = [re.sub(r"[^a-z]", "", w.lower()) for w in nama.split()][:2]
        return f"{'.'.join(w for w in words if w)}{nip[2:4]}@{self.email_domain}"


def _sex_digit(sex: JenisKelamin) -> str:
    return "1" if sex is JenisKelamin.LAKI_LAKI else "2"
