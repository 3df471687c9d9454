"""Who appraises a pegawai on a date (pejabat penilai), who is above that appraiser (atasan
pejabat penilai), and why.

A wrong superior is the most common complaint about today's e-Kinerja, so every answer carries
the rule that decided it and the steps that led there. The rules, in order:

1. An admin override for the pegawai in force on the date decides (OVERRIDE).
2. Otherwise start from the pegawai's own position on the date (definitive, else acting):
   its explicit superior position if one is set (POSITION_OVERRIDE), else the head of its unit,
   or, for a unit head, the head of the nearest unit above (UNIT_HEAD).
3. A vacant position (or one held by the pegawai themself) walks upward to its own superior
   position (VACANCY_WALKED_UP); a position without a definitive holder is held by its Plt,
   else its Plh (ACTING).
4. Above the top position the penilai is outside the system: the NON-ASN official recorded on
   that position (EXTERNAL), or nobody (NONE).

The atasan pejabat penilai is the penilai's own penilai, unless an ATASAN_PENILAI override for
the pegawai decides; an external penilai has no atasan in the system.

Loading is set-based: ``resolve_chains`` answers for any number of pegawai in a handful of
queries; ``resolve_penilai`` is a pure function over the loaded ``OrgView``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.enums import JenisPenugasan, PeranAtasan
from ekinerja.kepegawaian.sql import HOLDER_ORDER as _HOLDER_ORDER
from ekinerja.kepegawaian.sql import UNITS_AT, in_force


class PenilaiRule(StrEnum):
    OVERRIDE = "OVERRIDE"
    POSITION_OVERRIDE = "POSITION_OVERRIDE"
    UNIT_HEAD = "UNIT_HEAD"
    ACTING = "ACTING"
    VACANCY_WALKED_UP = "VACANCY_WALKED_UP"
    EXTERNAL = "EXTERNAL"
    NONE = "NONE"


@dataclass(frozen=True)
class Position:
    id: int
    nama: str
    unit_id: int
    kepala_unit: bool
    atasan_jabatan_id: int | None
    penilai_eksternal_nama: str | None
    penilai_eksternal_jabatan: str | None


@dataclass(frozen=True)
class Holder:
    pegawai_id: int
    nama: str
    nip: str
    jenis: JenisPenugasan


@dataclass(frozen=True)
class Override:
    id: int
    peran: PeranAtasan
    atasan_id: int | None
    eksternal_nama: str | None
    eksternal_jabatan: str | None
    alasan: str
    dibuat_oleh: str
    berlaku_mulai: date


@dataclass(frozen=True)
class Unit:
    id: int
    nama: str
    parent_id: int | None
    head: Position | None


@dataclass
class OrgView:
    """Everything resolution reads, as of one date."""

    tanggal: date
    units: dict[int, Unit] = field(default_factory=dict)
    positions: dict[int, Position] = field(default_factory=dict)
    holders: dict[int, Holder] = field(default_factory=dict)
    own_position: dict[int, tuple[Position, JenisPenugasan]] = field(default_factory=dict)
    overrides: dict[tuple[int, PeranAtasan], Override] = field(default_factory=dict)


@dataclass(frozen=True)
class Penilai:
    """A resolved appraiser: a pegawai of the tenant, or someone outside it named by text."""

    rule: PenilaiRule
    explanation: tuple[str, ...]
    pegawai_id: int | None = None
    nama_eksternal: str | None = None
    jabatan_eksternal: str | None = None

    @property
    def is_external(self) -> bool:
        return self.pegawai_id is None and self.nama_eksternal is not None


@dataclass(frozen=True)
class RantaiAtasan:
    pejabat_penilai: Penilai
    atasan_pejabat_penilai: Penilai | None


# ---------------------------------------------------------------- pure resolution


def superior_position(view: OrgView, position: Position) -> tuple[Position | None, str]:
    """The position ``position`` reports to, and how that was decided."""
    if position.atasan_jabatan_id is not None:
        target = view.positions.get(position.atasan_jabatan_id)
        if target is not None:
            return target, f"{position.nama} reports to {target.nama} (explicit setting)"
    unit = view.units.get(position.unit_id)
    unit_id = (unit.parent_id if position.kepala_unit else position.unit_id) if unit else None
    while unit_id is not None:
        unit = view.units.get(unit_id)
        if unit is None:
            break
        if unit.head is not None and unit.head.id != position.id:
            return unit.head, f"{unit.head.nama} heads {unit.nama}"
        unit_id = unit.parent_id
    return None, f"{position.nama} is the top position"


def _from_override(override: Override) -> Penilai:
    step = (
        f"admin override #{override.id} by {override.dibuat_oleh} in force since "
        f"{override.berlaku_mulai.isoformat()}: {override.alasan}"
    )
    return Penilai(
        PenilaiRule.OVERRIDE,
        (step,),
        pegawai_id=override.atasan_id,
        nama_eksternal=override.eksternal_nama,
        jabatan_eksternal=override.eksternal_jabatan,
    )


def resolve_penilai(view: OrgView, pegawai_id: int) -> Penilai:
    override = view.overrides.get((pegawai_id, PeranAtasan.PENILAI))
    if override is not None:
        return _from_override(override)
    own = view.own_position.get(pegawai_id)
    if own is None:
        return Penilai(PenilaiRule.NONE, (f"no position held on {view.tanggal.isoformat()}",))
    position, jenis = own
    unit = view.units.get(position.unit_id)
    steps = [
        f"holds {position.nama}"
        + (f" in {unit.nama}" if unit else "")
        + ("" if jenis is JenisPenugasan.DEFINITIF else f" ({jenis.value})")
    ]
    explicit = position.atasan_jabatan_id is not None
    walked = False
    current = position
    seen: set[int] = {position.id}
    while True:
        superior, how = superior_position(view, current)
        steps.append(how)
        if superior is None or superior.id in seen:
            return _top_of_agency(current, steps)
        seen.add(superior.id)
        holder = view.holders.get(superior.id)
        if holder is not None and holder.pegawai_id != pegawai_id:
            steps.append(f"{superior.nama} is held by {holder.nama} ({holder.jenis.value})")
            if holder.jenis is not JenisPenugasan.DEFINITIF:
                rule = PenilaiRule.ACTING
            elif walked:
                rule = PenilaiRule.VACANCY_WALKED_UP
            elif explicit and current is position:
                rule = PenilaiRule.POSITION_OVERRIDE
            else:
                rule = PenilaiRule.UNIT_HEAD
            return Penilai(rule, tuple(steps), pegawai_id=holder.pegawai_id)
        steps.append(
            f"{superior.nama} is held by the pegawai themself; going up"
            if holder is not None
            else f"{superior.nama} is vacant; going up"
        )
        walked = True
        current = superior


def _top_of_agency(top: Position, steps: list[str]) -> Penilai:
    if top.penilai_eksternal_nama:
        steps.append(
            f"above {top.nama} the penilai is outside the system: "
            f"{top.penilai_eksternal_nama} ({top.penilai_eksternal_jabatan or 'NON-ASN'})"
        )
        return Penilai(
            PenilaiRule.EXTERNAL,
            tuple(steps),
            nama_eksternal=top.penilai_eksternal_nama,
            jabatan_eksternal=top.penilai_eksternal_jabatan,
        )
    steps.append("no penilai is recorded above the top position")
    return Penilai(PenilaiRule.NONE, tuple(steps))


# ---------------------------------------------------------------- loading


def _position(row: dict, prefix: str = "") -> Position:
    return Position(
        id=row[f"{prefix}id"],
        nama=row[f"{prefix}nama"],
        unit_id=row[f"{prefix}unit_id"],
        kepala_unit=row[f"{prefix}kepala_unit"],
        atasan_jabatan_id=row[f"{prefix}atasan_jabatan_id"],
        penilai_eksternal_nama=row[f"{prefix}penilai_eksternal_nama"],
        penilai_eksternal_jabatan=row[f"{prefix}penilai_eksternal_jabatan"],
    )


_POSITION_COLUMNS = (
    "j.id, j.nama, j.unit_id, j.kepala_unit, j.atasan_jabatan_id, "
    "j.penilai_eksternal_nama, j.penilai_eksternal_jabatan"
)


async def load_view(pegawai_ids: list[int], on: date) -> OrgView:
    """Load what resolving ``pegawai_ids`` on ``on`` needs, in a bounded number of queries:
    their positions and overrides, then the unit chains above every position involved with
    each unit's head and each head's holder (repeated only while explicit superior positions
    lead to units not yet loaded)."""
    view = OrgView(tanggal=on)
    rows = await fetch(
        f"""SELECT DISTINCT ON (p.pegawai_id) p.pegawai_id, p.jenis AS penugasan_jenis,
                   {_POSITION_COLUMNS}
            FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
            WHERE p.pegawai_id = ANY($2::int[]) AND {in_force("p")}
            ORDER BY p.pegawai_id, {_HOLDER_ORDER}""",
        on,
        pegawai_ids,
    )
    for row in rows:
        position = _position(row)
        view.positions[position.id] = position
        view.own_position[row["pegawai_id"]] = (position, JenisPenugasan(row["penugasan_jenis"]))
    for row in await fetch(
        f"""SELECT * FROM atasan_override o WHERE o.pegawai_id = ANY($2::int[]) AND {in_force("o")}
            ORDER BY o.berlaku_mulai DESC, o.id DESC""",
        on,
        pegawai_ids,
    ):
        key = (row["pegawai_id"], PeranAtasan(row["peran"]))
        view.overrides.setdefault(
            key,
            Override(
                id=row["id"],
                peran=key[1],
                atasan_id=row["atasan_id"],
                eksternal_nama=row["eksternal_nama"],
                eksternal_jabatan=row["eksternal_jabatan"],
                alasan=row["alasan"],
                dibuat_oleh=row["dibuat_oleh"],
                berlaku_mulai=row["berlaku_mulai"],
            ),
        )
    await _load_structure(view)
    return view


async def _load_structure(view: OrgView) -> None:
    """Load unit chains until every loaded position's unit and explicit superior position is
    in the view. Usually one round; explicit superiors pointing elsewhere add one each, until
    a round finds nothing new (a target whose unit is already loaded may itself have one)."""
    asked_positions: set[int] = set()
    asked_units: set[int] = set()  # a unit not in force on the date is asked for once
    for _ in range(20):  # explicit-superior chains deeper than this are a data error
        missing = _explicit_targets(view) - set(view.positions) - asked_positions
        if missing:
            asked_positions |= missing
            for row in await fetch(
                f"SELECT {_POSITION_COLUMNS} FROM jabatan j WHERE j.id = ANY($1::int[])",
                list(missing),
            ):
                position = _position(row)
                view.positions[position.id] = position
        units_needed = {p.unit_id for p in view.positions.values()} - set(view.units)
        units_needed -= asked_units
        if units_needed:
            asked_units |= units_needed
            await _load_unit_chains(view, units_needed)
        elif not missing:
            break
    await _load_holders(view)


async def _load_unit_chains(view: OrgView, unit_ids: set[int]) -> None:
    rows = await fetch(
        f"""WITH RECURSIVE {UNITS_AT},
        chain AS (
          SELECT u.id, u.nama, u.parent_id, 0 AS depth FROM units_at u WHERE u.id = ANY($2::int[])
          UNION
          SELECT u.id, u.nama, u.parent_id, chain.depth + 1
          FROM chain JOIN units_at u ON u.id = chain.parent_id WHERE chain.depth < 100
        ),
        heads AS (
          SELECT DISTINCT ON (j.unit_id) {_POSITION_COLUMNS}
          FROM jabatan j WHERE j.kepala_unit AND j.aktif AND j.unit_id IN (SELECT id FROM chain)
          ORDER BY j.unit_id, j.id
        )
        SELECT DISTINCT ON (c.id) c.id AS chain_unit_id, c.nama AS chain_unit_nama,
               c.parent_id AS chain_parent_id,
               h.id, h.nama, h.unit_id, h.kepala_unit, h.atasan_jabatan_id,
               h.penilai_eksternal_nama, h.penilai_eksternal_jabatan
        FROM chain c LEFT JOIN heads h ON h.unit_id = c.id
        ORDER BY c.id""",
        view.tanggal,
        list(unit_ids),
    )
    for row in rows:
        # A unit without a head has NULL head columns; its own columns carry distinct names so
        # the head's `unit_id` can never shadow them.
        head = _position(row) if row["id"] is not None else None
        if head is not None:
            view.positions.setdefault(head.id, head)
        unit_id = row["chain_unit_id"]
        view.units[unit_id] = Unit(unit_id, row["chain_unit_nama"], row["chain_parent_id"], head)


async def _load_holders(view: OrgView) -> None:
    targets = _explicit_targets(view)
    wanted = [pid for pid, p in view.positions.items() if p.kepala_unit or pid in targets]
    rows = await fetch(
        f"""SELECT DISTINCT ON (p.jabatan_id) p.jabatan_id, p.pegawai_id, p.jenis, g.nama, g.nip
            FROM penugasan p JOIN pegawai g ON g.id = p.pegawai_id
            WHERE p.jabatan_id = ANY($2::int[]) AND {in_force("p")}
            ORDER BY p.jabatan_id, {_HOLDER_ORDER}""",
        view.tanggal,
        wanted,
    )
    for row in rows:
        view.holders[row["jabatan_id"]] = Holder(
            row["pegawai_id"], row["nama"], row["nip"], JenisPenugasan(row["jenis"])
        )


def _explicit_targets(view: OrgView) -> set[int]:
    return {p.atasan_jabatan_id for p in view.positions.values() if p.atasan_jabatan_id}


async def resolve_chains(pegawai_ids: list[int], on: date) -> dict[int, RantaiAtasan]:
    """Pejabat penilai and atasan pejabat penilai of each pegawai on ``on``."""
    view = await load_view(pegawai_ids, on)
    penilai = {pid: resolve_penilai(view, pid) for pid in pegawai_ids}
    second = sorted(
        {p.pegawai_id for p in penilai.values() if p.pegawai_id is not None} - set(pegawai_ids)
    )
    if second:
        extra = await load_view(second, on)
        _merge(view, extra)
    chains: dict[int, RantaiAtasan] = {}
    for pid, first in penilai.items():
        override = view.overrides.get((pid, PeranAtasan.ATASAN_PENILAI))
        if override is not None:
            above = _from_override(override)
        elif first.pegawai_id is None:
            above = None  # external or nobody: nothing above in the system
        else:
            above = resolve_penilai(view, first.pegawai_id)
        chains[pid] = RantaiAtasan(first, above)
    return chains


def _merge(view: OrgView, other: OrgView) -> None:
    view.units.update(other.units)
    view.positions.update(other.positions)
    view.holders.update(other.holders)
    view.own_position.update(other.own_position)
    for key, value in other.overrides.items():
        if key[1] is PeranAtasan.PENILAI:
            view.overrides.setdefault(key, value)
