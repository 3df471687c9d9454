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
from ekinerja.schema.enum_descriptions import described_enum
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
from ekinerja.skp import editing, lifecycle, pengakhiran
from ekinerja.skp import periode as periods
from ekinerja.skp import salin_maju as copy_forward
from ekinerja.skp import templat as templates
from ekinerja.skp.enums import Kadensi as KadensiEnum
from ekinerja.tahun import check_tahun


@strawberry.type(description="The SKP after a change (with its new versiKunci).")
class SkpDiubah:
    skp: Skp = strawberry.field(description="The SKP as it is now.")
    rhk: Rhk | None = strawberry.field(
        default=None, description="The RHK saved, for simpan RHK (simpanRhk); null otherwise."
    )


SkpResult = Annotated[
    SkpDiubah | MutationError,
    strawberry.union(
        "SkpResult",
        description="SkpDiubah, or a MutationError saying why nothing was written.",
    ),
]
Kadensi = described_enum(
    KadensiEnum,
    description="Kadensi: how often a year's periodic evaluation happens (the instansi chooses "
    "per year).",
    values={
        KadensiEnum.BULANAN: "Bulanan: monthly, windows YYYY-B1 … YYYY-B12.",
        KadensiEnum.TRIWULANAN: "Triwulanan: quarterly, windows YYYY-T1 … YYYY-T4.",
        KadensiEnum.SEMESTERAN: "Semesteran: by semester, windows YYYY-S1 and YYYY-S2.",
    },
)

_SKP_ID = "The SKP (its id)."
_VERSION = "The SKP's versiKunci as you read it; refused with STALE_VERSION if it changed since."


def _caller(info: Info) -> lifecycle.Caller:
    return lifecycle.Caller(info.context.pegawai_id, info.context.principal.subject)


_id = parse_id


async def _run(
    info: Info, operation: Operation, target: int | None, change: Callable[[], Awaitable]
) -> SkpDiubah | MutationError:
    await ensure_allowed(info, operation, target)
    result = await guarded(change)
    if isinstance(result, MutationError):
        return result
    if isinstance(result, models.Rhk):
        skp = await models.Skp.get(id=result.skp_id)
        return SkpDiubah(skp=Skp.from_model(skp), rhk=Rhk.from_model(result))
    return SkpDiubah(skp=Skp.from_model(result))


async def owner_of_skp(skp_id: strawberry.ID) -> int | None:
    """The pegawai who owns an SKP (to authorize against), or None for no such SKP."""
    found = id_or_none(skp_id, "Skp")
    if found is None:
        return None
    return await models.Skp.get_or_none(id=found).values_list("pegawai_id", flat=True)


def _refused_unknown(skp_id: strawberry.ID) -> MutationError:
    """No SKP owns ``skp_id``: it is not an id at all, or names no SKP."""
    try:
        parse_id(skp_id, "skpId", "Skp")
    except Refusal as refusal:
        return MutationError.of(refusal)
    return MutationError(code="NOT_FOUND", message=f"no SKP with id {skp_id}", field="skpId")


@strawberry.input(description="A new SKP of the caller.")
class BuatSkpInput:
    tahun: int = strawberry.field(description="The year it plans, 2000 to 2100.")
    pendekatan: PendekatanSkp = strawberry.field(description="Kuantitatif or kualitatif.")
    periode_awal: date | None = strawberry.field(
        default=None,
        description="Its first day; default 1 January, or the start of the "
        "position taken up that year.",
    )
    periode_akhir: date | None = strawberry.field(
        default=None, description="Its last day (inclusive); default 31 December."
    )
    jenis_form: JenisFormSkp | None = strawberry.field(
        default=None, description="Default: JPT for a JPT position, else JA_JF."
    )
    dari_template: bool = strawberry.field(
        default=False,
        description="Fill it with the RHK templates of my jabatan.",
        name="dariTemplat",
    )


@strawberry.input(
    description="An indikator kinerja individu (IKI): a numeric target (targetMin, optional "
    "targetMax, satuan) or a qualitative one (targetKualitatif)."
)
class IndikatorInput:
    teks: str = strawberry.field(description="The indikator as worded.")
    aspek: AspekIki | None = strawberry.field(
        default=None, description="What it measures (kuantitas, kualitas, waktu, biaya)."
    )
    target_min: Decimal | None = strawberry.field(
        default=None, description="The numeric target, or the low end of a range."
    )
    target_max: Decimal | None = strawberry.field(
        default=None, description="The high end of a range; null for a single number."
    )
    satuan: str | None = strawberry.field(
        default=None, description="The target's unit, e.g. Dokumen, %."
    )
    target_kualitatif: str | None = strawberry.field(
        default=None, description="The target in words, for a KUALITATIF SKP."
    )
    perspektif: PerspektifJpt | None = strawberry.field(
        default=None, description="JPT form: its balanced-scorecard perspective."
    )
    bagian_dari_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Direct cascading: the intervened RHK's indikator this is a part of.",
    )
    dasar_pembagian: DasarPembagian | None = strawberry.field(
        default=None, description="Direct cascading: how this part is split off."
    )
    wilayah: str | None = strawberry.field(
        default=None, description="Direct cascading by WILAYAH: the part's region."
    )
    id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One of this RHK's indikator, updated in place so its id (which realisasi "
        "and integrators refer to) stays. Naming none, the list is matched by position.",
    )


@strawberry.input(description="A whole RHK: omit rhkId to add one, give it to replace one.")
class SimpanRhkInput:
    skp_id: strawberry.ID = strawberry.field(description=_SKP_ID)
    expected_version: int = strawberry.field(description=_VERSION, name="versiDiharapkan")
    teks: str = strawberry.field(description="The planned result, as worded.")
    indikator: list[IndikatorInput] = strawberry.field(
        description="Its indikator, replacing those it had."
    )
    rhk_id: strawberry.ID | None = strawberry.field(
        default=None, description="The RHK to replace; null adds a new one."
    )
    jenis: JenisRhk = strawberry.field(
        default=JenisRhk.UTAMA, description="Utama (main) or tambahan (additional)."
    )
    klasifikasi: KlasifikasiRhk | None = strawberry.field(
        default=None, description="JPT form: organisasi or individu."
    )
    intervensi_rhk_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The pejabat penilai's RHK this one intervenes (Skp.rhkAtasan lists them); "
        "on the JA/JF form, submitting needs it (or intervensiEksternal) where the instansi's "
        "settings require it.",
    )
    intervensi_eksternal: str | None = strawberry.field(
        default=None,
        description="A superior's result outside the system (e.g. the Bupati's), free text.",
    )
    penugasan_dari: str | None = strawberry.field(
        default=None, description="JPT form: where the assignment comes from."
    )


def _indikator(i: IndikatorInput) -> editing.IndikatorInput:
    return editing.IndikatorInput(
        i.teks,
        i.aspek,
        i.target_min,
        i.target_max,
        i.satuan,
        i.target_kualitatif,
        i.perspektif,
        _id(i.bagian_dari_id, "indikator.bagianDariId", "Indikator"),
        i.dasar_pembagian,
        i.wilayah,
        _id(i.id, "indikator.id", "Indikator"),
    )


@strawberry.input(description="An RHK template: omit templatId to add one.")
class TemplatRhkInput:
    jabatan_id: strawberry.ID = strawberry.field(description="The jabatan it is offered to.")
    teks: str = strawberry.field(description="The RHK's text.")
    indikator: list[IndikatorInput] = strawberry.field(description="Its indikator.")
    jenis: JenisRhk = strawberry.field(default=JenisRhk.UTAMA, description="Utama or tambahan.")
    template_id: strawberry.ID | None = strawberry.field(
        default=None, description="The templat to replace; null adds one.", name="templatId"
    )


@strawberry.type(description="The templat RHK was removed.")
class TemplatDihapus:
    template_id: strawberry.ID = strawberry.field(
        description="The removed templat's id.", name="templatId"
    )


TemplatRhkResult = Annotated[
    RhkTemplateType | MutationError,
    strawberry.union(
        "TemplatRhkResult", description="The templat as saved, or why nothing was written."
    ),
]
TemplatRhkDihapus = Annotated[
    TemplatDihapus | MutationError,
    strawberry.union(
        "TemplatRhkDihapus", description="TemplatDihapus, or why nothing was removed."
    ),
]


@strawberry.input(
    description="Ekspektasi khusus pimpinan: the leader's specific expectation for one "
    "BerAKHLAK value."
)
class EkspektasiInput:
    nilai: str = strawberry.field(description="A BerAKHLAK kode, e.g. AKUNTABEL.")
    ekspektasi: str = strawberry.field(description="The expectation, as written.")


@strawberry.input(description="One rencana aksi (action plan item) of an RHK in a window.")
class RencanaAksiInput:
    teks: str = strawberry.field(description="What will be done.")
    target: str | None = strawberry.field(
        default=None, description="Its target in the window, free text; null if none."
    )


@strawberry.type(description="A year's evaluation cadence.")
class KadensiDiatur:
    tahun: int = strawberry.field(description="The year.")
    kadensi: Kadensi = strawberry.field(description="Its cadence now.")


KadensiResult = Annotated[
    KadensiDiatur | MutationError,
    strawberry.union("KadensiResult", description="KadensiDiatur, or why nothing changed."),
]


@strawberry.type
class SkpMutation:
    @strawberry.mutation(description="Admin: the evaluation cadence of a year (audited).")
    async def atur_kadensi(
        self,
        info: Info,
        tahun: Annotated[int, strawberry.argument(description="The year, 2000 to 2100.")],
        kadensi: Annotated[
            Kadensi,
            strawberry.argument(
                description="Its cadence; refused once rencana aksi are planned in that year."
            ),
        ],
    ) -> KadensiResult:
        await ensure_allowed(info, Operation.CONFIGURE_INSTANSI)
        subject = info.context.principal.subject
        result = await guarded(lambda: periods.set_kadensi(check_tahun(tahun), kadensi, subject))
        if isinstance(result, MutationError):
            return result
        return KadensiDiatur(tahun=tahun, kadensi=kadensi)

    @strawberry.mutation(description="Replace one lampiran section of my draft SKP.")
    async def simpan_lampiran(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
        jenis: Annotated[JenisLampiran, strawberry.argument(description="The section.")],
        butir: Annotated[
            list[str], strawberry.argument(description="Its items in order, replacing all.")
        ],
    ) -> SkpResult:
        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await editing.save_lampiran(skp, version, caller, jenis, butir)

        return await _transition(info, skp_id, Operation.PLAN_SKP, change, versi_diharapkan)

    @strawberry.mutation(
        description="Replace an RHK's rencana aksi for one evaluation window: the n-th item "
        "keeps the id of the n-th one saved (progres harian refers to them); one with progres "
        "is never dropped (RENCANA_AKSI_HAS_PROGRES)."
    )
    async def simpan_rencana_aksi(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
        rhk_id: Annotated[strawberry.ID, strawberry.argument(description="The RHK.")],
        periode: Annotated[
            str, strawberry.argument(description="Kode periode of the window, e.g. 2026-T1.")
        ],
        butir: Annotated[
            list[RencanaAksiInput],
            strawberry.argument(description="The window's rencana aksi, in order."),
        ],
    ) -> SkpResult:
        pairs = [(i.teks, i.target) for i in butir]

        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await editing.save_rencana_aksi(
                skp, version, caller, _id(rhk_id, "rhkId", "Rhk"), periode, pairs
            )

        return await _transition(info, skp_id, Operation.PLAN_SKP, change, versi_diharapkan)

    @strawberry.mutation(description="Start my SKP for a period (snapshots taken now).")
    async def buat_skp(
        self,
        info: Info,
        input: Annotated[BuatSkpInput, strawberry.argument(description="The new SKP.")],
    ) -> SkpResult:
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
    async def salin_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description="The SKP to copy.")],
        tahun: Annotated[int, strawberry.argument(description="The year of the new draft.")],
    ) -> SkpResult:
        owner = await owner_of_skp(skp_id)
        if owner is None:
            return _refused_unknown(skp_id)
        return await _run(
            info,
            Operation.PLAN_SKP,
            owner,
            lambda: copy_forward.copy_skp(
                _id(skp_id, "skpId", "Skp"), check_tahun(tahun), _caller(info)
            ),
        )

    @strawberry.mutation(description="Admin: add or replace an RHK template of a jabatan.")
    async def simpan_templat_rhk(
        self,
        info: Info,
        input: Annotated[TemplatRhkInput, strawberry.argument(description="The templat.")],
    ) -> TemplatRhkResult:
        await ensure_allowed(info, Operation.MANAGE_RHK_TEMPLATES)
        result = await guarded(
            lambda: templates.save_template(
                _id(input.jabatan_id, "jabatanId", "Jabatan"),
                input.teks,
                input.jenis,
                tuple(_indikator(i) for i in input.indikator),
                info.context.principal.subject,
                _id(input.template_id, "templatId", "TemplatRhk"),
            )
        )
        if isinstance(result, MutationError):
            return result
        return RhkTemplateType.from_model(result)

    @strawberry.mutation(description="Admin: remove an RHK template.")
    async def hapus_templat_rhk(
        self,
        info: Info,
        templat_id: Annotated[strawberry.ID, strawberry.argument(description="The templat.")],
    ) -> TemplatRhkDihapus:
        await ensure_allowed(info, Operation.MANAGE_RHK_TEMPLATES)
        result = await guarded(
            lambda: templates.remove_template(
                _id(templat_id, "templatId", "TemplatRhk"), info.context.principal.subject
            )
        )
        if isinstance(result, MutationError):
            return result
        return TemplatDihapus(template_id=templat_id)

    @strawberry.mutation(description="Add or replace an RHK of my draft SKP.")
    async def simpan_rhk(
        self,
        info: Info,
        input: Annotated[SimpanRhkInput, strawberry.argument(description="The whole RHK.")],
    ) -> SkpResult:
        owner = await owner_of_skp(input.skp_id)
        if owner is None:
            return _refused_unknown(input.skp_id)

        async def change():
            # Ids are read here, inside the guarded change, so a malformed one is a refusal.
            request = editing.RhkInput(
                teks=input.teks,
                jenis=input.jenis,
                klasifikasi=input.klasifikasi,
                intervensi_rhk_id=_id(input.intervensi_rhk_id, "intervensiRhkId", "Rhk"),
                intervensi_eksternal=input.intervensi_eksternal,
                penugasan_dari=input.penugasan_dari,
                indikator=tuple(_indikator(i) for i in input.indikator),
            )
            return await editing.save_rhk(
                _id(input.skp_id, "skpId", "Skp"),
                input.expected_version,
                _caller(info),
                request,
                _id(input.rhk_id, "rhkId", "Rhk"),
            )

        return await _run(info, Operation.PLAN_SKP, owner, change)

    @strawberry.mutation(
        description="Remove an RHK of my draft; refused (RHK_HAS_REALISASI, RHK_HAS_PROGRES, "
        "RHK_HAS_UMPAN_BALIK, RHK_INTERVENED) while anything refers to it."
    )
    async def hapus_rhk(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
        rhk_id: Annotated[strawberry.ID, strawberry.argument(description="The RHK to remove.")],
    ) -> SkpResult:
        owner = await owner_of_skp(skp_id)
        if owner is None:
            return _refused_unknown(skp_id)
        return await _run(
            info,
            Operation.PLAN_SKP,
            owner,
            lambda: editing.remove_rhk(
                _id(skp_id, "skpId", "Skp"),
                versi_diharapkan,
                _caller(info),
                _id(rhk_id, "rhkId", "Rhk"),
            ),
        )

    @strawberry.mutation(description="Submit my draft to my pejabat penilai.")
    async def ajukan_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.PLAN_SKP, lifecycle.submit, versi_diharapkan
        )

    @strawberry.mutation(description="Take my submitted SKP back to draft.")
    async def tarik_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.PLAN_SKP, lifecycle.withdraw, versi_diharapkan
        )

    @strawberry.mutation(description="Start a perubahan: a new draft version of my approved SKP.")
    async def revisi_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.PLAN_SKP, lifecycle.revise, versi_diharapkan
        )

    @strawberry.mutation(description="As its pejabat penilai: return an SKP to draft with a note.")
    async def kembalikan_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
        catatan: Annotated[
            str,
            strawberry.argument(
                description="Catatan pengembalian: what to change, shown to the pegawai."
            ),
        ],
    ) -> SkpResult:
        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await lifecycle.return_to_draft(skp, version, caller, catatan)

        return await _transition(info, skp_id, Operation.REVIEW_SKP, change, versi_diharapkan)

    @strawberry.mutation(description="As its pejabat penilai: approve, with expectations.")
    async def setujui_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
        ekspektasi: Annotated[
            list[EkspektasiInput] | None,
            strawberry.argument(
                description="Ekspektasi khusus pimpinan per BerAKHLAK value; null: none."
            ),
        ] = None,
    ) -> SkpResult:
        expectations = {e.nilai: e.ekspektasi for e in ekspektasi or []}

        async def change(skp: int, version: int, caller: lifecycle.Caller):
            return await lifecycle.approve(skp, version, caller, expectations)

        return await _transition(info, skp_id, Operation.REVIEW_SKP, change, versi_diharapkan)

    @strawberry.mutation(description="Admin: re-read the pegawai and penilai of a draft (audited).")
    async def segarkan_snapshot_skp(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description=_SKP_ID)],
        versi_diharapkan: Annotated[int, strawberry.argument(description=_VERSION)],
    ) -> SkpResult:
        return await _transition(
            info, skp_id, Operation.CORRECT_SKP, lifecycle.refresh_snapshots, versi_diharapkan
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
        versi_diharapkan: Annotated[
            int, strawberry.argument(description="Its versiKunci as you read it.")
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
            _id(skp_id, "skpId", "Skp"), versi_diharapkan, tanggal_akhir, alasan, _caller(info)
        ))  # fmt: skip


async def _transition(info: Info, skp_id: strawberry.ID, operation: Operation, step, version: int):
    owner = await owner_of_skp(skp_id)
    if owner is None:
        return _refused_unknown(skp_id)
    return await _run(
        info, operation, owner, lambda: step(_id(skp_id, "skpId", "Skp"), version, _caller(info))
    )
