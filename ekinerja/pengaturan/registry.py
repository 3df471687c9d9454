"""Every instansi setting, once: its key, what it means, its default, and how a stored JSON
value becomes the typed value the domain uses (`baca`, which raises ValueError saying what is
wrong: the same function checks a new value before it is written, so nothing is ever accepted
that the domain would not read). The reader (`reader.py`) builds `PengaturanInstansi` from
these; the write path (`writer.py`) checks with them. Pure: no database, and it imports only
pure domain modules (enums, the curve, the angka kredit rules, SIASN's codes), which in turn
never import this package, so there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from ekinerja.pemberitahuan.templat import templat_from_setting
from ekinerja.penilaian.angka_kredit import MAYORITAS_HARI, check_hitungan_bulan
from ekinerja.penilaian.kurva import (
    Pembulatan,
    policy_from_setting,
    policy_in_force,
    rules_from_setting,
    rules_in_force,
)
from ekinerja.siasn.kode import kode_from_setting
from ekinerja.skp.enums import AspekIki

# --- the keys -------------------------------------------------------------------------------

JA_JF_WAJIB_INTERVENSI = "skp.ja_jf_wajib_intervensi"
RHK_TAMBAHAN_WAJIB_INTERVENSI = "skp.rhk_tambahan_wajib_intervensi"
ASPEK_KUMULATIF = "realisasi.aspek_kumulatif"
ASPEK_SEMAKIN_KECIL = "realisasi.aspek_semakin_kecil_semakin_baik"
KEBIJAKAN_TAHUNAN = "penilaian.kebijakan_tahunan"
HITUNGAN_BULAN_KUNCI = "angka_kredit.hitungan_bulan"
KURVA_ATURAN = "penilaian.kurva.aturan"
KURVA_KEBIJAKAN = "penilaian.kurva.kebijakan"
BATAS_HARI_KEBERATAN = "keberatan.batas_hari"
ZONA_WAKTU = "instansi.zona_waktu"
DOKUMEN_TEMPAT = "dokumen.tempat"
SIASN_KODE = "siasn.kode_referensi"
PEMBERITAHUAN_TEMPLAT = "pemberitahuan.templat"
PEMBERITAHUAN_BATAS_RENCANA = "pemberitahuan.batas_rencana"
PEMBERITAHUAN_HARI_PENGINGAT = "pemberitahuan.hari_pengingat"

# --- the values some settings choose between ------------------------------------------------

LAST_PERIOD = "LAST_PERIOD"
SEPARATE_ANNUAL = "SEPARATE_ANNUAL"
KEBIJAKAN_TAHUNAN_PILIHAN = (LAST_PERIOD, SEPARATE_ANNUAL)
_PILIHAN = ", ".join(KEBIJAKAN_TAHUNAN_PILIHAN)

# The only zones an Indonesian instansi can be in, with the name people use for each.
ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
DEFAULT_ZONE = "Asia/Jakarta"

MAX_TEMPAT = 100


# --- parsing: stored JSON → typed value, ValueError saying what is wrong ---------------------


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
        raise ValueError("expected a whole number of days from 1 to 365")
    return value


def _aspects(value: Any) -> frozenset[AspekIki]:
    allowed = [a.value for a in AspekIki]
    if not isinstance(value, list):
        raise ValueError(f"expected a list of aspects ({', '.join(allowed)})")
    for index, item in enumerate(value):
        if item not in allowed:
            raise ValueError(f"[{index}]: {item!r} is not one of {', '.join(allowed)}")
    return frozenset(AspekIki(item) for item in value)


def _annual_policy(value: Any) -> str:
    if not isinstance(value, dict) or set(value) != {"kebijakan"}:
        raise ValueError('expected {"kebijakan": "LAST_PERIOD" | "SEPARATE_ANNUAL"}')
    if value["kebijakan"] not in KEBIJAKAN_TAHUNAN_PILIHAN:
        raise ValueError(f"kebijakan: {value['kebijakan']!r} is not one of {_PILIHAN}")
    return value["kebijakan"]


def _hitungan(value: Any) -> str:
    check_hitungan_bulan(value)
    return value["hitungan"]


def _zone(value: Any) -> ZoneInfo:
    if not isinstance(value, str) or value not in ZONES:
        allowed = ", ".join(f"{name} ({label})" for name, label in ZONES.items())
        raise ValueError(f"{value!r} is not one of {allowed}")
    return ZoneInfo(value)


def _tempat(value: Any) -> str:
    """The place as printed (trimmed); empty stands for the instansi's name."""
    if not isinstance(value, str) or len(value.strip()) > MAX_TEMPAT:
        raise ValueError(f"expected the name of a place, at most {MAX_TEMPAT} characters")
    return value.strip()


def _bulan_hari(value: Any) -> tuple[int, int]:
    """A day of the year, "MM-DD" (29 February excluded), as (month, day)."""
    try:
        bulan, hari = (int(part) for part in value.split("-"))
        date(2026, bulan, hari)
    except (AttributeError, TypeError, ValueError):
        raise ValueError('expected a day of the year as "MM-DD", e.g. "01-31"') from None
    if len(value) != 5:
        raise ValueError('expected a day of the year as "MM-DD", e.g. "01-31"')
    return bulan, hari


def _hari_pengingat(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 30:
        raise ValueError("expected a whole number of days from 0 to 30")
    return value


@dataclass(frozen=True)
class Setting:
    kunci: str
    atribut: str  # its field of PengaturanInstansi
    keterangan: str
    bawaan: Any  # the value in force while the instansi has set none (JSON)
    baca: Callable[[Any], Any]  # stored JSON → typed value; raises ValueError saying what
    # The stored value as the admin reads it in force, where that differs from the value
    # itself: a partial value (the curve's) is laid over the defaults and shown whole.
    in_force: Callable[[Any], Any] | None = None

    def check(self, nilai: Any) -> None:
        """Raises ValueError saying what is wrong with ``nilai``."""
        self.baca(nilai)

    @cached_property
    def bawaan_typed(self) -> Any:
        """The default, typed; read once (every typed value is immutable, so it is shared)."""
        return self.baca(self.bawaan)

    def berlaku(self, nilai: Any) -> Any:
        """The JSON in force for a valid stored value (None: unset, the default)."""
        if nilai is None:
            return self.bawaan
        return self.in_force(nilai) if self.in_force is not None else nilai


SETTINGS: dict[str, Setting] = {
    s.kunci: s
    for s in (
        Setting(
            JA_JF_WAJIB_INTERVENSI,
            "ja_jf_wajib_intervensi",
            "Whether every RHK of a JA/JF SKP must cascade from a superior's RHK on submit.",
            True,
            _boolean,
        ),
        Setting(
            RHK_TAMBAHAN_WAJIB_INTERVENSI,
            "rhk_tambahan_wajib_intervensi",
            "Whether that applies to the RHK tambahan too (the regulation names no exception); "
            "false: only the RHK utama must cascade.",
            True,
            _boolean,
        ),
        Setting(
            ASPEK_KUMULATIF,
            "aspek_kumulatif",
            "Indicator aspects whose realisation adds up across windows (others: latest value).",
            [AspekIki.BIAYA.value, AspekIki.KUANTITAS.value],
            _aspects,
        ),
        Setting(
            ASPEK_SEMAKIN_KECIL,
            "aspek_semakin_kecil_semakin_baik",
            "Indicator aspects where a smaller realisation is better (capaian = target / real).",
            [AspekIki.WAKTU.value],
            _aspects,
        ),
        Setting(
            KEBIJAKAN_TAHUNAN,
            "kebijakan_tahunan",
            "How the annual predikat is made: copied from the year's last window (LAST_PERIOD) "
            "or by a separate annual evaluation (SEPARATE_ANNUAL).",
            {"kebijakan": LAST_PERIOD},
            _annual_policy,
        ),
        Setting(
            HITUNGAN_BULAN_KUNCI,
            "hitungan_bulan",
            "How a month an SKP covers only in part counts for angka kredit (unverified): "
            "MAYORITAS_HARI (more than half its days, or half ending on its last), BULAN_PENUH "
            "(whole months only) or BULAN_BERJALAN (any day). See docs/decisions/0011.",
            {"hitungan": MAYORITAS_HARI},
            _hitungan,
        ),
        Setting(
            KURVA_ATURAN,
            "kurva_aturan",
            "Distribution-curve rules per predikat organisasi; a level listed replaces its "
            "defaults, [] switches its check off (see docs/decisions/0011).",
            rules_in_force(None),
            rules_from_setting,
            rules_in_force,
        ),
        Setting(
            KURVA_KEBIJAKAN,
            "kurva_kebijakan",
            f"Curve rounding (pembulatanMin/Max: {', '.join(Pembulatan)}) and what a failed "
            "check does before penetapan (bilaGagal: WARNING or BLOCK).",
            policy_in_force(None),
            policy_from_setting,
            policy_in_force,
        ),
        Setting(
            BATAS_HARI_KEBERATAN,
            "batas_hari_keberatan",
            "Calendar days after penetapan within which a pegawai may file a keberatan.",
            14,
            _days,
        ),
        Setting(
            ZONA_WAKTU,
            "zona_waktu",
            'The instansi\'s time zone: its dates ("today") and keberatan days are counted '
            "there. Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).",
            DEFAULT_ZONE,
            _zone,
        ),
        Setting(
            DOKUMEN_TEMPAT,
            "dokumen_tempat",
            "The place printed before the date over the signatures of the SKP document (e.g. "
            '"Bandung"); empty: the instansi\'s name.',
            "",
            _tempat,
        ),
        Setting(
            SIASN_KODE,
            "siasn_kode_referensi",
            "SIASN reference codes (unverified, so each instansi sets those it confirmed) per "
            "rating level (rating: {DI_ATAS_EKSPEKTASI: code, ...}) and per predikat (predikat: "
            "{SANGAT_BAIK: code, ...}), exported as the ...Nilai columns; unmapped: null.",
            {},
            kode_from_setting,
        ),
        Setting(
            PEMBERITAHUAN_TEMPLAT,
            "pemberitahuan_templat",
            "Notification texts (in the app and by email) per kind, replacing the Indonesian "
            'defaults: {"SKP_DIAJUKAN": {"judul": "...", "isi": "..."}, ...}; placeholders '
            "{nama}, {nama_pegawai}, {tahun}, {periode}, {predikat}, {hasil}, {tanggal}, "
            "{instansi} (decision 0041).",
            {},
            templat_from_setting,
        ),
        Setting(
            PEMBERITAHUAN_BATAS_RENCANA,
            "pemberitahuan_batas_rencana",
            'The day of the year ("MM-DD") by which an SKP plan is to be submitted: pegawai '
            "whose SKP of the year is still a draft are reminded before it.",
            "01-31",
            _bulan_hari,
        ),
        Setting(
            PEMBERITAHUAN_HARI_PENGINGAT,
            "pemberitahuan_hari_pengingat",
            "Days before a deadline (plan submission, the end of an evaluation window, the last "
            "day of keberatan) that its reminder goes out; 0: on the day.",
            3,
            _hari_pengingat,
        ),
    )
}
