"""Mutations of pelaksanaan. Each runs in a savepoint (mutation_errors.guarded): a refusal
comes back as data, with every bad row for bulk input, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

import strawberry
from graphql import FieldNode

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.pelaksanaan import bukti, progres, realisasi, umpan_balik, windows
from ekinerja.refusals import Refusal, RowsRefused
from ekinerja.schema.context import Context, Info
from ekinerja.schema.ids import id_or_none, parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.outside_transaction import argument, before_transaction
from ekinerja.schema.pelaksanaan.storage import limits, store_in, store_of
from ekinerja.schema.pelaksanaan.types import (
    BuktiDukung,
    KalimatUmpanBalik,
    ProgresHarian,
    SasaranUmpanBalik,
    StatusEvaluasi,
    TanggapanUmpanBalik,
    UmpanBalik,
)
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.schema.skp.mutations import owner_of_skp
from ekinerja.skp.lifecycle import Caller
from ekinerja.tenants.registry import as_bound

MAX_BULK_ROWS = 1000


@strawberry.type(description="A bad row of bulk input.")
class RowError:
    row: int = strawberry.field(description="1 for the first row given.")
    field: str
    message: str


@strawberry.type(description="Bulk input refused: every bad row is listed; nothing was written.")
class RowsRejected:
    code: str
    message: str
    rows: list[RowError]


@strawberry.input(description="A daily log entry.")
class ProgresHarianInput:
    rencana_aksi_id: strawberry.ID
    tanggal: date
    jam_mulai: time
    jam_selesai: time
    kegiatan: str
    realisasi: int = strawberry.field(description="A whole number (bilangan bulat).")
    satuan: str


@strawberry.type
class ProgresHarianSaved:
    progres: list[ProgresHarian]


@strawberry.type
class Removed:
    id: strawberry.ID


@strawberry.input
class RealisasiInput:
    indikator_id: strawberry.ID
    periode: str
    kuantitas: Decimal | None = None
    narasi: str | None = None


@strawberry.type
class RealisasiSaved:
    realisasi_id: strawberry.ID
    indikator_id: strawberry.ID
    periode: str
    kuantitas: Decimal | None
    narasi: str | None


@strawberry.input(description="One indikator's realisation in saveRealisasiBulk.")
class RealisasiItemInput:
    indikator_id: strawberry.ID
    kuantitas: Decimal | None = None
    narasi: str | None = None


@strawberry.type
class RealisasiBulkSaved:
    realisasi: list[RealisasiSaved] = strawberry.field(description="In the order given.")


@strawberry.type
class EvaluasiDiajukan:
    skp_id: strawberry.ID
    periode: str
    status: StatusEvaluasi
    diajukan_pada: datetime | None


@strawberry.input(description="A file to upload as evidence for a realisasi or progres entry.")
class BuktiUploadInput:
    nama: str = strawberry.field(description="The file name shown to readers.")
    content_type: str
    ukuran: int = strawberry.field(description="Size in bytes.")
    sha256: str = strawberry.field(description="Hex SHA-256 of the file's bytes.")
    realisasi_id: strawberry.ID | None = None
    progres_id: strawberry.ID | None = None


@strawberry.input(description="A link as evidence (e.g. a shared drive), as e-Kinerja allows.")
class BuktiLinkInput:
    nama: str
    tautan: str
    realisasi_id: strawberry.ID | None = None
    progres_id: strawberry.ID | None = None


@strawberry.type
class FormField:
    name: str
    value: str


@strawberry.type(
    description="Upload the file with an HTML-form POST (multipart/form-data) to `url` with "
    "these fields and then the file as field `file`; then call confirmBuktiDukung."
)
class BuktiUploadTicket:
    bukti: BuktiDukung
    url: str
    fields: list[FormField]
    expires_at: datetime


@strawberry.input
class UmpanBalikInput:
    skp_id: strawberry.ID
    periode: str
    rhk_id: strawberry.ID | None = None
    nilai_perilaku: str | None = strawberry.field(default=None, description="A BerAKHLAK kode.")
    kalimat: list[str] = strawberry.field(default_factory=list)
    teks: str | None = None


ProgresResult = Annotated[
    ProgresHarianSaved | RowsRejected | MutationError, strawberry.union("ProgresResult")
]
RemovedResult = Annotated[Removed | MutationError, strawberry.union("RemovedResult")]
RealisasiResult = Annotated[RealisasiSaved | MutationError, strawberry.union("RealisasiResult")]
RealisasiBulkResult = Annotated[
    RealisasiBulkSaved | RowsRejected | MutationError, strawberry.union("RealisasiBulkResult")
]
EvaluasiResult = Annotated[EvaluasiDiajukan | MutationError, strawberry.union("EvaluasiResult")]
BuktiUploadResult = Annotated[
    BuktiUploadTicket | MutationError, strawberry.union("BuktiUploadResult")
]
BuktiResult = Annotated[BuktiDukung | MutationError, strawberry.union("BuktiResult")]
UmpanBalikResult = Annotated[UmpanBalik | MutationError, strawberry.union("UmpanBalikResult")]
TanggapanResult = Annotated[
    TanggapanUmpanBalik | MutationError, strawberry.union("TanggapanResult")
]


@strawberry.type
class KalimatList:
    kalimat: list[KalimatUmpanBalik]


KalimatSet = Annotated[KalimatList | MutationError, strawberry.union("KalimatSet")]


def _caller(info: Info) -> Caller:
    return Caller(info.context.pegawai_id, info.context.principal.subject)


def _sumber(info: Info) -> str:
    principal = info.context.principal
    return "ekinerja" if principal.is_person else f"api:{principal.subject}"[:100]


async def _reporting(info: Info, owner: int | None = None) -> None:
    """Reporting is about one's own records (a person), or any in the instansi (an integrator
    with the scope)."""
    await ensure_allowed(info, Operation.REPORT_PELAKSANAAN, owner or info.context.pegawai_id)


def _rows(inputs: list[ProgresHarianInput]) -> list[progres.ProgresInput]:
    return [
        progres.ProgresInput(
            rencana_aksi_id=parse_id(i.rencana_aksi_id, f"rows[{n}].rencanaAksiId"),
            tanggal=i.tanggal,
            jam_mulai=i.jam_mulai,
            jam_selesai=i.jam_selesai,
            kegiatan=i.kegiatan,
            realisasi=i.realisasi,
            satuan=i.satuan,
        )
        for n, i in enumerate(inputs, 1)
    ]


def _refused(refusal: Refusal) -> RowsRejected | MutationError:
    """Bulk refusals keep their rows; any other refusal is a MutationError."""
    if isinstance(refusal, RowsRefused):
        return RowsRejected(
            code=refusal.code,
            message=refusal.message,
            rows=[RowError(row=p.row, field=p.field, message=p.message) for p in refusal.problems],
        )
    return MutationError.of(refusal)


async def _write_progres(change) -> ProgresResult:
    result = await guarded(change, _refused)
    if isinstance(result, RowsRejected | MutationError):
        return result
    rows = {r.id: r for r in await models.ProgresHarian.filter(id__in=result)}
    return ProgresHarianSaved(progres=[ProgresHarian.from_model(rows[i], []) for i in result])


def _realisasi_saved(row: models.Realisasi | realisasi.SavedRealisasi) -> RealisasiSaved:
    return RealisasiSaved(
        realisasi_id=strawberry.ID(str(row.id)),
        indikator_id=strawberry.ID(str(row.indikator_id)),
        periode=row.periode,
        kuantitas=row.kuantitas,
        narasi=row.narasi,
    )


def _target(realisasi_id, progres_id) -> bukti.Target:
    return bukti.Target(parse_id(realisasi_id, "realisasiId"), parse_id(progres_id, "progresId"))


_INSPECTION = "bukti.inspection"


@before_transaction("confirmBuktiDukung")
async def _inspect_upload(context: Context, field: FieldNode, variables: dict) -> None:
    """Ask the store about the upload before the request's transaction (decision 0018); a bad
    id is left for the resolver to refuse."""
    found = id_or_none(argument(field, "buktiId", variables))
    if found is None or (_INSPECTION, found) in context.prepared:
        return
    inspection = await bukti.inspect_upload(
        found, as_bound(context.instansi), store_in(context), context.principal
    )
    context.prepared[(_INSPECTION, found)] = inspection


@strawberry.type
class PelaksanaanMutation:
    @strawberry.mutation(description="Log one daily progress entry on my approved SKP.")
    async def create_progres_harian(self, info: Info, input: ProgresHarianInput) -> ProgresResult:
        await _reporting(info)
        return await _write_progres(
            lambda: progres.create_progres(_rows([input]), _caller(info), _sumber(info))
        )

    @strawberry.mutation(
        description=f"Log many entries at once (at most {MAX_BULK_ROWS}): all or none; every "
        "bad row is reported. Larger files: POST /pelaksanaan/progres-harian/import."
    )
    async def create_progres_harian_bulk(
        self, info: Info, rows: list[ProgresHarianInput]
    ) -> ProgresResult:
        await _reporting(info)
        if len(rows) > MAX_BULK_ROWS:
            return MutationError(
                code="TOO_MANY_ROWS", message=f"at most {MAX_BULK_ROWS} rows", field="rows"
            )
        return await _write_progres(
            lambda: progres.create_progres(_rows(rows), _caller(info), _sumber(info))
        )

    @strawberry.mutation(description="Change a daily log entry while its window is open.")
    async def update_progres_harian(
        self, info: Info, progres_id: strawberry.ID, input: ProgresHarianInput
    ) -> ProgresResult:
        await _reporting(info)

        async def change():
            entry = parse_id(progres_id, "progresId")
            return [await progres.update_progres(entry, _rows([input])[0], _caller(info))]

        return await _write_progres(change)

    @strawberry.mutation(description="Delete a daily log entry while its window is open.")
    async def delete_progres_harian(self, info: Info, progres_id: strawberry.ID) -> RemovedResult:
        await _reporting(info)
        result = await guarded(
            lambda: progres.delete_progres(parse_id(progres_id, "progresId"), _caller(info))
        )
        return result if isinstance(result, MutationError) else Removed(id=progres_id)

    @strawberry.mutation(description="Record an indikator's realisation for a window.")
    async def save_realisasi(self, info: Info, input: RealisasiInput) -> RealisasiResult:
        await _reporting(info)
        result = await guarded(
            lambda: realisasi.save_realisasi(
                realisasi.RealisasiInput(
                    parse_id(input.indikator_id, "indikatorId"),
                    input.periode,
                    input.kuantitas,
                    input.narasi,
                ),
                _caller(info),
                _sumber(info),
            )
        )
        if isinstance(result, MutationError):
            return result
        return _realisasi_saved(result)

    @strawberry.mutation(
        description="Record the realisation of many indikator of one SKP in one window (at "
        f"most {realisasi.MAX_BULK_ITEMS}, each indikator once): all or none; every bad item "
        "is reported (rows count from 1)."
    )
    async def save_realisasi_bulk(
        self, info: Info, skp_id: strawberry.ID, periode: str, items: list[RealisasiItemInput]
    ) -> RealisasiBulkResult:
        await _reporting(info)
        result = await guarded(
            lambda: realisasi.save_realisasi_bulk(
                parse_id(skp_id, "skpId"),
                periode,
                [
                    realisasi.RealisasiItem(id_or_none(i.indikator_id), i.kuantitas, i.narasi)
                    for i in items
                ],
                _caller(info),
                _sumber(info),
            ),
            _refused,
        )
        if isinstance(result, RowsRejected | MutationError):
            return result
        return RealisasiBulkSaved(realisasi=[_realisasi_saved(r) for r in result])

    @strawberry.mutation(
        description="Submit a window's realisation for evaluation: its progres, realisasi and "
        "evidence no longer change."
    )
    async def ajukan_evaluasi_periodik(
        self, info: Info, skp_id: strawberry.ID, periode: str, catatan: str | None = None
    ) -> EvaluasiResult:
        owner = await owner_of_skp(skp_id)
        await _reporting(info, owner)
        result = await guarded(
            lambda: windows.submit(parse_id(skp_id, "skpId"), periode, _caller(info), catatan)
        )
        if isinstance(result, MutationError):
            return result
        return EvaluasiDiajukan(
            skp_id=skp_id,
            periode=result.periode,
            status=result.status,
            diajukan_pada=result.diajukan_pada,
        )

    @strawberry.mutation(
        description="Start uploading an evidence file: a presigned form bound to its type, "
        "size and SHA-256. Allowed: PDF, images, office documents."
    )
    async def request_bukti_dukung_upload(
        self, info: Info, input: BuktiUploadInput
    ) -> BuktiUploadResult:
        await _reporting(info)

        async def change():
            return await bukti.request_upload(
                bukti.UploadRequest(
                    _target(input.realisasi_id, input.progres_id),
                    input.nama,
                    input.content_type,
                    input.ukuran,
                    input.sha256,
                ),
                _caller(info),
                store_of(info),
                info.context.instansi.kode,
                limits(info),
            )

        result = await guarded(change)
        if isinstance(result, MutationError):
            return result
        row, form = result
        return BuktiUploadTicket(
            bukti=BuktiDukung.from_model(row),
            url=form.url,
            fields=[FormField(name=k, value=v) for k, v in form.fields.items()],
            expires_at=form.expires_at,
        )

    @strawberry.mutation(
        description="After uploading: the server checks the stored file (size, type, SHA-256) "
        "and links it."
    )
    async def confirm_bukti_dukung(self, info: Info, bukti_id: strawberry.ID) -> BuktiResult:
        await _reporting(info)
        context, store = info.context, store_of(info)

        def discard(key: str) -> None:
            context.after_transaction.append(lambda: store.delete(key))

        async def change():
            found = parse_id(bukti_id, "buktiId")
            inspection = context.prepared.get((_INSPECTION, found))
            return await bukti.confirm(found, _caller(info), inspection, context.instansi.kode,
                                       discard)  # fmt: skip

        result = await guarded(change)
        return result if isinstance(result, MutationError) else BuktiDukung.from_model(result)

    @strawberry.mutation(description="Add a link as evidence.")
    async def add_bukti_dukung_link(self, info: Info, input: BuktiLinkInput) -> BuktiResult:
        await _reporting(info)
        result = await guarded(
            lambda: bukti.add_link(
                _target(input.realisasi_id, input.progres_id),
                input.nama,
                input.tautan,
                _caller(info),
            )
        )
        return result if isinstance(result, MutationError) else BuktiDukung.from_model(result)

    @strawberry.mutation(description="Remove evidence while its window is open.")
    async def remove_bukti_dukung(self, info: Info, bukti_id: strawberry.ID) -> RemovedResult:
        await _reporting(info)
        result = await guarded(lambda: bukti.remove(parse_id(bukti_id, "buktiId"), _caller(info)))
        return result if isinstance(result, MutationError) else Removed(id=bukti_id)

    @strawberry.mutation(
        description="As an SKP's pejabat penilai: feedback on one RHK or BerAKHLAK value for "
        "a window (replaces the earlier one)."
    )
    async def give_umpan_balik(self, info: Info, input: UmpanBalikInput) -> UmpanBalikResult:
        try:
            parse_id(input.skp_id, "skpId")
        except Refusal as refusal:
            return MutationError.of(refusal)
        owner = await owner_of_skp(input.skp_id)
        await ensure_allowed(info, Operation.GIVE_UMPAN_BALIK, owner or -1)

        async def change():
            return await umpan_balik.give(
                umpan_balik.UmpanBalikInput(
                    parse_id(input.skp_id, "skpId"),
                    input.periode,
                    parse_id(input.rhk_id, "rhkId"),
                    input.nilai_perilaku,
                    tuple(input.kalimat),
                    input.teks,
                ),
                _caller(info),
            )

        result = await guarded(change)
        if isinstance(result, MutationError):
            return result
        return UmpanBalik.from_model(result, [])

    @strawberry.mutation(description="Reply to a feedback (the pegawai) or answer (the penilai).")
    async def reply_umpan_balik(
        self, info: Info, umpan_balik_id: strawberry.ID, teks: str
    ) -> TanggapanResult:
        await _reporting(info)
        result = await guarded(
            lambda: umpan_balik.reply(parse_id(umpan_balik_id, "umpanBalikId"), teks, _caller(info))
        )
        if isinstance(result, MutationError):
            return result
        return TanggapanUmpanBalik(
            id=strawberry.ID(str(result.id)),
            penulis_pegawai_id=strawberry.ID(str(result.penulis_pegawai_id)),
            teks=result.teks,
            created_at=result.created_at,
        )

    @strawberry.mutation(
        description="Admin: replace the suggested feedback sentences of one kind (an empty "
        "list restores the defaults)."
    )
    async def set_kalimat_umpan_balik(
        self, info: Info, sasaran: SasaranUmpanBalik, items: list[str]
    ) -> KalimatSet:
        await ensure_allowed(info, Operation.MANAGE_KALIMAT_UMPAN_BALIK)
        result = await guarded(
            lambda: umpan_balik.set_kalimat(sasaran, items, info.context.principal.subject)
        )
        if isinstance(result, MutationError):
            return result
        return KalimatList(kalimat=[KalimatUmpanBalik.of(k) for k in result])
