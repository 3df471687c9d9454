"""GraphQL types of SKP planning."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid, gid_or_none, parse_id
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.node import Node
from ekinerja.schema.permissions import appraisers_of, ensure_allowed
from ekinerja.schema.skp import dataloaders as dl
from ekinerja.skp import berakhlak, cascade, direct_cascading, enums
from ekinerja.skp import revisi_links as revision_links
from ekinerja.skp.formatting import format_target, plain
from ekinerja.skp.rhk_atasan import RhkPilihan

if TYPE_CHECKING:
    from ekinerja.schema.pelaksanaan.types import RekapIndikator, RekapRhk

_PELAKSANAAN = "ekinerja.schema.pelaksanaan.types"
_PERIODE = "Kode periode of the evaluation window, e.g. 2026-T1, 2026-B3, 2026-S2."
_MAX_DEPTH = "Levels below this RHK to include; null: all (at most 50)."
StatusSkp = described_enum(
    enums.StatusSkp,
    description="Status SKP: where an SKP version is in its lifecycle.",
    values={
        enums.StatusSkp.DRAFT: "Draft: being written by its pegawai (also after it was "
        "withdrawn or returned).",
        enums.StatusSkp.DIAJUKAN: "Diajukan: submitted, waiting for the pejabat penilai.",
        enums.StatusSkp.DISETUJUI: "Disetujui: approved by the pejabat penilai; execution "
        "(progres, realisasi) is recorded against it.",
    },
)
PendekatanSkp = described_enum(
    enums.PendekatanSkp,
    description="Pendekatan: whether the SKP's targets are measured or described.",
    values={
        enums.PendekatanSkp.KUANTITATIF: "Kuantitatif: numeric targets (targetMin/targetMax "
        "and satuan).",
        enums.PendekatanSkp.KUALITATIF: "Kualitatif: targets described in words "
        "(targetKualitatif).",
    },
)
JenisFormSkp = described_enum(
    enums.JenisFormSkp,
    description="Jenis form: which SKP form applies, from the pegawai's jabatan.",
    values={
        enums.JenisFormSkp.JPT: "The JPT form: senior executives and heads of independent "
        "units (RHK with klasifikasi, penugasanDari and perspektif).",
        enums.JenisFormSkp.JA_JF: "The JA/JF form (jabatan administrasi / fungsional): "
        "everyone else; each RHK intervenes a superior's RHK.",
    },
)
JenisRhk = described_enum(
    enums.JenisRhk,
    description="Jenis RHK: a main or an additional result.",
    values={
        enums.JenisRhk.UTAMA: "Utama: a main result of the position.",
        enums.JenisRhk.TAMBAHAN: "Tambahan: an additional result.",
    },
)
KlasifikasiRhk = described_enum(
    enums.KlasifikasiRhk,
    description="Klasifikasi RHK (JPT form): whom the result belongs to.",
    values={
        enums.KlasifikasiRhk.ORGANISASI: "Organisasi: tied to the unit; passes to a successor.",
        enums.KlasifikasiRhk.INDIVIDU: "Individu: tied to the person.",
    },
)
AspekIki = described_enum(
    enums.AspekIki,
    description="Aspek: what an indikator (IKI) measures.",
    values={
        enums.AspekIki.KUANTITAS: "Kuantitas: quantity.",
        enums.AspekIki.KUALITAS: "Kualitas: quality.",
        enums.AspekIki.WAKTU: "Waktu: time.",
        enums.AspekIki.BIAYA: "Biaya: cost.",
    },
)
PerspektifJpt = described_enum(
    enums.PerspektifJpt,
    description="Perspektif (JPT form): the balanced-scorecard perspective of an indikator.",
    values={
        enums.PerspektifJpt.PENERIMA_LAYANAN: "Penerima layanan: the service's recipients.",
        enums.PerspektifJpt.PROSES_BISNIS: "Proses bisnis: internal business processes.",
        enums.PerspektifJpt.PENGUATAN_INTERNAL: "Penguatan internal: internal strengthening "
        "(people, organisation).",
        enums.PerspektifJpt.ANGGARAN: "Anggaran: the budget.",
    },
)
_SI = revision_links.StatusIntervensi
StatusIntervensi = described_enum(
    revision_links.StatusIntervensi,
    description="A link to a superior's RHK across their revisions (decision 0019).",
    values={
        _SI.TIDAK_ADA: "Tidak ada: intervenes no RHK in the system.",
        _SI.BERLAKU: "Berlaku: the intervened RHK is in its owner's SKP version in force.",
        _SI.DIGANTIKAN: "Digantikan: its owner revised the SKP and the revision kept the RHK; "
        "link to it in the current version.",
        _SI.YATIM: "Yatim (orphaned): its owner's revision removed the RHK; re-link or remove.",
    },
)


@strawberry.type(description="A person as printed on the SKP when it was made.")
class SnapshotOrang:
    nama: str | None = strawberry.field(description="Name with gelar, as printed.")
    nip: str | None = strawberry.field(description="NIP or NI PPPK; null for a NON_ASN penilai.")
    pangkat: str | None = strawberry.field(description="Pangkat (rank title) then.")
    golongan: str | None = strawberry.field(description="Golongan then.")
    jabatan: str | None = strawberry.field(description="The position's name then.")
    unit: str | None = strawberry.field(description="The unit's name then.")
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
    kode: str = strawberry.field(
        description="The value's code, stable (e.g. BERORIENTASI_PELAYANAN); use it as "
        "the key in EkspektasiInput and umpan balik."
    )
    nama: str = strawberry.field(description="Its name, e.g. Berorientasi Pelayanan.")
    makna: str = strawberry.field(description="What the value means, one sentence.")
    panduan: list[str] = strawberry.field(
        description="Panduan perilaku: its three behaviour guides (SE MenPANRB 20/2021)."
    )
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


DasarPembagian = described_enum(
    enums.DasarPembagian,
    description="Dasar pembagian: how a superior's target is split in direct cascading.",
    values={
        enums.DasarPembagian.PORSI: "Porsi: a share of the quantity.",
        enums.DasarPembagian.WILAYAH: "Wilayah: by region (named in `wilayah`).",
        enums.DasarPembagian.ASPEK: "Aspek: by aspect of the result.",
    },
)
_SP = direct_cascading.StatusPembagian
StatusPembagian = described_enum(
    direct_cascading.StatusPembagian,
    description="Status pembagian: whether the parts of a split target add up to it.",
    values={
        _SP.SESUAI: "Sesuai: the parts add up to the target.",
        _SP.KURANG: "Kurang: the parts fall short of it.",
        _SP.LEBIH: "Lebih: the parts exceed it.",
        _SP.TIDAK_SEBANDING: "Tidak sebanding: not comparable (no numeric target, or parts "
        "in another satuan).",
        _SP.BELUM_DIBAGI: "Belum dibagi: no parts yet.",
    },
)


@strawberry.type(description="One part of a superior's indikator in direct cascading.")
class BagianTarget:
    target: Decimal | None = strawberry.field(
        description="This part's target (its targetMax, else targetMin); null if it has none."
    )
    satuan: str | None = strawberry.field(description="The part's satuan (unit).")
    dasar_pembagian: DasarPembagian | None = strawberry.field(
        description="How it was split off; null when not given."
    )
    wilayah: str | None = strawberry.field(description="The region, for WILAYAH; else null.")
    part: strawberry.Private[direct_cascading.Bagian]

    @strawberry.field(description="The subordinate's indikator that is this part.")
    async def indikator(self, info: Info) -> Indikator | None:
        row = await info.context.loader(dl.indikator_by_id).load(self.part.indikator_id)
        return Indikator.from_model(row) if row else None

    @strawberry.field(description="The pegawai whose SKP holds the part.")
    async def pemilik(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.part.pegawai_id)


@strawberry.type(description="How a superior's target is split among subordinates.")
class PembagianTarget:
    target: Decimal | None = strawberry.field(
        description="The superior's target being split; null if not numeric."
    )
    satuan: str | None = strawberry.field(description="Its satuan (unit).")
    jumlah_bagian: Decimal | None = strawberry.field(description="Sum of the parts.")
    selisih: Decimal | None = strawberry.field(description="Target minus the parts.")
    status: StatusPembagian = strawberry.field(description="Whether the parts add up.")
    bagian: list[BagianTarget] = strawberry.field(description="The parts, one per indikator.")

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
class Indikator(Node):
    id: strawberry.ID = strawberry.field(description="The indikator's id.")
    aspek: AspekIki | None = strawberry.field(
        description="What it measures (kuantitas, kualitas, waktu, biaya); null when not given."
    )
    teks: str = strawberry.field(description="The indikator as worded in the SKP.")
    target_min: Decimal | None = strawberry.field(
        description="Numeric target, or the low end of a range; null for a qualitative target."
    )
    target_max: Decimal | None = strawberry.field(
        description="High end of a range target; null for a single number or a qualitative one."
    )
    satuan: str | None = strawberry.field(
        description="The target's unit, e.g. Dokumen, %; null for a qualitative target."
    )
    target_kualitatif: str | None = strawberry.field(
        description="The target in words (KUALITATIF SKP); null for a numeric target."
    )
    perspektif: PerspektifJpt | None = strawberry.field(
        description="JPT form: the balanced-scorecard perspective; null on the JA/JF form."
    )
    target: str = strawberry.field(description="As printed, e.g. `2 Dokumen`, `90–100 %`.")
    dasar_pembagian: DasarPembagian | None = strawberry.field(
        description="Direct cascading: how this part was split off the superior's indikator "
        "(bagianDari); null otherwise."
    )
    wilayah: str | None = strawberry.field(
        description="Direct cascading by WILAYAH: the region of this part; null otherwise."
    )
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
    async def rekap(
        self, info: Info, periode: Annotated[str, strawberry.argument(description=_PERIODE)]
    ) -> Annotated[RekapIndikator, strawberry.lazy(_PELAKSANAAN)] | None:
        from ekinerja.schema.pelaksanaan import dataloaders as pdl
        from ekinerja.schema.pelaksanaan.types import RekapIndikator

        rhk = await info.context.loader(dl.rhk_by_id).load(self.row.rhk_id)
        await ensure_may_read_execution(info, rhk.skp_id)
        found = await info.context.loader(pdl.rollup_of_indikator).load((self.row.id, periode))
        return RekapIndikator.of(found) if found else None

    @classmethod
    def from_model(cls, row: models.Indikator) -> Indikator:
        return cls(
            id=gid("Indikator", row.id),
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


JenisLampiran = described_enum(
    enums.JenisLampiran,
    description="Which part of the lampiran SKP (the SKP's attachment) an item belongs to.",
    values={
        enums.JenisLampiran.DUKUNGAN_SUMBER_DAYA: "Dukungan sumber daya: the resources provided.",
        enums.JenisLampiran.SKEMA_PERTANGGUNGJAWABAN: "Skema pertanggungjawaban: how results "
        "are accounted for.",
        enums.JenisLampiran.KONSEKUENSI: "Konsekuensi: the consequences of reaching or missing "
        "the results.",
    },
)


@strawberry.type(description="What will be done for an RHK in one evaluation window.")
class RencanaAksi(Node):
    id: strawberry.ID = strawberry.field(description="Progres harian is logged against it.")
    periode: str = strawberry.field(description="The window, e.g. 2026-T1.")
    teks: str = strawberry.field(description="What will be done.")
    target: str | None = strawberry.field(
        description="Its target in the window, as written (free text); null if none."
    )


@strawberry.type(description="One item of the SKP's lampiran.")
class Lampiran:
    jenis: JenisLampiran = strawberry.field(description="Which part of the lampiran.")
    teks: str = strawberry.field(description="The item's text.")


@strawberry.type(
    description="One RHK in a cascade, with how it connects. rhkId, teks and pemilikNama come "
    "with the cascade query itself; rhk and pemilik load more, and cost more on large cascades."
)
class CascadeNode:
    rhk_id: strawberry.ID = strawberry.field(description="The RHK's id.")
    teks: str = strawberry.field(description="The RHK's text.")
    pemilik_nama: str = strawberry.field(description="Name of the pegawai owning the RHK.")
    pemilik_nip: str = strawberry.field(description="Their NIP.")
    depth: int = strawberry.field(
        description="Levels from the RHK the cascade was asked of (1: directly linked).",
        name="kedalaman",
    )
    parent_rhk_id: strawberry.ID | None = strawberry.field(
        description="Down: the RHK it intervenes. Up: the RHK below it on the way up.",
        name="rhkIndukId",
    )
    path: list[strawberry.ID] = strawberry.field(
        description="RHK ids from the first level to this one (the starting RHK excluded).",
        name="jalur",
    )
    skp_status: StatusSkp = strawberry.field(description="Status of the SKP holding the RHK.")
    node: strawberry.Private[cascade.CascadeNode]

    @classmethod
    def of(cls, node: cascade.CascadeNode) -> CascadeNode:
        return cls(
            rhk_id=gid("Rhk", node.rhk_id),
            teks=node.teks,
            pemilik_nama=node.pemilik_nama,
            pemilik_nip=node.pemilik_nip,
            depth=node.depth,
            parent_rhk_id=gid_or_none("Rhk", node.parent_rhk_id),
            path=[gid("Rhk", i) for i in node.path],
            skp_status=enums.StatusSkp(node.skp_status),
            node=node,
        )

    @strawberry.field(description="The RHK itself (a load per node).")
    async def rhk(self, info: Info) -> Rhk:
        return Rhk.from_model(await info.context.loader(dl.rhk_by_id).load(self.node.rhk_id))

    @strawberry.field(description="Who owns the SKP holding this RHK.")
    async def pemilik(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.node.pegawai_id)


@strawberry.type(description="A node of the nested cascade.")
class PohonCascade:
    rhk_id: strawberry.ID = strawberry.field(description="The RHK's id.")
    teks: str = strawberry.field(description="The RHK's text.")
    pemilik_nama: str = strawberry.field(description="Name of the pegawai owning the RHK.")
    depth: int = strawberry.field(
        description="Levels below the RHK asked of (1: directly).", name="kedalaman"
    )
    skp_status: StatusSkp = strawberry.field(description="Status of the SKP holding the RHK.")
    children: list[PohonCascade] = strawberry.field(
        description="The RHK intervening this one, one level down.", name="anak"
    )

    @classmethod
    def of(
        cls, node: cascade.CascadeNode, children: dict[int, list[cascade.CascadeNode]]
    ) -> PohonCascade:
        return cls(
            rhk_id=gid("Rhk", node.rhk_id),
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


@strawberry.type(
    description="RHK (Rencana Hasil Kerja): a planned result of the SKP, with its indikator. "
    "Readable instansi-wide (rhk:read); what was realised for it follows its SKP (skp:read)."
)
class Rhk(Node):
    id: strawberry.ID = strawberry.field(description="The RHK's id.")
    urutan: int = strawberry.field(description="Its order in the SKP, from 1.")
    teks: str = strawberry.field(description="The result, as worded in the SKP.")
    jenis: JenisRhk = strawberry.field(description="Utama (main) or tambahan (additional).")
    klasifikasi: KlasifikasiRhk | None = strawberry.field(
        description="JPT form: organisasi or individu; null on the JA/JF form."
    )
    intervensi_eksternal: str | None = strawberry.field(
        description="Intervensi eksternal: a superior's result outside the system (e.g. the "
        "Bupati's) this RHK supports, as free text; null if none."
    )
    penugasan_dari: str | None = strawberry.field(
        description="JPT form: where the assignment comes from (penugasan dari); null if none."
    )
    row: strawberry.Private[models.Rhk]

    @classmethod
    def from_model(cls, row: models.Rhk) -> Rhk:
        return cls(
            id=gid("Rhk", row.id),
            urutan=row.urutan,
            teks=row.teks,
            jenis=row.jenis,
            klasifikasi=row.klasifikasi,
            intervensi_eksternal=row.intervensi_eksternal,
            penugasan_dari=row.penugasan_dari,
            row=row,
        )

    @strawberry.field(description="Its indikator kinerja individu (IKI), in order.")
    async def indikator(self, info: Info) -> list[Indikator]:
        rows = await info.context.loader(dl.indikator_of_rhk).load(self.row.id)
        return [Indikator.from_model(r) for r in rows]

    @strawberry.field(description="By evaluation window.")
    async def rencana_aksi(
        self,
        info: Info,
        periode: Annotated[
            str | None,
            strawberry.argument(description="Only this window (kode periode); null: every one."),
        ] = None,
    ) -> list[RencanaAksi]:
        rows = await info.context.loader(dl.rencana_aksi_of_rhk).load(self.row.id)
        return [
            RencanaAksi(
                id=gid("RencanaAksi", r.id), periode=r.periode, teks=r.teks, target=r.target
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
        "list with depth, parent and path (nest it by rhkIndukId). One query whatever the size."
    )
    async def cascade_bawah(
        self,
        info: Info,
        kedalaman_max: Annotated[int | None, strawberry.argument(description=_MAX_DEPTH)] = None,
        unit_id: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="Only RHK of pegawai whose current definitive position is in one of "
                "these units; null: every unit."
            ),
        ] = None,
    ) -> list[CascadeNode]:
        units = [parse_id(u, "unitId", "UnitKerja") for u in unit_id] if unit_id else None
        return [
            CascadeNode.of(n) for n in await cascade.cascade_down(self.row.id, kedalaman_max, units)
        ]

    @strawberry.field(
        description="The same cascade nested: the RHK intervening this one, each with its own "
        "`children`. Built from the one flat query; select children as deep as you need."
    )
    async def pohon_cascade(
        self,
        info: Info,
        kedalaman_max: Annotated[int | None, strawberry.argument(description=_MAX_DEPTH)] = None,
    ) -> list[PohonCascade]:
        nodes = await cascade.cascade_down(self.row.id, kedalaman_max)
        children: dict[int, list[cascade.CascadeNode]] = {}
        for node in nodes:
            children.setdefault(node.parent_rhk_id, []).append(node)
        return [PohonCascade.of(n, children) for n in children.get(self.row.id, [])]

    @strawberry.field(
        description="The RHK intervening this one with their capaian by the end of a window, "
        "and the share that reached their target (decision 0008). Null (FORBIDDEN) for whoever "
        "may not read the SKP holding it; each capaian, for whoever may not read its SKP."
    )
    async def rekap(
        self, info: Info, periode: Annotated[str, strawberry.argument(description=_PERIODE)]
    ) -> Annotated[RekapRhk, strawberry.lazy(_PELAKSANAAN)] | None:
        from ekinerja.schema.pelaksanaan import dataloaders as pdl
        from ekinerja.schema.pelaksanaan.types import RekapRhk

        await ensure_may_read_execution(info, self.row.skp_id)
        found = await info.context.loader(pdl.rollup_of_rhk).load((self.row.id, periode))
        return RekapRhk.of(found) if found else None

    @strawberry.field(description="The chain of RHK this one intervenes, up to the top.")
    async def cascade_atas(self, info: Info) -> list[CascadeNode]:
        return [CascadeNode.of(n) for n in await cascade.cascade_up(self.row.id)]


@strawberry.type(
    description="An indikator of a penilai's RHK, as choosing and splitting it needs: its "
    "target, never what was realised for it."
)
class IndikatorAtasan:
    id: strawberry.ID = strawberry.field(description="For direct cascading (bagianDariId).")
    teks: str = strawberry.field(description="The indikator as worded.")
    aspek: AspekIki | None = strawberry.field(description="What it measures; null if not given.")
    target: str = strawberry.field(description="As printed, e.g. `2 Dokumen`, `90–100 %`.")
    satuan: str | None = strawberry.field(description="The target's unit; null if qualitative.")


@strawberry.type(
    description="An RHK of this SKP's pejabat penilai that it may intervene (simpanRhk "
    "intervensiRhkId): of the penilai's approved SKP in force for an overlapping period."
)
class RhkAtasan:
    id: strawberry.ID = strawberry.field(description="The RHK's id, for intervensiRhkId.")
    urutan: int = strawberry.field(description="Its order in the penilai's SKP.")
    teks: str = strawberry.field(description="The result, as worded.")
    jenis: JenisRhk = strawberry.field(description="Utama or tambahan.")
    choice: strawberry.Private[RhkPilihan]

    @classmethod
    def of(cls, choice: RhkPilihan) -> RhkAtasan:
        return cls(
            id=gid("Rhk", choice.rhk_id),
            urutan=choice.urutan,
            teks=choice.teks,
            jenis=choice.jenis,
            choice=choice,
        )

    @strawberry.field(description="Its indikator with their targets.")
    async def indikator(self, info: Info) -> list[IndikatorAtasan]:
        rows = await info.context.loader(dl.indikator_of_rhk).load(self.choice.rhk_id)
        return [
            IndikatorAtasan(
                id=gid("Indikator", r.id),
                teks=r.teks,
                aspek=r.aspek,
                target=format_target(r),
                satuan=r.satuan,
            )
            for r in rows
        ]


@strawberry.type(
    description="SKP (Sasaran Kinerja Pegawai): one version of a pegawai's performance plan "
    "for (part of) a year: hasil kerja (RHK) and perilaku kerja (BerAKHLAK). Readable by its "
    "pegawai, their snapshotted appraisers and admins (skp:read)."
)
class Skp(Node):
    id: strawberry.ID = strawberry.field(description="The SKP version's id.")
    tahun: int = strawberry.field(description="The year it plans.")
    periode_awal: date = strawberry.field(
        description="Periode awal: the first day it covers (usually 1 January)."
    )
    periode_akhir: date = strawberry.field(
        description="Periode akhir: the last day it covers, inclusive (usually 31 December; "
        "earlier when ended at a transfer)."
    )
    pendekatan: PendekatanSkp = strawberry.field(description="Kuantitatif or kualitatif.")
    jenis_form: JenisFormSkp = strawberry.field(
        description="JPT or JA_JF, from the pegawai's jabatan."
    )
    status: StatusSkp = strawberry.field(description="Draft, diajukan or disetujui.")
    versi: int = strawberry.field(
        description="Revision number: 1, then one more for each revisi (perubahan SKP)."
    )
    lock_version: int = strawberry.field(
        description="Send it back as versiDiharapkan with every change.", name="versiKunci"
    )
    catatan_pengembalian: str | None = strawberry.field(
        description="The penilai's note when they last returned it (kembalikan); null if never."
    )
    diajukan_pada: datetime | None = strawberry.field(
        description="When last submitted; null while never submitted."
    )
    disetujui_pada: datetime | None = strawberry.field(
        description="When approved; null until then."
    )
    digantikan_pada: datetime | None = strawberry.field(
        description="When a revision of it was approved and replaced it; null while in force."
    )
    row: strawberry.Private[models.Skp]

    @classmethod
    def from_model(cls, row: models.Skp) -> Skp:
        return cls(
            id=gid("Skp", row.id),
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

    @strawberry.field(description="The pegawai whose SKP it is, as they are now.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.row.pegawai_id)

    @strawberry.field(
        description="The pegawai as frozen on the SKP (snapshot): name, NIP, rank, position, "
        "unit; null if none was taken."
    )
    def snapshot_pegawai(self) -> SnapshotOrang | None:
        return SnapshotOrang.of(self.row.snapshot_pegawai)

    @strawberry.field(
        description="Snapshot of the pejabat penilai kinerja (the appraiser), who approves "
        "this SKP; null if nobody was resolved."
    )
    def pejabat_penilai(self) -> SnapshotOrang | None:
        return SnapshotOrang.of(self.row.snapshot_penilai)

    @strawberry.field(
        description="Snapshot of the atasan pejabat penilai (the appraiser's superior); null "
        "if there is none."
    )
    def atasan_pejabat_penilai(self) -> SnapshotOrang | None:
        return SnapshotOrang.of(self.row.snapshot_atasan_penilai)

    @strawberry.field(description="Its RHK, in order (urutan).")
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


@strawberry.type(name="TemplatRhk", description="An RHK offered to everyone in a jabatan.")
class RhkTemplateType:
    id: strawberry.ID = strawberry.field(description="The templat's id.")
    jabatan_id: strawberry.ID = strawberry.field(description="The jabatan it is offered to.")
    teks: str = strawberry.field(description="The RHK's text.")
    jenis: JenisRhk = strawberry.field(description="Utama or tambahan.")
    indikator: list[str] = strawberry.field(description="Each indikator as printed.")

    @classmethod
    def from_model(cls, row: models.RhkTemplate) -> RhkTemplateType:
        def printed(item: dict) -> str:
            target = item.get("target_kualitatif") or " ".join(
                str(part) for part in (item.get("target_min"), item.get("satuan")) if part
            )
            return f"{item['teks']}: {target}" if target else item["teks"]

        return cls(
            id=gid("TemplatRhk", row.id),
            jabatan_id=gid("Jabatan", row.jabatan_id),
            teks=row.teks,
            jenis=row.jenis,
            indikator=[printed(item) for item in row.indikator],
        )
