"""Mutations of SKP planning. Each runs in a savepoint: a refusal comes back as data
(MutationError with a code and the field at fault) and leaves nothing written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.refusals import Refusal
from ekinerja.schema.context import Info
from ekinerja.schema.ids import id_or_none, parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.schema.skp.types import (
    AspekIki,
    DasarPembagian,
    JenisFormSkp,
    JenisLampiran,
    JenisRhk,
    KlasifikasiRhk,
    PendekatanSkp,
    PerspektifJpt,
    Rhk,
    RhkTemplateType,
    Skp,
)
from ekinerja.skp import copy_forward, editing, lifecycle, pengakhiran, periods, templates
from ekinerja.skp.enums import Kadensi as KadensiEnum
from ekinerja.tahun import check_tahun


@strawberry.type(description="The SKP after a change (with its new lockVersion).")
class SkpChanged:
    skp: Skp
    rhk: Rhk | None = None


SkpResult = Annotated[SkpChanged | MutationError, strawberry.union("SkpResult")]
Kadensi = strawberry.enum(KadensiEnum)


def _caller(info: Info) -> lifecycle.Caller:
    return lifecycle.Caller(info.context.pegawai_id, info.context.principal.subject)


_id = parse_id


async def _run(
    info: Info, operation: Operation, target: int | None, change: Callable[[], Awaitable]
) -> SkpChanged | MutationError:
    await ensure_allowed(info, operation, target)
    result = await guarded(change)
    if isinstance(result, MutationError):
        return result
    if isinstance(result, models.Rhk):
        skp = await models.Skp.get(id=result.skp_id)
        return SkpChanged(skp=Skp.from_model(skp), rhk=Rhk.from_model(result))
    return SkpChanged(skp=Skp.from_model(result))


async def owner_of_skp(skp_id: strawberry.ID) -> int | None:
    """The pegawai who owns an SKP (to authorize against), or None for no such SKP."""
    found = id_or_none(skp_id)
    if found is None:
        return None
    return await models.Skp.get_or_none(id=found).values_list("pegawai_id", flat=True)


def _refused_unknown(skp_id: strawberry.ID) -> MutationError:
    """No SKP owns ``skp_id``: it is not an id at all, or names no SKP."""
    try:
        parse_id(skp_id, "skpId")
    except Refusal as refusal:
        return MutationError.of(refusal)
    return MutationError(code="NOT_FOUND", message=f"no SKP with id {skp_id}", field="skpId")


@strawberry.input
class CreateSkpInput:
    tahun: int
    pendekatan: PendekatanSkp
    periode_awal: date | None = None
    periode_akhir: date | None = None
    jenis_form: JenisFormSkp | None = strawberry.field(
        default=None, description="Default: JPT for a JPT position, else JA_JF."
    )
    dari_template: bool = strawberry.field(
        default=False, description="Fill it with the RHK templates of my jabatan."
    )


@strawberry.input
class IndikatorInput:
    teks: str
    aspek: AspekIki | None = None
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    satuan: str | None = None
    target_kualitatif: str | None = None
    perspektif: PerspektifJpt | None = None
    bagian_dari_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Direct cascading: the intervened RHK's indikator this is a part of.",
    )
    dasar_pembagian: DasarPembagian | None = None
    wilayah: str | None = None
    id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One of this RHK's indikator, updated in place so its id (which realisasi "
        "and integrators refer to) stays. Naming none, the list is matched by position.",
    )


@strawberry.input(description="A whole RHK: omit rhkId to add one, give it to replace one.")
class SaveRhkInput:
    skp_id: strawberry.ID
    expected_version: int
    teks: str
    indikator: list[IndikatorInput]
    rhk_id: strawberry.ID | None = None
    jenis: JenisRhk = JenisRhk.UTAMA
    klasifikasi: KlasifikasiRhk | None = None
    intervensi_rhk_id: strawberry.ID | None = None
    intervensi_eksternal: str | None = None
    penugasan_dari: str | None = None


def _indikator(i: IndikatorInput) -> editing.IndikatorInput:
    return editing.IndikatorInput(
        i.teks,
        i.aspek,
        i.target_min,
        i.target_max,
        i.satuan,
        i.target_kualitatif,
        i.perspektif,
        _id(i.bagian_dari_id, "indikator.bagianDariId"),
        i.dasar_pembagian,
        i.wilayah,
        _id(i.id, "indikator.id"),
    )


@strawberry.input(description="An RHK template: omit templateId to add one.")
class RhkTemplateInput:
    jabatan_id: strawberry.ID
    teks: str
    indikator: list[IndikatorInput]
    jenis: JenisRhk = JenisRhk.UTAMA
    template_id: strawberry.ID | None = None


@strawberry.type
class RemovedTemplate:
    template_id: strawberry.ID


RhkTemplateResult = Annotated[
    RhkTemplateType | MutationError, strawberry.union("RhkTemplateResult")
]
RhkTemplateRemoved = Annotated[
    RemovedTemplate | MutationError, strawberry.union("RhkTemplateRemoved")
]


@strawberry.input
class EkspektasiInput:
    nilai: str = strawberry.field(description="A BerAKHLAK kode, e.g. AKUNTABEL.")
    ekspektasi: str


@strawberry.input
class RencanaAksiInput:
    teks: str
    target: str | None = None


@strawberry.type(description="A year's evaluation cadence.")
class KadensiSet:
    tahun: int
    kadensi: Kadensi


KadensiResult = Annotated[KadensiSet | MutationError, strawberry.union("KadensiResult")]


@strawberry.type
class SkpMutation:
    @strawberry.mutation(description="Admin: the evaluation cadence of a year (audited).")
    async def set_kadensi(self, info: Info, tahun: int, kadensi: Kadensi) -> KadensiResult:
        await ensure_allowed(info, Operation.CONFIGURE_INSTANSI)
        subject = info.context.principal.subject
        result = await guarded(lambda: periods.set_kadensi(check_tahun(tahun), kadensi, subject))
        if isinstance(result, MutationError):
            return result
        return KadensiSet(tahun=tahun, kadensi=kadensi)

    @strawberry.mutation(description="Replace one lampiran section of my draft SKP.")
    async def save_lampiran(
        self,
        info: Info,
        skp_id: strawberry.ID,
        expected_version: int,
        jenis: JenisLampiran,
        items: list[str],
    ) -> SkpResult:
        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await editing.save_lampiran(skp, version, caller, jenis, items)

        return await _transition(info, skp_id, Operation.PLAN_SKP, change, expected_version)

    @strawberry.mutation(
        description="Replace an RHK's rencana aksi for one evaluation window: the n-th item "
        "keeps the id of the n-th one saved (progres harian refers to them); one with progres "
        "is never dropped (RENCANA_AKSI_HAS_PROGRES)."
    )
    async def save_rencana_aksi(
        self,
        info: Info,
        skp_id: strawberry.ID,
        expected_version: int,
        rhk_id: strawberry.ID,
        periode: str,
        items: list[RencanaAksiInput],
    ) -> SkpResult:
        pairs = [(i.teks, i.target) for i in items]

        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await editing.save_rencana_aksi(
                skp, version, caller, _id(rhk_id, "rhkId"), periode, pairs
            )

        return await _transition(info, skp_id, Operation.PLAN_SKP, change, expected_version)

    @strawberry.mutation(description="Start my SKP for a period (snapshots taken now).")
    async def create_skp(self, info: Info, input: CreateSkpInput) -> SkpResult:
        create = copy_forward.skp_from_templates if input.dari_template else None

        async def change():
            request = lifecycle.NewSkp(
                check_tahun(input.tahun),
                input.pendekatan,
                input.periode_awal,
                input.periode_akhir,
                input.jenis_form,
            )
            if create:
                return await create(request, _caller(info))
            return await lifecycle.create_skp(_caller(info), request)

        return await _run(info, Operation.PLAN_SKP, info.context.pegawai_id or -1, change)

    @strawberry.mutation(description="Start next year's SKP from one of mine (a new draft).")
    async def copy_skp(self, info: Info, skp_id: strawberry.ID, tahun: int) -> SkpResult:
        owner = await owner_of_skp(skp_id)
        if owner is None:
            return _refused_unknown(skp_id)
        return await _run(
            info,
            Operation.PLAN_SKP,
            owner,
            lambda: copy_forward.copy_skp(int(skp_id), check_tahun(tahun), _caller(info)),
        )

    @strawberry.mutation(description="Admin: add or replace an RHK template of a jabatan.")
    async def save_rhk_template(self, info: Info, input: RhkTemplateInput) -> RhkTemplateResult:
        await ensure_allowed(info, Operation.MANAGE_RHK_TEMPLATES)
        result = await guarded(
            lambda: templates.save_template(
                _id(input.jabatan_id, "jabatanId"),
                input.teks,
                input.jenis,
                tuple(_indikator(i) for i in input.indikator),
                info.context.principal.subject,
                _id(input.template_id, "templateId"),
            )
        )
        if isinstance(result, MutationError):
            return result
        return RhkTemplateType.from_model(result)

    @strawberry.mutation(description="Admin: remove an RHK template.")
    async def remove_rhk_template(
        self, info: Info, template_id: strawberry.ID
    ) -> RhkTemplateRemoved:
        await ensure_allowed(info, Operation.MANAGE_RHK_TEMPLATES)
        result = await guarded(
            lambda: templates.remove_template(
                _id(template_id, "templateId"), info.context.principal.subject
            )
        )
        if isinstance(result, MutationError):
            return result
        return RemovedTemplate(template_id=template_id)

    @strawberry.mutation(description="Add or replace an RHK of my draft SKP.")
    async def save_rhk(self, info: Info, input: SaveRhkInput) -> SkpResult:
        owner = await owner_of_skp(input.skp_id)
        if owner is None:
            return _refused_unknown(input.skp_id)

        async def change():
            # Ids are read here, inside the guarded change, so a malformed one is a refusal.
            request = editing.RhkInput(
                teks=input.teks,
                jenis=input.jenis,
                klasifikasi=input.klasifikasi,
                intervensi_rhk_id=_id(input.intervensi_rhk_id, "intervensiRhkId"),
                intervensi_eksternal=input.intervensi_eksternal,
                penugasan_dari=input.penugasan_dari,
                indikator=tuple(_indikator(i) for i in input.indikator),
            )
            return await editing.save_rhk(
                int(input.skp_id),
                input.expected_version,
                _caller(info),
                request,
                _id(input.rhk_id, "rhkId"),
            )

        return await _run(info, Operation.PLAN_SKP, owner, change)

    @strawberry.mutation(
        description="Remove an RHK of my draft; refused (RHK_HAS_REALISASI, RHK_HAS_PROGRES, "
        "RHK_HAS_UMPAN_BALIK, RHK_INTERVENED) while anything refers to it."
    )
    async def remove_rhk(
        self, info: Info, skp_id: strawberry.ID, expected_version: int, rhk_id: strawberry.ID
    ) -> SkpResult:
        owner = await owner_of_skp(skp_id)
        if owner is None:
            return _refused_unknown(skp_id)
        return await _run(
            info,
            Operation.PLAN_SKP,
            owner,
            lambda: editing.remove_rhk(
                int(skp_id), expected_version, _caller(info), _id(rhk_id, "rhkId")
            ),
        )

    @strawberry.mutation(description="Submit my draft to my pejabat penilai.")
    async def submit_skp(
        self, info: Info, skp_id: strawberry.ID, expected_version: int
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.PLAN_SKP, lifecycle.submit, expected_version
        )

    @strawberry.mutation(description="Take my submitted SKP back to draft.")
    async def withdraw_skp(
        self, info: Info, skp_id: strawberry.ID, expected_version: int
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.PLAN_SKP, lifecycle.withdraw, expected_version
        )

    @strawberry.mutation(description="Start a perubahan: a new draft version of my approved SKP.")
    async def revise_skp(
        self, info: Info, skp_id: strawberry.ID, expected_version: int
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.PLAN_SKP, lifecycle.revise, expected_version
        )

    @strawberry.mutation(description="As its pejabat penilai: return an SKP to draft with a note.")
    async def return_skp(
        self, info: Info, skp_id: strawberry.ID, expected_version: int, catatan: str
    ) -> SkpResult:
        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await lifecycle.return_to_draft(skp, version, caller, catatan)

        return await _transition(info, skp_id, Operation.REVIEW_SKP, change, expected_version)

    @strawberry.mutation(description="As its pejabat penilai: approve, with expectations.")
    async def approve_skp(
        self,
        info: Info,
        skp_id: strawberry.ID,
        expected_version: int,
        ekspektasi: list[EkspektasiInput] | None = None,
    ) -> SkpResult:
        expectations = {e.nilai: e.ekspektasi for e in ekspektasi or []}

        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await lifecycle.approve(skp, version, caller, expectations)

        return await _transition(info, skp_id, Operation.REVIEW_SKP, change, expected_version)

    @strawberry.mutation(description="Admin: re-read the pegawai and penilai of a draft (audited).")
    async def refresh_skp_snapshots(
        self, info: Info, skp_id: strawberry.ID, expected_version: int
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.CORRECT_SKP, lifecycle.refresh_snapshots, expected_version
        )

    @strawberry.mutation(
        description="End my SKP (or, as admin instansi, a pegawai's) before its planned date: "
        "its last day becomes tanggalAkhir, as at a retirement or a transfer (creating the SKP "
        "for a new post does this by itself). Refused when anything is recorded after that day."
    )
    async def akhiri_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description="The SKP to end.")],
        expected_version: Annotated[
            int, strawberry.argument(description="Its lockVersion as you read it.")
        ],
        tanggal_akhir: Annotated[
            date,
            strawberry.argument(
                description="Its new last day: from its start to the day before its planned end."
            ),
        ],
        alasan: Annotated[
            str, strawberry.argument(description="Why it ends early (audited); at most 2000.")
        ],
    ) -> SkpResult:
        owner = await owner_of_skp(skp_id)
        if owner is None:
            return _refused_unknown(skp_id)
        # The pegawai plans their own SKP; an admin corrects anyone's.
        mine = info.context.pegawai_id is not None and info.context.pegawai_id == owner
        operation = Operation.PLAN_SKP if mine else Operation.CORRECT_SKP
        return await _run(info, operation, owner, lambda: pengakhiran.akhiri(
            int(skp_id), expected_version, tanggal_akhir, alasan, _caller(info)
        ))  # fmt: skip


async def _transition(info: Info, skp_id: strawberry.ID, operation: Operation, step, version: int):
    owner = await owner_of_skp(skp_id)
    if owner is None:
        return _refused_unknown(skp_id)
    return await _run(info, operation, owner, lambda: step(int(skp_id), version, _caller(info)))
