"""What the SKP document shows: a plain, already-formatted view of one SKP, independent of the
database, so rendering can be tested and changed on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PersonBlock:
    """A snapshot as printed: pegawai, pejabat penilai or atasan pejabat penilai."""

    nama: str
    nip: str | None  # None for a NON-ASN official
    pangkat_golongan: str | None
    jabatan: str | None
    unit_kerja: str | None


@dataclass(frozen=True)
class IndikatorRow:
    aspek: str | None  # KUANTITAS / KUALITAS / WAKTU / BIAYA; None on the kualitatif form
    teks: str
    target: str  # already formatted, e.g. "2 Dokumen", "90–100 %", a qualitative sentence
    perspektif: str | None = None  # JPT form only


@dataclass(frozen=True)
class RhkRow:
    nomor: str  # "1", "2", …
    teks: str
    jenis: str  # UTAMA / TAMBAHAN
    intervensi: str | None  # the superior's RHK text (or external text) this RHK supports
    klasifikasi: str | None = None  # JPT form: ORGANISASI / INDIVIDU
    penugasan_dari: str | None = None  # JPT form
    indikator: tuple[IndikatorRow, ...] = ()


@dataclass(frozen=True)
class PerilakuRow:
    nilai: str  # e.g. "Berorientasi Pelayanan"
    panduan: tuple[str, ...]  # the three behaviour guides
    ekspektasi: str | None  # ekspektasi khusus pimpinan


@dataclass(frozen=True)
class SkpDocument:
    instansi: str
    tahun: int
    periode_awal: date
    periode_akhir: date
    pendekatan: str  # KUANTITATIF / KUALITATIF
    jenis_form: str  # JPT / JA_JF
    status: str
    versi: int
    pegawai: PersonBlock
    pejabat_penilai: PersonBlock | None
    atasan_pejabat_penilai: PersonBlock | None
    rhk_utama: tuple[RhkRow, ...]
    rhk_tambahan: tuple[RhkRow, ...]
    perilaku: tuple[PerilakuRow, ...]
    lampiran_dukungan_sumber_daya: tuple[str, ...] = ()
    lampiran_skema_pertanggungjawaban: tuple[str, ...] = ()
    lampiran_konsekuensi: tuple[str, ...] = ()
    tempat_tanggal: str | None = None  # e.g. "Bogor, 31 Januari 2026", above the signatures
    catatan: tuple[str, ...] = field(default_factory=tuple)
