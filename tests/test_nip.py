"""NIP (PNS) and NI PPPK validation (docs/domain.md 2.6)."""

from __future__ import annotations

from datetime import date

import pytest

from ekinerja.kepegawaian.enums import JenisKelamin, JenisKepegawaian
from ekinerja.kepegawaian.golongan import GolonganError, normalize_golongan, pangkat
from ekinerja.kepegawaian.nip import NipError, parse_ni_pppk, parse_nip_pns


def test_valid_nip_is_read_for_its_meaning():
    info = parse_nip_pns("19860926 201505 1 001")
    assert info.nip == "198609262015051001"
    assert info.tanggal_lahir == date(1986, 9, 26)
    assert (info.tahun_pengangkatan, info.bulan_pengangkatan) == (2015, 5)
    assert info.jenis_kelamin is JenisKelamin.LAKI_LAKI
    assert parse_nip_pns("199202292019032001").jenis_kelamin is JenisKelamin.PEREMPUAN


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("19860926201505100", "must be 18 digits (got 17"),
        ("1986092620150510011", "must be 18 digits (got 19"),
        ("19860926201505100A", "must be 18 digits"),
        ("", "must be 18 digits (got 0"),
        ("198602302015051001", "digits 1–8 (19860230) are not a real birth date"),
        ("199102292015051001", "not a real birth date"),  # 1991 is not a leap year
        ("186009262015051001", "birth date 1860-09-26 is not plausible"),
        ("198609262015131001", "digits 13–14 (13) are not a TMT CPNS month"),
        ("198609262015001001", "digits 13–14 (00) are not a TMT CPNS month"),
        ("198609262015053001", "digit 15 (3) must be 1 (male) or 2 (female)"),
        ("198609262015050001", "digit 15 (0) must be 1 (male) or 2 (female)"),
        ("198609261990051001", "appointment year 1990 is impossible for someone born in 1986"),
    ],
)
def test_invalid_nip_is_refused_with_the_reason(nip, reason):
    with pytest.raises(NipError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_nip_pns(nip)


def test_valid_ni_pppk_reads_only_what_is_certain():
    info = parse_ni_pppk("199009132025242014")
    assert info.tanggal_lahir == date(1990, 9, 13)
    assert info.tahun_pengangkatan == 2025 and info.bulan_pengangkatan is None
    assert info.jenis_kelamin is JenisKelamin.PEREMPUAN
    # The 2-digit code is never interpreted; an unknown sex digit is just not read.
    assert parse_ni_pppk("199009132025999014").jenis_kelamin is None


@pytest.mark.parametrize(
    ("ni", "reason"),
    [
        ("19900913202524201", "must be 18 digits"),
        ("199013132025242014", "not a real birth date"),
        ("199009132001242014", "appointment year 2001 is impossible"),
    ],
)
def test_invalid_ni_pppk_is_refused(ni, reason):
    with pytest.raises(NipError, match=reason):
        parse_ni_pppk(ni)


@pytest.mark.parametrize(
    ("raw", "jenis", "golongan"),
    [
        ("iii/a", JenisKepegawaian.PNS, "III/a"),
        (" IV / e ", JenisKepegawaian.PNS, "IV/e"),
        ("ix", JenisKepegawaian.PPPK, "IX"),
        ("XVII", JenisKepegawaian.PPPK_PARUH_WAKTU, "XVII"),
    ],
)
def test_golongan_is_normalised_per_jenis(raw, jenis, golongan):
    assert normalize_golongan(raw, jenis) == golongan


@pytest.mark.parametrize(
    ("raw", "jenis"),
    [
        ("IX", JenisKepegawaian.PNS),
        ("III/a", JenisKepegawaian.PPPK),
        ("IV/f", JenisKepegawaian.PNS),
        ("XVIII", JenisKepegawaian.PPPK),
    ],
)
def test_golongan_of_the_wrong_kind_is_refused(raw, jenis):
    with pytest.raises(GolonganError, match="is not a"):
        normalize_golongan(raw, jenis)


def test_pangkat_names():
    assert pangkat("III/a") == "Penata Muda" and pangkat("IV/e") == "Pembina Utama"
    assert pangkat("IX") is None
