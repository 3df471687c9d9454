"""GraphQL types of SKP planning."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.schema.context import Info
from ekinerja.schema.ids import parse_id
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.permissions import appraisers_of, ensure_allowed
from ekinerja.schema.skp import dataloaders as dl
from ekinerja.skp import berakhlak, cascade, direct_cascading, enums, revision_links
from ekinerja.skp.formatting import format_target, plain
from ekinerja.skp.rhk_atasan import RhkPilihan

if TYPE_CHECKING:
    from ekinerja.schema.pelaksanaan.types import RollUpIndikator, RollUpRhk

_PELAKSANAAN = "ekinerja.schema.pelaksanaan.types"
StatusSkp = strawberry.enum(enums.StatusSkp)
PendekatanSkp = strawberry.enum(enums.PendekatanSkp)
JenisFormSkp = strawberry.enum(enums.JenisFormSkp)
JenisRhk = strawberry.enum(enums.JenisRhk)
KlasifikasiRhk = strawberry.enum(enums.KlasifikasiRhk)
AspekIki = strawberry.enum(enums.AspekIki)
PerspektifJpt = strawberry.enum(enums.PerspektifJpt)
StatusIntervensi = strawberry.enum(
    revision_links.StatusIntervensi,
    description="A link to a superior's RHK across their revisions (decision 0019).",
)


@strawberry.type(description="A person as printed on the SKP when it was made.")
class SnapshotOrang:
    nama: str | None
    nip: str | None
    pangkat: str | None
    golongan: str | None
    jabatan: str | None
    unit: str | None
    status_penilai: str | None = strawberry.field(description="ASN or NON_ASN.")

    @classmethod
    def of(cls, snapshot: dict | None) -> SnapshotOrang | None:
        if not snapshot:
            return None
        return cls(
            nama=snapshot.get("nama"),
            nip=snapshot.get("nip"),
            pangkat=snapshot.get("pangkat"),
            golongan=snapshot.get("golongan"),
            jabatan=snapshot.get("jabatan"),
            unit=snapshot.get("unit"),
            status_penilai=snapshot.get("status"),
        )


@strawberry.type(description="A BerAKHLAK value with its guides and the leader's expectation.")
class PerilakuKerja:
    kode: str
    nama: str
    makna: str
    panduan: list[str]
    ekspektasi: str | None = strawberry.field(description="Ekspektasi khusus pimpinan.")


def perilaku_list(expectations: dict[str, str]) -> list[PerilakuKerja]:
    return [
        PerilakuKerja(
            kode=n.kode,
            nama=n.nama,
            makna=n.makna,
            panduan=list(n.panduan),
            ekspektasi=expectations.get(n.kode),
        )
        for n in berakhlak.NILAI
    ]


async def ensure_may_read_execution(info: Info, skp_id: int) -> None:
    """Execution and assessment data follow their SKP's owner (`skp:read`) wherever they are
    reached: an RHK is readable instansi-wide (`rhk:read`), what was realised for it is not.
    Loaders, so a list of RHK asking for this costs a batch, not a query each."""
    skp = await info.context.loader(dl.skp_by_id).load(skp_id)
    await ensure_allowed(
        info,
        Operation.READ_SKP,
        skp.pegawai_id if skp else -1,
        appraisers=appraisers_of(skp) if skp else (),
    )


DasarPembagian = strawberry.enum(enums.DasarPembagian)
StatusPembagian = strawberry.enum(direct_cascading.StatusPembagian)


@strawberry.type(description="One part of a superior's indikator in direct cascading.")
class BagianTarget:
    target: Decimal | None
    satuan: str | None
    dasar_pembagian: DasarPembagian | None
    wilayah: str | None
    part: strawberry.Private[direct_cascading.Bagian]

    @strawberry.field
    async def indikator(self, info: Info) -> Indikator | None:
        row = await info.context.loader(dl.indikator_by_id).load(self.part.indikator_id)
        return Indikator.from_model(row) if row else None

    @strawberry.field
    async def pemilik(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.part.pegawai_id)


@strawberry.type(description="How a superior's target is split among subordinates.")
class PembagianTarget:
    target: Decimal | None
    satuan: str | None
    jumlah_bagian: Decimal | None = strawberry.field(description="Sum of the parts.")
    selisih: Decimal | None = strawberry.field(description="Target minus the parts.")
    status: StatusPembagian
    bagian: list[BagianTarget]

    @classmethod
    def of(cls, split: direct_cascading.Pembagian) -> PembagianTarget:
        return cls(
            target=plain(split.target),
            satuan=split.satuan,
            jumlah_bagian=plain(split.jumlah),
            selisih=plain(split.selisih),
            status=split.status,
            bagian=[
                BagianTarget(
                    target=plain(b.target),
                    satuan=b.satuan,
                    dasar_pembagian=b.dasar,
                    wilayah=b.wilayah,
                    part=b,
                )
                for b in split.bagian
            ],
        )


@strawberry.type(description="An indikator kinerja individu (IKI) and its target.")
class Indikator:
    id: strawberry.ID
    aspek: AspekIki | None
    teks: str
    target_min: Decimal | None
    target_max: Decimal | None
    satuan: str | None
    target_kualitatif: str | None
    perspektif: PerspektifJpt | None
    target: str = strawberry.field(description="As printed, e.g. `2 Dokumen`, `90–100 %`.")
    dasar_pembagian: DasarPembagian | None
    wilayah: str | None
    row: strawberry.Private[models.Indikator]

    @strawberry.field(description="Direct cascading: the superior's indikator this splits.")
    async def bagian_dari(self, info: Info) -> Indikator | None:
        if self.row.bagian_dari_id is None:
            return None
        found = await info.context.loader(dl.indikator_by_id).load(self.row.bagian_dari_id)
        return Indikator.from_model(found) if found else None

    @strawberry.field(
        description="Direct cascading: how this target is split below, and "
        "whether the parts add up."
    )
    async def pembagian(self, info: Info) -> PembagianTarget | None:
        found = await info.context.loader(dl.pembagian).load(self.row.id)
        return PembagianTarget.of(found) if found else None

    @strawberry.field(
        description="Direct cascading: the parts' realisation rolled up to this indikator "
        "by the end of a window (decision 0008). Null (FORBIDDEN) for whoever may not read "
        "the SKP holding it; each part's figures, for whoever may not read the part's SKP."
    )
    async def roll_up(
        self, info: Info, periode: str
    ) -> Annotated[RollUpIndikator, strawberry.lazy(_PELAKSANAAN)] | None:
        from ekinerja.schema.pelaksanaan import dataloaders as pdl
        from ekinerja.schema.pelaksanaan.types import RollUpIndikator

        rhk = await info.context.loader(dl.rhk_by_id).load(self.row.rhk_id)
        await ensure_may_read_execution(info, rhk.skp_id)
        found = await info.context.loader(pdl.rollup_of_indikator).load((self.row.id, periode))
        return RollUpIndikator.of(found) if found else None

    @classmethod
    def from_model(cls, row: models.Indikator) -> Indikator:
        return cls(
            id=strawberry.ID(str(row.id)),
            aspek=row.aspek,
            teks=row.teks,
            target_min=plain(row.target_min),
            target_max=plain(row.target_max),
            satuan=row.satuan,
            target_kualitatif=row.target_kualitatif,
            perspektif=row.perspektif,
            target=format_target(row),
            dasar_pembagian=row.dasar_pembagian,
            wilayah=row.wilayah,
            row=row,
        )


JenisLampiran = strawberry.enum(enums.JenisLampiran)


@strawberry.type(description="What will be done for an RHK in one evaluation window.")
class RencanaAksi:
    id: strawberry.ID = strawberry.field(description="Progres harian is logged against it.")
    periode: str = strawberry.field(description="The window, e.g. 2026-T1.")
    teks: str
    target: str | None


@strawberry.type(description="One item of the SKP's lampiran.")
class Lampiran:
    jenis: JenisLampiran
    teks: str


@strawberry.type(
    description="One RHK in a cascade, with how it connects. rhkId, teks and pemilikNama come "
    "with the cascade query itself; rhk and pemilik load more, and cost more on large cascades."
)
class CascadeNode:
    rhk_id: strawberry.ID
    teks: str
    pemilik_nama: str
    pemilik_nip: str
    depth: int
    parent_rhk_id: strawberry.ID | None = strawberry.field(
        description="Down: the RHK it intervenes. Up: the RHK below it on the way up."
    )
    path: list[strawberry.ID]
    skp_status: StatusSkp
    node: strawberry.Private[cascade.CascadeNode]

    @classmethod
    def of(cls, node: cascade.CascadeNode) -> CascadeNode:
        return cls(
            rhk_id=strawberry.ID(str(node.rhk_id)),
            teks=node.teks,
            pemilik_nama=node.pemilik_nama,
            pemilik_nip=node.pemilik_nip,
            depth=node.depth,
            parent_rhk_id=strawberry.ID(str(node.parent_rhk_id)) if node.parent_rhk_id else None,
            path=[strawberry.ID(str(i)) for i in node.path],
            skp_status=enums.StatusSkp(node.skp_status),
            node=node,
        )

    @strawberry.field
    async def rhk(self, info: Info) -> Rhk:
        return Rhk.from_model(await info.context.loader(dl.rhk_by_id).load(self.node.rhk_id))

    @strawberry.field(description="Who owns the SKP holding this RHK.")
    async def pemilik(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.node.pegawai_id)


@strawberry.type(description="A node of the nested cascade.")
class CascadeTreeNode:
    rhk_id: strawberry.ID
    teks: str
    pemilik_nama: str
    depth: int
    skp_status: StatusSkp
    children: list[CascadeTreeNode]

    @classmethod
    def of(
        cls, node: cascade.CascadeNode, children: dict[int, list[cascade.CascadeNode]]
    ) -> CascadeTreeNode:
        return cls(
            rhk_id=strawberry.ID(str(node.rhk_id)),
            teks=node.teks,
            pemilik_nama=node.pemilik_nama,
            depth=node.depth,
            skp_status=enums.StatusSkp(node.skp_status),
            children=[cls.of(child, children) for child in children.get(node.rhk_id, [])],
        )


async def _link_state(info: Info, row: models.Rhk) -> revision_links.StatusIntervensi:
    if row.intervensi_id is None:
        return revision_links.StatusIntervensi.TIDAK_ADA
    state = await info.context.loader(dl.intervention_state).load(row.intervensi_id)
    return state or revision_links.StatusIntervensi.YATIM


@strawberry.type(description="A rencana hasil kerja.")
class Rhk:
    id: strawberry.ID
    urutan: int
    teks: str
    jenis: JenisRhk
    klasifikasi: KlasifikasiRhk | None
    intervensi_eksternal: str | None
    penugasan_dari: str | None
    row: strawberry.Private[models.Rhk]

    @classmethod
    def from_model(cls, row: models.Rhk) -> Rhk:
        return cls(
            id=strawberry.ID(str(row.id)),
            urutan=row.urutan,
            teks=row.teks,
            jenis=row.jenis,
            klasifikasi=row.klasifikasi,
            intervensi_eksternal=row.intervensi_eksternal,
            penugasan_dari=row.penugasan_dari,
            row=row,
        )

    @strawberry.field
    async def indikator(self, info: Info) -> list[Indikator]:
        rows = await info.context.loader(dl.indikator_of_rhk).load(self.row.id)
        return [Indikator.from_model(r) for r in rows]

    @strawberry.field(description="By evaluation window.")
    async def rencana_aksi(self, info: Info, periode: str | None = None) -> list[RencanaAksi]:
        rows = await info.context.loader(dl.rencana_aksi_of_rhk).load(self.row.id)
        return [
            RencanaAksi(
                id=strawberry.ID(str(r.id)), periode=r.periode, teks=r.teks, target=r.target
            )
            for r in rows
            if periode is None or r.periode == periode
        ]

    @strawberry.field(description="The superior's RHK this one intervenes (supports).")
    async def intervensi(self, info: Info) -> Rhk | None:
        if self.row.intervensi_id is None:
            return None
        found = await info.context.loader(dl.rhk_by_id).load(self.row.intervensi_id)
        return Rhk.from_model(found) if found else None

    @strawberry.field(
        description="BERLAKU while the intervened RHK is in its owner's version in force; "
        "YATIM once their revision removed it (re-link or remove: see petunjukIntervensi)."
    )
    async def status_intervensi(self, info: Info) -> StatusIntervensi:
        return await _link_state(info, self.row)

    @strawberry.field(description="What to do about a link that is not BERLAKU.")
    async def petunjuk_intervensi(self, info: Info) -> str | None:
        return revision_links.PETUNJUK.get(await _link_state(info, self.row))

    @strawberry.field(
        description="Every RHK that intervenes this one, recursively, breadth first: a flat "
        "list with depth, parent and path (nest it by parentRhkId). One query whatever the size."
    )
    async def cascade_down(
        self, info: Info, max_depth: int | None = None, unit_ids: list[strawberry.ID] | None = None
    ) -> list[CascadeNode]:
        units = [parse_id(u, "unitIds") for u in unit_ids] if unit_ids else None
        return [
            CascadeNode.of(n) for n in await cascade.cascade_down(self.row.id, max_depth, units)
        ]

    @strawberry.field(
        description="The same cascade nested: the RHK intervening this one, each with its own "
        "`children`. Built from the one flat query; select children as deep as you need."
    )
    async def cascade_tree(self, info: Info, max_depth: int | None = None) -> list[CascadeTreeNode]:
        nodes = await cascade.cascade_down(self.row.id, max_depth)
        children: dict[int, list[cascade.CascadeNode]] = {}
        for node in nodes:
            children.setdefault(node.parent_rhk_id, []).append(node)
        return [CascadeTreeNode.of(n, children) for n in children.get(self.row.id, [])]

    @strawberry.field(
        description="The RHK intervening this one with their capaian by the end of a window, "
        "and the share that reached their target (decision 0008). Null (FORBIDDEN) for whoever "
        "may not read the SKP holding it; each capaian, for whoever may not read its SKP."
    )
    async def roll_up(
        self, info: Info, periode: str
    ) -> Annotated[RollUpRhk, strawberry.lazy(_PELAKSANAAN)] | None:
        from ekinerja.schema.pelaksanaan import dataloaders as pdl
        from ekinerja.schema.pelaksanaan.types import RollUpRhk

        await ensure_may_read_execution(info, self.row.skp_id)
        found = await info.context.loader(pdl.rollup_of_rhk).load((self.row.id, periode))
        return RollUpRhk.of(found) if found else None

    @strawberry.field(description="The chain of RHK this one intervenes, up to the top.")
    async def cascade_up(self, info: Info) -> list[CascadeNode]:
        return [CascadeNode.of(n) for n in await cascade.cascade_up(self.row.id)]


@strawberry.type(
    description="An indikator of a penilai's RHK, as choosing and splitting it needs: its "
    "target, never what was realised for it."
)
class IndikatorAtasan:
    id: strawberry.ID = strawberry.field(description="For direct cascading (bagianDariId).")
    teks: str
    aspek: AspekIki | None
    target: str = strawberry.field(description="As printed, e.g. `2 Dokumen`, `90–100 %`.")
    satuan: str | None


@strawberry.type(
    description="An RHK of this SKP's pejabat penilai that it may intervene (saveRhk "
    "intervensiRhkId): of the penilai's approved SKP in force for an overlapping period."
)
class RhkAtasan:
    id: strawberry.ID
    urutan: int
    teks: str
    jenis: JenisRhk
    choice: strawberry.Private[RhkPilihan]

    @classmethod
    def of(cls, choice: RhkPilihan) -> RhkAtasan:
        return cls(
            id=strawberry.ID(str(choice.rhk_id)),
            urutan=choice.urutan,
            teks=choice.teks,
            jenis=choice.jenis,
            choice=choice,
        )

    @strawberry.field
    async def indikator(self, info: Info) -> list[IndikatorAtasan]:
        rows = await info.context.loader(dl.indikator_of_rhk).load(self.choice.rhk_id)
        return [
            IndikatorAtasan(
                id=strawberry.ID(str(r.id)),
                teks=r.teks,
                aspek=r.aspek,
                target=format_target(r),
                satuan=r.satuan,
            )
            for r in rows
        ]


@strawberry.type(description="One version of a pegawai's SKP.")
class Skp:
    id: strawberry.ID
    tahun: int
    periode_awal: date
    periode_akhir: date
    pendekatan: PendekatanSkp
    jenis_form: JenisFormSkp
    status: StatusSkp
    versi: int
    lock_version: int = strawberry.field(
        description="Send it back as expectedVersion with every change."
    )
    catatan_pengembalian: str | None
    diajukan_pada: datetime | None
    disetujui_pada: datetime | None
    digantikan_pada: datetime | None
    row: strawberry.Private[models.Skp]

    @classmethod
    def from_model(cls, row: models.Skp) -> Skp:
        return cls(
            id=strawberry.ID(str(row.id)),
            tahun=row.tahun,
            periode_awal=row.periode_awal,
            periode_akhir=row.periode_akhir,
            pendekatan=row.pendekatan,
            jenis_form=row.jenis_form,
            status=row.status,
            versi=row.versi,
            lock_version=row.lock_version,
            catatan_pengembalian=row.catatan_pengembalian,
            diajukan_pada=row.diajukan_pada,
            disetujui_pada=row.disetujui_pada,
            digantikan_pada=row.digantikan_pada,
            row=row,
        )

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.row.pegawai_id)

    @strawberry.field
    def snapshot_pegawai(self) -> SnapshotOrang | None:
        return SnapshotOrang.of(self.row.snapshot_pegawai)

    @strawberry.field
    def pejabat_penilai(self) -> SnapshotOrang | None:
        return SnapshotOrang.of(self.row.snapshot_penilai)

    @strawberry.field
    def atasan_pejabat_penilai(self) -> SnapshotOrang | None:
        return SnapshotOrang.of(self.row.snapshot_atasan_penilai)

    @strawberry.field
    async def rhk(self, info: Info) -> list[Rhk]:
        rows = await info.context.loader(dl.rhk_of_skp).load(self.row.id)
        return [Rhk.from_model(r) for r in rows]

    @strawberry.field(
        description="The RHK this SKP's RHK may intervene: those of the pejabat penilai's "
        "approved SKP in force for an overlapping period (a revision's removed RHK never; "
        "empty until the penilai's SKP is approved, or for a penilai outside the system). "
        "Only for whoever plans this SKP (its owner); null (FORBIDDEN) for anyone else."
    )
    async def rhk_atasan(self, info: Info) -> list[RhkAtasan] | None:
        await ensure_allowed(info, Operation.PLAN_SKP, self.row.pegawai_id)
        found = await info.context.loader(dl.rhk_atasan_of_skp).load(self.row.id)
        return [RhkAtasan.of(choice) for choice in found]

    @strawberry.field(description="Dukungan sumber daya, skema pertanggungjawaban, konsekuensi.")
    async def lampiran(self, info: Info) -> list[Lampiran]:
        rows = await info.context.loader(dl.lampiran_of_skp).load(self.row.id)
        return [Lampiran(jenis=r.jenis, teks=r.teks) for r in rows]

    @strawberry.field(description="The 7 BerAKHLAK values with this SKP's expectations.")
    async def perilaku(self, info: Info) -> list[PerilakuKerja]:
        rows = await info.context.loader(dl.perilaku_of_skp).load(self.row.id)
        return perilaku_list({r.nilai: r.ekspektasi for r in rows})


async def visible_skp(info: Info, row: models.Skp | None) -> Skp | None:
    """The SKP if the principal may read it (its owner, their appraisers, admins, …)."""
    if row is None:
        return None
    await ensure_allowed(info, Operation.READ_SKP, row.pegawai_id, appraisers=appraisers_of(row))
    return Skp.from_model(row)


@strawberry.type(name="RhkTemplate", description="An RHK offered to everyone in a jabatan.")
class RhkTemplateType:
    id: strawberry.ID
    jabatan_id: strawberry.ID
    teks: str
    jenis: JenisRhk
    indikator: list[str] = strawberry.field(description="Each indikator as printed.")

    @classmethod
    def from_model(cls, row: models.RhkTemplate) -> RhkTemplateType:
        def printed(item: dict) -> str:
            target = item.get("target_kualitatif") or " ".join(
                str(part) for part in (item.get("target_min"), item.get("satuan")) if part
            )
            return f"{item['teks']}: {target}" if target else item["teks"]

        return cls(
            id=strawberry.ID(str(row.id)),
            jabatan_id=strawberry.ID(str(row.jabatan_id)),
            teks=row.teks,
            jenis=row.jenis,
            indikator=[printed(item) for item in row.indikator],
        )
