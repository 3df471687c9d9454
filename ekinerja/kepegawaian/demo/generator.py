"""Demo rows in the pegawai import layout, so demo data is written the one way files are."""

from __future__ import annotations

import random

from ekinerja.kepegawaian.demo import catalogue as cat
from ekinerja.kepegawaian.demo.names import bupati_name
from ekinerja.kepegawaian.demo.organisasi import DemoUnit, build_organisation
from ekinerja.kepegawaian.demo.pegawai import (
    People,
    Person,
    Position,
    head_position,
    staff_position,
)
from ekinerja.kepegawaian.enums import JenisKepegawaian
from ekinerja.kepegawaian.importer import layout as col

MIN_PEGAWAI = 100  # fewer cannot staff even the smallest tree
VACANT_HEAD_SHARE = 0.04  # heads not filled, so that vacancy handling shows
_JENIS_STAFF = (
    (JenisKepegawaian.PNS, 72),
    (JenisKepegawaian.PPPK, 24),
    (JenisKepegawaian.PPPK_PARUH_WAKTU, 4),
)


def generate_demo_rows(pegawai: int, seed: int = 1) -> list[dict[str, str]]:
    """Rows for a kabupaten-like agency of exactly ``pegawai`` people; the same for a seed."""
    if pegawai < MIN_PEGAWAI:
        raise ValueError(f"a demo agency needs at least {MIN_PEGAWAI} pegawai (got {pegawai})")
    rng = random.Random(seed)
    kabupaten = rng.choice(cat.KABUPATEN)
    bupati = (bupati_name(rng), f"Bupati {kabupaten}")
    units = build_organisation(rng, pegawai, bupati)
    _staff(rng, units, pegawai)
    people = People(rng, f"{kabupaten.lower().replace(' ', '')}kab.go.id")
    rows: list[dict[str, str]] = []
    for unit in units:
        if unit.head and not unit.head_vacant:
            position = head_position(rng, unit.head.jenis, unit.head.jabatan, unit.head.jenjang)
            person = people.person(position, JenisKepegawaian.PNS, is_head=True)
            rows.append(_row(unit, position, person, JenisKepegawaian.PNS, head=True))
        for _ in range(unit.staff_count):
            jenis = _weighted_jenis(rng)
            position = staff_position(rng, unit.staff, jenis)
            rows.append(_row(unit, position, people.person(position, jenis), jenis, head=False))
    return rows


def _weighted_jenis(rng: random.Random) -> JenisKepegawaian:
    values, weights = zip(*_JENIS_STAFF, strict=True)
    return rng.choices(values, weights)[0]


def _staff(rng: random.Random, units: list[DemoUnit], pegawai: int) -> None:
    """Leave a few heads vacant, then share the pegawai that are not heads among the units in
    proportion to a 4–15 draw each (fewer for coordinating units). A unit without a head
    keeps at least one staff member, or it would not appear in the file at all."""
    for unit in units:
        unit.head_vacant = (
            unit.head is not None and unit.parent is not None and rng.random() < VACANT_HEAD_SHARE
        )
    minimum = [0 if unit.head and not unit.head_vacant else 1 for unit in units]
    heads = sum(1 for unit in units if unit.head and not unit.head_vacant)
    budget = pegawai - heads - sum(minimum)
    if budget < 0:
        raise ValueError(f"{pegawai} pegawai cannot staff {len(units)} units")
    draws = [rng.randint(*unit.staff_range) for unit in units]
    total = sum(draws) or 1
    shares = [draw * budget / total for draw in draws]
    counts = [low + int(share) for low, share in zip(minimum, shares, strict=True)]
    # Hand out what rounding down left over to the largest remainders, so the sum is exact.
    left = pegawai - heads - sum(counts)
    by_remainder = sorted(range(len(units)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for index in by_remainder[:left]:
        counts[index] += 1
    for unit, count in zip(units, counts, strict=True):
        unit.staff_count = count


def _row(
    unit: DemoUnit, position: Position, person: Person, jenis: JenisKepegawaian, head: bool
) -> dict[str, str]:
    penilai = unit.head.penilai_eksternal if head and unit.head else None
    return {
        col.NIP: person.nip,
        col.NIP_LAMA: person.nip_lama,
        col.NAMA: person.nama,
        col.GELAR_DEPAN: person.gelar_depan,
        col.GELAR_BELAKANG: person.gelar_belakang,
        col.JENIS_PEGAWAI: jenis.value,
        col.GOLONGAN: person.golongan,
        col.STATUS: person.status.value,
        col.EMAIL: person.email,
        col.UNOR_ID: unit.siasn_id,
        col.UNOR_NAMA: unit.nama,
        col.UNOR_ATASAN_ID: unit.parent.siasn_id if unit.parent else "",
        col.JABATAN_NAMA: position.jabatan,
        col.JENIS_JABATAN: position.jenis.value,
        col.JENJANG: position.jenjang.value if position.jenjang else "",
        col.KEPALA_UNIT: "Y" if head else "N",
        col.TMT_JABATAN: person.tmt_jabatan.isoformat(),
        col.PENILAI_EKSTERNAL_NAMA: penilai[0] if penilai else "",
        col.PENILAI_EKSTERNAL_JABATAN: penilai[1] if penilai else "",
    }
