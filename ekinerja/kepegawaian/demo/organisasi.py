"""The demo agency's unit tree, sized to the number of pegawai asked for.

Sekretariat Daerah (root, Sekretaris Daerah appraised by the Bupati)
├── Asisten (JPT Pratama) → Bagian (Administrator) → Subbagian (Pengawas)
└── Dinas / Badan / Inspektorat (JPT Pratama)
    ├── Sekretariat (Administrator) → Subbagian (Pengawas)
    └── Bidang (Administrator) → Seksi / Subbidang (Pengawas)
        └── UPT: UPTD Puskesmas (Pengawas) → Subbagian Tata Usaha, Puskesmas Pembantu
                 → Pos Kesehatan Desa (levels 5 and 6); schools; Balai Penyuluhan Pertanian

A small agency has a few perangkat daerah with two bidang each; a larger one gets more of each
from the catalogue, and UPT fill the rest, so that units average a head and 4–15 staff.
Puskesmas Pembantu and Pos Kesehatan Desa have no structural head: their staff answer to the
puskesmas. Beyond about 10,000 pegawai the catalogue is used up and the UPT layer widens.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ekinerja.kepegawaian.demo import catalogue as cat
from ekinerja.kepegawaian.enums import JenisJabatan, JenjangFungsional

AVERAGE_UNIT_SIZE = 10.5  # a head and 4–15 staff
COORDINATING = (0, 2)  # units whose work is done in their subunits: Setda, asisten, a dinas
WORKING = (4, 15)

_UPT_WEIGHTS = {"sd": 45, "smp": 15, "puskesmas": 25, "bpp": 15}


@dataclass(frozen=True)
class Head:
    jabatan: str
    jenis: JenisJabatan
    jenjang: JenjangFungsional | None = None
    penilai_eksternal: tuple[str, str] | None = None  # (nama, jabatan) of a NON-ASN penilai


@dataclass(frozen=True)
class StaffMix:
    """Who works in a unit besides its head: weighted jabatan fungsional, and the share of
    pelaksana among the staff."""

    fungsional: tuple[tuple[cat.Fungsional, int], ...]
    pelaksana_share: float


def _even(fungsional: tuple[cat.Fungsional, ...], pelaksana_share: float) -> StaffMix:
    return StaffMix(tuple((f, 1) for f in fungsional), pelaksana_share)


SETDA_STAFF = _even((*cat.GENERIC_FUNGSIONAL, cat.ANALIS_HUKUM), 0.55)
SEKRETARIAT_STAFF = _even(cat.GENERIC_FUNGSIONAL, 0.6)
TATA_USAHA_STAFF = _even((cat.ARSIPARIS, cat.PRANATA_KOMPUTER), 0.8)
PUSKESMAS_STAFF = StaffMix(cat.PUSKESMAS_STAFF, 0.15)
PUSTU_STAFF = StaffMix(cat.PUSTU_STAFF, 0.0)
SEKOLAH_STAFF = StaffMix(((cat.GURU, 1),), 0.12)
BPP_STAFF = StaffMix(((cat.PENYULUH_PERTANIAN, 4), (cat.POPT, 1)), 0.1)


@dataclass
class DemoUnit:
    siasn_id: str
    nama: str
    parent: DemoUnit | None
    head: Head | None
    staff: StaffMix
    staff_range: tuple[int, int]
    depth: int
    head_vacant: bool = False
    staff_count: int = 0
    children: list[DemoUnit] = field(default_factory=list)


class _Tree:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.units: list[DemoUnit] = []
        self._ids: set[str] = set()

    def _siasn_id(self) -> str:
        # SIASN's unor ids are 32 hex digits.
        while True:
            value = f"{self.rng.getrandbits(128):032X}"
            if value not in self._ids:
                self._ids.add(value)
                return value

    def add(
        self,
        nama: str,
        parent: DemoUnit | None,
        head: Head | None,
        staff: StaffMix,
        staff_range: tuple[int, int] = WORKING,
    ) -> DemoUnit:
        depth = parent.depth + 1 if parent else 1
        unit = DemoUnit(self._siasn_id(), nama, parent, head, staff, staff_range, depth)
        if parent:
            parent.children.append(unit)
        self.units.append(unit)
        return unit


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _head_of(unit_name: str, jenis: JenisJabatan) -> Head:
    if unit_name.startswith("Inspektorat Pembantu"):
        return Head(unit_name.replace("Inspektorat", "Inspektur", 1), jenis)
    return Head(f"Kepala {unit_name}", jenis)


def _roman(n: int) -> str:
    return (
        ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n] if n <= 10 else str(n)
    )


class _Upt:
    """Adds UPT one at a time below the bidang that run them, named after kecamatan."""

    def __init__(self, tree: _Tree, parents: dict[str, DemoUnit]) -> None:
        self.tree = tree
        self.parents = parents
        self.added = {kind: 0 for kind in _UPT_WEIGHTS}

    def kinds(self) -> list[str]:
        return [kind for kind in _UPT_WEIGHTS if kind in self.parents]

    def _place(self, kind: str) -> tuple[str, int]:
        """The kecamatan of the next UPT of ``kind``, and its number there (1, 2, …)."""
        index = self.added[kind]
        self.added[kind] += 1
        return cat.KECAMATAN[index % len(cat.KECAMATAN)], index // len(cat.KECAMATAN) + 1

    def add(self, kind: str, with_posko: bool = False) -> None:
        if kind == "puskesmas":
            self._puskesmas(with_posko)
        elif kind in ("sd", "smp"):
            self._sekolah(kind)
        else:
            kecamatan, number = self._place(kind)
            suffix = f" {_roman(number)}" if number > 1 else ""
            nama = f"UPTD Balai Penyuluhan Pertanian {kecamatan}{suffix}"
            self.tree.add(
                nama, self.parents[kind], _head_of(nama, JenisJabatan.PENGAWAS), BPP_STAFF
            )

    def _puskesmas(self, with_posko: bool) -> None:
        rng = self.tree.rng
        kecamatan, number = self._place("puskesmas")
        nama = f"UPTD Puskesmas {kecamatan}" + (f" {_roman(number)}" if number > 1 else "")
        puskesmas = self.tree.add(
            nama,
            self.parents["puskesmas"],
            _head_of(nama, JenisJabatan.PENGAWAS),
            PUSKESMAS_STAFF,
            (8, 15),
        )
        self.tree.add(
            f"Subbagian Tata Usaha {nama}",
            puskesmas,
            Head("Kepala Subbagian Tata Usaha", JenisJabatan.PENGAWAS),
            TATA_USAHA_STAFF,
            (2, 5),
        )
        for index, desa in enumerate(rng.sample(cat.DESA, rng.randint(1, 3))):
            pustu = self.tree.add(
                f"Puskesmas Pembantu {desa}", puskesmas, None, PUSTU_STAFF, (2, 4)
            )
            if (with_posko and index == 0) or rng.random() < 0.4:
                self.tree.add(f"Pos Kesehatan Desa {desa}", pustu, None, PUSTU_STAFF, (1, 2))

    def _sekolah(self, kind: str) -> None:
        kecamatan, number = self._place(kind)
        jenjang = (
            JenjangFungsional.AHLI_MADYA
            if self.tree.rng.random() < 0.6
            else JenjangFungsional.AHLI_MUDA
        )
        self.tree.add(
            f"{kind.upper()} Negeri {number} {kecamatan}",
            self.parents[kind],
            Head("Kepala Sekolah", JenisJabatan.FUNGSIONAL, jenjang),
            SEKOLAH_STAFF,
            (6, 15),
        )


def build_organisation(rng: random.Random, pegawai: int, bupati: tuple[str, str]) -> list[DemoUnit]:
    """The units, parents before children, for an agency of about ``pegawai`` people."""
    tree = _Tree(rng)
    root = tree.add(
        "Sekretariat Daerah",
        None,
        Head("Sekretaris Daerah", JenisJabatan.JPT_PRATAMA, penilai_eksternal=bupati),
        SETDA_STAFF,
        COORDINATING,
    )
    bagian_per_asisten = _clamp(1 + pegawai // 2000, 1, 3)
    subunits = 2 if pegawai < 3000 else 3
    for asisten, bagian_list in cat.ASISTEN:
        unit = tree.add(
            asisten, root, Head(asisten, JenisJabatan.JPT_PRATAMA), SETDA_STAFF, COORDINATING
        )
        for bagian in bagian_list[:bagian_per_asisten]:
            b = tree.add(
                bagian.nama, unit, _head_of(bagian.nama, JenisJabatan.ADMINISTRATOR), SETDA_STAFF
            )
            for sub in bagian.children[:subunits]:
                tree.add(sub, b, _head_of(sub, JenisJabatan.PENGAWAS), SETDA_STAFF)

    upt_parents: dict[str, DemoUnit] = {}
    perangkat_count = _clamp(2 + pegawai // 700, 2, len(cat.PERANGKAT))
    bidang_per_perangkat = _clamp(2 + pegawai // 4000, 2, 4)
    sekretariat_subunits = 1 if pegawai < 1500 else 2
    for perangkat in cat.PERANGKAT[:perangkat_count]:
        domain = _even(perangkat.fungsional, 0.4)
        opd = tree.add(
            perangkat.nama,
            root,
            Head(perangkat.kepala, JenisJabatan.JPT_PRATAMA),
            domain,
            COORDINATING,
        )
        if perangkat.sekretariat and perangkat.sekretaris:
            sekretariat = tree.add(
                perangkat.sekretariat,
                opd,
                Head(perangkat.sekretaris, JenisJabatan.ADMINISTRATOR),
                SEKRETARIAT_STAFF,
            )
            for sub in cat.SEKRETARIAT_SUBBAGIAN[:sekretariat_subunits]:
                tree.add(sub, sekretariat, _head_of(sub, JenisJabatan.PENGAWAS), SEKRETARIAT_STAFF)
        for bidang in perangkat.bidang[:bidang_per_perangkat]:
            unit = tree.add(
                bidang.nama, opd, _head_of(bidang.nama, JenisJabatan.ADMINISTRATOR), domain
            )
            for child in bidang.children[:subunits]:
                tree.add(child, unit, _head_of(child, JenisJabatan.PENGAWAS), domain)
            if bidang.upt:
                upt_parents[bidang.upt] = unit

    upt = _Upt(tree, upt_parents)
    upt.add("puskesmas", with_posko=True)  # every demo reaches six levels
    kinds = upt.kinds()
    weights = [_UPT_WEIGHTS[k] for k in kinds]
    while len(tree.units) < round(pegawai / AVERAGE_UNIT_SIZE):
        upt.add(rng.choices(kinds, weights)[0])
    return tree.units
