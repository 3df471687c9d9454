"""`described_enum` (ekinerja/schema/enum_descriptions.py): a domain StrEnum wrapped for the
schema with a description on every value, and refused when a member has none (issue 16,
item 7). No database."""

from __future__ import annotations

from enum import StrEnum

import pytest
import strawberry

from ekinerja.schema.enum_descriptions import described_enum


class Warna(StrEnum):
    MERAH = "MERAH"
    HIJAU = "HIJAU"


class Arah(StrEnum):
    NAIK = "NAIK"
    TURUN = "TURUN"


WarnaDescribed = described_enum(
    Warna,
    description="A colour.",
    values={Warna.MERAH: "Merah: red.", Warna.HIJAU: "Hijau: green."},
)


@strawberry.type
class Query:
    warna: WarnaDescribed = Warna.MERAH


def test_every_value_carries_its_description_into_the_sdl():
    sdl = strawberry.Schema(query=Query).as_str()
    assert '"""A colour."""\nenum Warna {' in sdl
    assert '"""Merah: red."""\n  MERAH' in sdl
    assert '"""Hijau: green."""\n  HIJAU' in sdl


def test_a_member_without_a_description_is_refused_at_import():
    with pytest.raises(ValueError, match="Arah: no description for TURUN"):
        described_enum(Arah, description="A direction.", values={Arah.NAIK: "Up."})
    with pytest.raises(ValueError, match="no description for NAIK"):
        described_enum(Arah, description="A direction.", values={Arah.NAIK: " ", Arah.TURUN: "x"})
