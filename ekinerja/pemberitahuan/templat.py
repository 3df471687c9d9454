"""The kinds of notification and their Indonesian texts: the defaults here, which an instansi
may replace per kind with the setting `pemberitahuan.templat` (registry.py). A text names what
it needs in braces ({tahun}, {periode}, ...); a placeholder a notification has no value for
stays empty. Pure: the settings registry imports it."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class JenisPemberitahuan(StrEnum):
    SKP_DIAJUKAN = "SKP_DIAJUKAN"
    SKP_DIKEMBALIKAN = "SKP_DIKEMBALIKAN"
    SKP_DISETUJUI = "SKP_DISETUJUI"
    EVALUASI_DITETAPKAN = "EVALUASI_DITETAPKAN"
    KEBERATAN_DIAJUKAN = "KEBERATAN_DIAJUKAN"
    KEBERATAN_DIPUTUS = "KEBERATAN_DIPUTUS"
    TENGGAT_RENCANA = "TENGGAT_RENCANA"
    TENGGAT_EVALUASI = "TENGGAT_EVALUASI"
    TENGGAT_KEBERATAN = "TENGGAT_KEBERATAN"


MEANING: dict[JenisPemberitahuan, str] = {
    JenisPemberitahuan.SKP_DIAJUKAN: "an SKP was submitted to you (its pejabat penilai)",
    JenisPemberitahuan.SKP_DIKEMBALIKAN: "your SKP was returned with notes",
    JenisPemberitahuan.SKP_DISETUJUI: "your SKP was approved",
    JenisPemberitahuan.EVALUASI_DITETAPKAN: "your evaluation result was fixed (rated)",
    JenisPemberitahuan.KEBERATAN_DIAJUKAN: "a keberatan was filed to you (the atasan pejabat "
    "penilai deciding it)",
    JenisPemberitahuan.KEBERATAN_DIPUTUS: "your keberatan was decided",
    JenisPemberitahuan.TENGGAT_RENCANA: "the deadline to submit your SKP plan is near",
    JenisPemberitahuan.TENGGAT_EVALUASI: "the evaluation window ends soon and your "
    "evaluation is not submitted",
    JenisPemberitahuan.TENGGAT_KEBERATAN: "the last day to file a keberatan against your "
    "result is near",
}

BAWAAN: dict[JenisPemberitahuan, tuple[str, str]] = {
    JenisPemberitahuan.SKP_DIAJUKAN: (
        "SKP {tahun} diajukan kepada Anda",
        "{nama_pegawai} mengajukan SKP tahun {tahun} untuk Anda periksa dan setujui.",
    ),
    JenisPemberitahuan.SKP_DIKEMBALIKAN: (
        "SKP {tahun} dikembalikan",
        "Pejabat penilai mengembalikan SKP tahun {tahun} Anda dengan catatan. Perbaiki, lalu "
        "ajukan kembali.",
    ),
    JenisPemberitahuan.SKP_DISETUJUI: (
        "SKP {tahun} disetujui",
        "SKP tahun {tahun} Anda telah disetujui oleh pejabat penilai.",
    ),
    JenisPemberitahuan.EVALUASI_DITETAPKAN: (
        "Hasil evaluasi {periode} telah ditetapkan",
        "Hasil evaluasi kinerja periode {periode} Anda telah ditetapkan dengan predikat "
        "{predikat}.",
    ),
    JenisPemberitahuan.KEBERATAN_DIAJUKAN: (
        "Keberatan diajukan kepada Anda",
        "{nama_pegawai} mengajukan keberatan atas hasil evaluasi periode {periode}. Mohon "
        "diperiksa dan diputus.",
    ),
    JenisPemberitahuan.KEBERATAN_DIPUTUS: (
        "Keberatan Anda telah diputus",
        "Keberatan Anda atas hasil evaluasi periode {periode} telah diputus ({hasil}). "
        "Predikat akhir: {predikat}.",
    ),
    JenisPemberitahuan.TENGGAT_RENCANA: (
        "Batas pengajuan SKP {tahun}: {tanggal}",
        "SKP tahun {tahun} Anda belum diajukan. Batas pengajuan rencana SKP adalah {tanggal}.",
    ),
    JenisPemberitahuan.TENGGAT_EVALUASI: (
        "Periode {periode} berakhir {tanggal}",
        "Periode penilaian {periode} berakhir pada {tanggal}. Lengkapi realisasi Anda dan "
        "ajukan evaluasinya.",
    ),
    JenisPemberitahuan.TENGGAT_KEBERATAN: (
        "Batas keberatan periode {periode}: {tanggal}",
        "Anda dapat mengajukan keberatan atas hasil evaluasi periode {periode} paling lambat "
        "{tanggal}.",
    ),
}

PLACEHOLDERS = frozenset(
    {"nama", "nama_pegawai", "tahun", "periode", "predikat", "hasil", "tanggal", "instansi"}
)
MAX_JUDUL = 200
MAX_ISI = 2000

_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")  # fmt: skip


def tanggal_indonesia(day: date) -> str:
    """31 Januari 2027."""
    return f"{day.day} {_BULAN[day.month - 1]} {day.year}"


def _check_text(text: Any, where: str, limit: int) -> str:
    if not isinstance(text, str) or not text.strip() or len(text) > limit:
        raise ValueError(f"{where}: expected a text of 1 to {limit} characters")
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    for name in names:
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            raise ValueError(f"{where}: {{{name}}} is not a placeholder (known: {known})")
    return text


@dataclass(frozen=True)
class Templat:
    judul: str
    isi: str


def templat_from_setting(value: Any) -> Mapping[JenisPemberitahuan, Templat]:
    """{JENIS: {"judul": ..., "isi": ...}} → the texts of every kind (the defaults where the
    instansi set none); raises ValueError saying what is wrong."""
    if not isinstance(value, dict):
        raise ValueError('expected {"SKP_DIAJUKAN": {"judul": "...", "isi": "..."}, ...}')
    texts = {jenis: Templat(*BAWAAN[jenis]) for jenis in JenisPemberitahuan}
    for key, item in value.items():
        if key not in JenisPemberitahuan.__members__:
            raise ValueError(f"{key!r} is not a kind ({', '.join(JenisPemberitahuan)})")
        if not isinstance(item, dict) or set(item) != {"judul", "isi"}:
            raise ValueError(f'{key}: expected {{"judul": "...", "isi": "..."}}')
        texts[JenisPemberitahuan(key)] = Templat(
            _check_text(item["judul"], f"{key}.judul", MAX_JUDUL),
            _check_text(item["isi"], f"{key}.isi", MAX_ISI),
        )
    return MappingProxyType(texts)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def isi_templat(templat: Templat, nilai: Mapping[str, Any]) -> tuple[str, str]:
    """The title and text with the values filled in (missing ones empty)."""
    values = _Blank({k: "" if v is None else str(v) for k, v in nilai.items()})
    judul = templat.judul.format_map(values)[:MAX_JUDUL]
    return judul, templat.isi.format_map(values)
