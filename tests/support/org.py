"""Building small organisations for tests, directly through the models."""

from __future__ import annotations

import itertools
from datetime import date

from ekinerja.kepegawaian.enums import JenisJabatan, JenisKepegawaian, JenisPenugasan
from ekinerja.models.tenant import Jabatan, Pegawai, Penugasan, UnitKerja, UnitKerjaVersi

START = date(2026, 1, 1)
_serial = itertools.count(1)


def valid_nip(born: date = date(1985, 3, 14), sex: int = 1) -> str:
    """A valid NIP PNS, unique within a test run."""
    return f"{born:%Y%m%d}201001{sex}{next(_serial) % 1000:03d}"


class Org:
    """Creates units, positions and pegawai; must run inside a tenant binding."""

    async def unit(self, nama: str, parent: UnitKerja | None = None, since: date = START):
        unit = await UnitKerja.create(siasn_id=f"U-{nama}")
        await UnitKerjaVersi.create(unit=unit, nama=nama, parent=parent, berlaku_mulai=since)
        return unit

    async def jabatan(self, nama: str, unit: UnitKerja, *, head: bool = False, **fields):
        jenis = fields.pop("jenis", JenisJabatan.PENGAWAS if head else JenisJabatan.PELAKSANA)
        return await Jabatan.create(nama=nama, unit=unit, kepala_unit=head, jenis=jenis, **fields)

    async def pegawai(self, nama: str, jabatan: Jabatan | None = None, since: date = START):
        pegawai = await Pegawai.create(
            nip=valid_nip(),
            nama=nama,
            jenis_kepegawaian=JenisKepegawaian.PNS,
            golongan="III/a",
            tanggal_lahir=date(1985, 3, 14),
        )
        if jabatan is not None:
            await self.assign(pegawai, jabatan, since=since)
        return pegawai

    async def assign(
        self,
        pegawai: Pegawai,
        jabatan: Jabatan,
        since: date = START,
        jenis: JenisPenugasan = JenisPenugasan.DEFINITIF,
        until: date | None = None,
    ) -> Penugasan:
        return await Penugasan.create(
            pegawai=pegawai, jabatan=jabatan, jenis=jenis, berlaku_mulai=since, berlaku_sampai=until
        )

    async def end(self, pegawai: Pegawai, on: date) -> None:
        await Penugasan.filter(pegawai=pegawai, berlaku_sampai__isnull=True).update(
            berlaku_sampai=on
        )


async def grow_tree(org: Org, parent: UnitKerja, depth: int, width: int, staff: int, tag: str):
    """Below ``parent``: ``width`` units per level for ``depth`` levels, each with a head
    and ``staff`` pegawai. Returns the pegawai created."""
    created = []
    if depth == 0:
        return created
    for i in range(width):
        unit = await org.unit(f"Unit {tag}{i}", parent)
        head = await org.jabatan(f"Kepala Unit {tag}{i}", unit, head=True)
        created.append(await org.pegawai(f"Kepala {tag}{i}", head))
        post = await org.jabatan(f"Staf Unit {tag}{i}", unit)
        for s in range(staff):
            created.append(await org.pegawai(f"Staf {tag}{i}-{s}", post))
        created += await grow_tree(org, unit, depth - 1, width, staff, f"{tag}{i}.")
    return created
