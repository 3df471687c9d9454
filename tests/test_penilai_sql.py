"""The pejabat penilai rule in SQL (kepegawaian/penilai_sql.py) answers exactly as the Python
resolution (atasan.resolve_penilai over load_view) does, and direct bawahan are its inverse.

Differential: on the organisations of tests/test_superiors.py and on seeded random ones that
exercise every rule (vacant heads, Plt/Plh, definitive over acting, explicit superior positions
and chains of them, overrides to a pegawai and to someone outside, units without a head
position, a pegawai acting in their own superior's seat, inactive and duplicate head positions,
mutasi and a unit moving on a date), every pegawai's penilai and every pegawai's direct
bawahan are compared on each date."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date

import pytest

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.atasan import (
    Penilai,
    PenilaiRule,
    load_view,
    resolve_chains,
    resolve_penilai,
)
from ekinerja.kepegawaian.bawahan import direct_bawahan_ids, direct_bawahan_page
from ekinerja.kepegawaian.enums import JenisJabatan, JenisPenugasan, PeranAtasan
from ekinerja.kepegawaian.pages import PageRequest
from ekinerja.kepegawaian.pengecualian_atasan import OverrideRequest, set_atasan_override
from ekinerja.kepegawaian.penilai_sql import direct_bawahan_sql, penilai_sql
from ekinerja.models.tenant import AtasanOverride, Pegawai, Penugasan, UnitKerjaVersi
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import START, Org
from tests.support.query_counter import count_queries
from tests.support.tenants import rolled_back
from tests.test_superiors import Agency, build

ON = date(2026, 3, 1)
MUTASI = date(2026, 7, 1)
DATES = (date(2026, 1, 15), ON, MUTASI, date(2026, 9, 1))


@pytest.fixture
async def bound(module_tenant):
    """Each test runs in one transaction of the module's tenant, rolled back after it: every
    test starts from the same untouched tenant, as with one of its own. (The test across
    two instansi commits, so it has tenants of its own.)"""
    async with rolled_back(module_tenant):
        yield Org()


async def python_penilai(people: list[int], on: date) -> dict[int, Penilai]:
    """Each pegawai resolved on their own, as the explanation of `atasan` is."""
    return {pid: resolve_penilai(await load_view([pid], on), pid) for pid in people}


async def sql_penilai(people: list[int], on: date) -> dict[int, int]:
    rows = await fetch(penilai_sql("SELECT unnest($2::int[])"), on, people)
    answer = {row["pegawai_id"]: row["penilai_id"] for row in rows}
    assert len(answer) == len(rows), "one penilai per pegawai"
    return answer


async def assert_sql_agrees(on: date) -> dict[int, Penilai]:
    """Every pegawai's penilai and everyone's direct bawahan on ``on``, SQL against Python.
    Returns the Python answers (for what the caller checks was exercised)."""
    people = [g.id for g in await Pegawai.all().order_by("nama", "id")]
    expected = await python_penilai(people, on)
    in_system = {p: e.pegawai_id for p, e in expected.items() if e.pegawai_id is not None}
    assert await sql_penilai(people, on) == in_system, on
    for superior in people:
        theirs = [p for p in people if in_system.get(p) == superior]  # by nama, id
        assert await direct_bawahan_ids(superior, on) == theirs, (on, superior)
    return expected


# ---------------------------------------------------------------- the shapes of test_superiors


async def _as_built(org: Org, a: Agency) -> None:
    pass


async def _vacant_kabid(org: Org, a: Agency) -> None:
    await org.end(a.kabid, date(2026, 2, 1))


async def _plt_in_kabid_seat(org: Org, a: Agency) -> None:
    await org.end(a.kabid, date(2026, 2, 1))
    await org.assign(a.pengganti, a.kabid_jabatan, since=date(2026, 2, 1), jenis=JenisPenugasan.PLT)


async def _plh_beside_definitive_kabid(org: Org, a: Agency) -> None:
    await org.assign(a.pengganti, a.kabid_jabatan, jenis=JenisPenugasan.PLH)


async def _mutasi(org: Org, a: Agency) -> None:
    moved_to = await org.jabatan("Pengelola Data", a.bidang)
    await org.end(a.staf, MUTASI)
    await org.assign(a.staf, moved_to, since=MUTASI)


async def _override_to_a_pegawai(org: Org, a: Agency) -> None:
    await set_atasan_override(
        OverrideRequest(
            a.staf.nip, PeranAtasan.PENILAI, date(2026, 2, 1), "Tim kerja", atasan_nip=a.analis.nip
        ),
        actor="admin",
    )


async def _override_outside(org: Org, a: Agency) -> None:
    await set_atasan_override(
        OverrideRequest(
            a.kasi.nip,
            PeranAtasan.PENILAI,
            date(2026, 2, 1),
            "Diperbantukan",
            eksternal_nama="Dr. Siti Aminah",
            eksternal_jabatan="Wakil Bupati",
        ),
        actor="admin",
    )


async def _kasi_acting_above_themself(org: Org, a: Agency) -> None:
    await org.end(a.kabid, date(2026, 2, 1))
    await org.assign(a.kasi, a.kabid_jabatan, since=date(2026, 2, 1), jenis=JenisPenugasan.PLT)


async def _unit_without_head(org: Org, a: Agency) -> None:
    pustu = await org.unit("Puskesmas Pembantu", a.seksi)
    await org.pegawai("Perawat", await org.jabatan("Perawat Terampil", pustu))


SHAPES: list[Callable[[Org, Agency], Awaitable[None]]] = [
    _as_built,
    _vacant_kabid,
    _plt_in_kabid_seat,
    _plh_beside_definitive_kabid,
    _mutasi,
    _override_to_a_pegawai,
    _override_outside,
    _kasi_acting_above_themself,
    _unit_without_head,
]


@pytest.mark.parametrize("shape", SHAPES, ids=[s.__name__.strip("_") for s in SHAPES])
async def test_sql_agrees_on_the_superiors_shapes(bound, shape):
    agency = await build(bound)
    await shape(bound, agency)
    for on in DATES:
        await assert_sql_agrees(on)


async def test_a_chain_of_explicit_positions_is_followed_to_its_end(bound):
    """Loading the view used to stop once no new unit was needed, leaving the last link of a
    chain of explicit superior positions unloaded: the walk then fell back to the unit tree
    (the kabid) instead of reaching the holder at the end of the chain."""
    a = await build(bound)
    ahli = await bound.jabatan("Tenaga Ahli", a.setda, jenis=JenisJabatan.FUNGSIONAL)
    tenaga_ahli = await bound.pegawai("Tenaga Ahli", ahli)
    ketua = await bound.jabatan("Ketua Tim", a.bidang, atasan_jabatan=ahli)  # vacant
    wakil = await bound.jabatan("Wakil Ketua Tim", a.bidang, atasan_jabatan=ketua)  # vacant
    anggota = await bound.pegawai(
        "Anggota", await bound.jabatan("Anggota Tim", a.bidang, atasan_jabatan=wakil)
    )
    penilai = (await resolve_chains([anggota.id], ON))[anggota.id].pejabat_penilai
    assert penilai.pegawai_id == tenaga_ahli.id
    assert penilai.rule is PenilaiRule.VACANCY_WALKED_UP
    assert await sql_penilai([anggota.id], ON) == {anggota.id: tenaga_ahli.id}
    assert await direct_bawahan_ids(tenaga_ahli.id, ON) == [anggota.id]


async def test_the_kabid_team_in_one_statement_ordered_by_name(bound):
    a = await build(bound)
    # Two more in the kabid's team: one named before everyone, one sharing the kasi's name.
    pengelola = await bound.jabatan("Pengelola Bidang", a.bidang)
    first = await bound.pegawai("Ade", pengelola)
    namesake = await bound.pegawai("Kasi", pengelola)
    with count_queries() as statements:
        team = await direct_bawahan_ids(a.kabid.id, ON)
    assert len(statements) == 1, statements
    assert team == [first.id, a.kasi.id, namesake.id]  # by nama, then id
    with count_queries() as statements:
        page = await direct_bawahan_page(a.kabid.id, ON, PageRequest(first=2))
    assert len(statements) == 1, statements
    assert [row["id"] for row in page.rows] == [first.id, a.kasi.id]
    assert page.has_next_page


async def test_embeds_in_a_larger_statement_with_the_superior_a_column(bound):
    a = await build(bound)
    rows = await fetch(
        f"""SELECT s.id, (SELECT count(*) FROM pegawai g
                          WHERE g.id IN ({direct_bawahan_sql("s.id")})) AS team
            FROM pegawai s WHERE s.id = ANY($2::int[]) ORDER BY s.id""",
        ON,
        [a.kasi.id, a.kadis.id, a.pengganti.id],
    )
    # kasi: the staf; kadis: the kabid and the analis (explicitly); pengganti: nobody.
    assert [(r["id"], r["team"]) for r in rows] == [
        (a.kadis.id, 2),
        (a.kasi.id, 1),
        (a.pengganti.id, 0),
    ]


async def test_another_tenant_sees_none_of_the_team(tenant, other_tenant):
    async with tenant_transaction(as_bound(tenant)):
        a = await build(Org())
        assert await direct_bawahan_ids(a.kabid.id, ON) == [a.kasi.id]
    async with tenant_transaction(as_bound(other_tenant)):
        assert await direct_bawahan_ids(a.kabid.id, ON) == []


# ---------------------------------------------------------------- random organisations


class RandomAgency:
    """A seeded random agency: a unit tree four levels deep with every rule's situation,
    some by chance and one of each on purpose. Names repeat, so (nama, id) order matters."""

    NAMES = ("Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi")

    def __init__(self, org: Org, seed: int) -> None:
        self.org = org
        self.rng = random.Random(seed)
        self.tag = f"S{seed}"
        self.units: list[tuple[object, int]] = []  # (unit, depth), parents before children
        self.parent: dict[int, int | None] = {}
        self.heads: dict[int, object] = {}  # unit id → head jabatan
        self.staff_posts: list[object] = []
        self.people: list[Pegawai] = []
        self.on_purpose: list[Pegawai] = []  # left alone by the random overrides and mutasi
        self.serial = 0

    def name(self) -> str:
        self.serial += 1
        return f"{self.rng.choice(self.NAMES)} {self.serial % 3}"

    async def person(self, jabatan=None, **assign) -> Pegawai:
        pegawai = await self.org.pegawai(self.name())
        if jabatan is not None:
            await self.org.assign(pegawai, jabatan, **assign)
        self.people.append(pegawai)
        return pegawai

    async def build(self) -> None:
        await self._units()
        for unit, depth in self.units:
            await self._positions(unit, depth)
        await self._explicit_chain()
        await self._acting_above_themself()
        await self._outside_the_tree()
        await self._explicit_cycle()
        await self._overrides()
        await self._mutasi()
        await self.org.pegawai("Tanpa Jabatan")  # no position: NONE

    async def _units(self) -> None:
        root = await self.org.unit(f"{self.tag} Setda")
        self.units.append((root, 0))
        self.parent[root.id] = None
        i = 0
        while i < len(self.units):
            unit, depth = self.units[i]
            i += 1
            if depth == 3:
                continue
            for k in range(self.rng.randint(1, 3 if depth < 2 else 2)):
                child = await self.org.unit(f"{self.tag} U{unit.id}-{k}", unit)
                self.units.append((child, depth + 1))
                self.parent[child.id] = unit.id

    async def _positions(self, unit, depth: int) -> None:
        rng, org = self.rng, self.org
        if depth > 0 and rng.random() < 0.3:
            # An inactive head position, older than the real one: never the head.
            await org.jabatan(f"Kepala lama {unit.id}", unit, head=True, aktif=False)
        headless = depth > 0 and rng.random() < 0.2
        if not headless:
            extra = {}
            if depth == 0:
                extra = {"penilai_eksternal_nama": "Bupati", "penilai_eksternal_jabatan": "Bupati"}
            head = await org.jabatan(f"Kepala {unit.id}", unit, head=True, **extra)
            self.heads[unit.id] = head
            if rng.random() < 0.1:  # a second active head position: the lowest id heads
                second = await org.jabatan(f"Kepala kedua {unit.id}", unit, head=True)
                await self.person(second)
            roll = rng.random()
            if depth == 0:  # the agency's head (EXTERNAL above), with a Plh beside them
                self.on_purpose.append(await self.person(head))
                self.on_purpose.append(await self.person(head, jenis=JenisPenugasan.PLH))
            elif roll < 0.6:
                await self.person(head)
                if rng.random() < 0.2:  # definitive over acting
                    await self.person(head, jenis=JenisPenugasan.PLH)
            elif roll < 0.8:
                acting = rng.choice([JenisPenugasan.PLT, JenisPenugasan.PLH])
                await self.person(head, jenis=acting)
            # else vacant
        for k in range(rng.randint(1, 2)):
            post = await org.jabatan(f"Staf {unit.id}-{k}", unit)
            self.staff_posts.append(post)
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                await self.person(post)
        if rng.random() < 0.35 and self.heads:
            target = rng.choice(list(self.heads.values()))
            fungsional = await org.jabatan(
                f"Analis {unit.id}", unit, jenis=JenisJabatan.FUNGSIONAL, atasan_jabatan=target
            )
            await self.person(fungsional)

    async def _explicit_chain(self) -> None:
        """Three positions reporting explicitly one to the next, the middle two vacant, in a
        unit already loaded for the first: the walk must follow every link."""
        org, root = self.org, self.units[0][0]
        deep = self.units[-1][0]
        top = await org.jabatan(f"{self.tag} Tenaga Ahli", root, jenis=JenisJabatan.FUNGSIONAL)
        await self.person(top)
        middle = await org.jabatan(
            f"{self.tag} Koordinator", deep, jenis=JenisJabatan.FUNGSIONAL, atasan_jabatan=top
        )
        lower = await org.jabatan(
            f"{self.tag} Subkoordinator", deep, jenis=JenisJabatan.FUNGSIONAL, atasan_jabatan=middle
        )
        staf = await org.jabatan(f"{self.tag} Pelaksana Tim", deep, atasan_jabatan=lower)
        self.on_purpose.append(await self.person(staf))

    async def _acting_above_themself(self) -> None:
        """A unit whose vacant head seat is held (Plt) by one of its own staff, with a unit
        below it whose staff that Plt appraises."""
        org, root = self.org, self.units[0][0]
        unit = await org.unit(f"{self.tag} Bagian Umum", root)
        seat = await org.jabatan(f"{self.tag} Kepala Bagian Umum", unit, head=True)
        staf = await self.person(await org.jabatan(f"{self.tag} Staf Bagian Umum", unit))
        await org.assign(staf, seat, jenis=JenisPenugasan.PLT)
        self.on_purpose.append(staf)
        below = await org.unit(f"{self.tag} Subbagian", unit)
        self.subbagian = await self.person(await org.jabatan(f"{self.tag} Staf Subbagian", below))
        self.on_purpose.append(self.subbagian)

    async def _outside_the_tree(self) -> None:
        """A second root whose head has no penilai recorded (NONE at the top), its seat also
        given later to a Plh whose own position stays their definitive one; and a fungsional
        reporting explicitly to the agency's head."""
        org = self.org
        inspektorat = await org.unit(f"{self.tag} Inspektorat")
        inspektur = await org.jabatan(f"{self.tag} Inspektur", inspektorat, head=True)
        await self.person(inspektur)
        await org.assign(self.subbagian, inspektur, jenis=JenisPenugasan.PLH)
        ahli = await org.jabatan(
            f"{self.tag} Staf Ahli",
            self.units[0][0],
            jenis=JenisJabatan.FUNGSIONAL,
            atasan_jabatan=self.heads[self.units[0][0].id],
        )
        self.on_purpose.append(await self.person(ahli))
        await self._beside_the_agency_head(inspektur)

    async def _beside_the_agency_head(self, inspektur) -> None:
        """Two units under the agency's: one whose head reports explicitly to the Inspektur
        instead, and one whose head seat someone from elsewhere also acts in (Plh): neither
        the explicit head nor the Plh, whose own position is elsewhere, is the agency head's."""
        org, root = self.org, self.units[0][0]
        khusus = await org.unit(f"{self.tag} Staf Khusus", root)
        seat = await org.jabatan(
            f"{self.tag} Kepala Staf Khusus", khusus, head=True, atasan_jabatan=inspektur
        )
        self.on_purpose.append(await self.person(seat))
        protokol = await org.unit(f"{self.tag} Protokol", root)
        seat = await org.jabatan(f"{self.tag} Kepala Protokol", protokol, head=True)
        self.on_purpose.append(await self.person(seat))
        await org.assign(self.subbagian, seat, jenis=JenisPenugasan.PLH)

    async def _explicit_cycle(self) -> None:
        """Two positions reporting explicitly to each other (a data error the walk must end):
        the first held by one pegawai and acted in (Plt) by another, the second vacant. Going
        round, the acting pegawai meets the first again: the top, not its holder."""
        org, unit = self.org, self.units[-1][0]
        first = await org.jabatan(f"{self.tag} Ketua Tim", unit, jenis=JenisJabatan.FUNGSIONAL)
        second = await org.jabatan(
            f"{self.tag} Wakil Ketua Tim", unit, jenis=JenisJabatan.FUNGSIONAL, atasan_jabatan=first
        )
        first.atasan_jabatan = second
        await first.save()
        self.on_purpose.append(await self.person(first))
        self.on_purpose.append(await self.person(first, jenis=JenisPenugasan.PLT))

    def _by_chance(self) -> list[Pegawai]:
        return [p for p in self.people if p not in self.on_purpose]

    async def _overrides(self) -> None:
        rng = self.rng
        subjects = rng.sample(self._by_chance(), 4)
        to_pegawai, outside, replaced, ending = subjects
        others = [p for p in self.people if p not in subjects]
        await self._override(to_pegawai, START, atasan=rng.choice(others))
        await self._override(outside, START, eksternal_nama="Inspektur Provinsi")
        await self._override(replaced, START, atasan=rng.choice(others))
        await self._override(replaced, date(2026, 2, 1), atasan=rng.choice(others))
        await self._override(ending, START, atasan=rng.choice(others), until=MUTASI)

    async def _override(self, pegawai, since, atasan=None, eksternal_nama=None, until=None):
        await AtasanOverride.create(
            pegawai=pegawai,
            peran=PeranAtasan.PENILAI,
            atasan=atasan,
            eksternal_nama=eksternal_nama,
            berlaku_mulai=since,
            berlaku_sampai=until,
            alasan="acak",
            dibuat_oleh="test",
        )

    async def _mutasi(self) -> None:
        """From MUTASI: some pegawai move to another post, a head leaves (a vacancy appears),
        a unit hangs under the root instead, and a unit's last version ends."""
        rng, org = self.rng, self.org
        movers = rng.sample(self._by_chance(), max(2, len(self.people) // 8))
        for pegawai in movers:
            await org.end(pegawai, MUTASI)
            await org.assign(pegawai, rng.choice(self.staff_posts), since=MUTASI)
        filled = await Penugasan.filter(
            jabatan__kepala_unit=True, jenis=JenisPenugasan.DEFINITIF, berlaku_sampai=None
        ).exclude(jabatan__unit_id=self.units[0][0].id)
        if filled:
            leaving = rng.choice(filled)
            leaving.berlaku_sampai = MUTASI
            await leaving.save()
        deep = [u for u, d in self.units if d >= 2]
        if deep:
            moved = rng.choice(deep)
            await UnitKerjaVersi.filter(unit_id=moved.id).update(berlaku_sampai=MUTASI)
            await UnitKerjaVersi.create(
                unit=moved, nama="dipindah", parent=self.units[0][0], berlaku_mulai=MUTASI
            )
        leaf = self.units[-2][0]
        await UnitKerjaVersi.filter(unit_id=leaf.id).update(berlaku_sampai=MUTASI)


@pytest.mark.parametrize("seed", range(6))
async def test_sql_agrees_on_random_agencies(bound, seed):
    agency = RandomAgency(bound, seed)
    await agency.build()
    rules: Counter[PenilaiRule] = Counter()
    themselves = 0
    answers = []
    for on in (ON, date(2026, 8, 1)):
        expected = await assert_sql_agrees(on)
        rules.update(p.rule for p in expected.values())
        themselves += sum(
            any("held by the pegawai themself" in s for s in p.explanation)
            for p in expected.values()
        )
        answers.append({pid: p.pegawai_id for pid, p in expected.items()})
    # The comparison means something only if every path of the rule was taken.
    assert set(rules) == set(PenilaiRule), rules
    assert themselves > 0
    assert answers[0] != answers[1], "the mutasi changed somebody's penilai"
