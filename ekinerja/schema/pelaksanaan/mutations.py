"""Mutations of pelaksanaan. Each runs in a savepoint (mutation_errors.guarded): a refusal
comes back as data, with every bad row for bulk input, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

import strawberry
from graphql import FieldNode

from ekinerja.auth.policy import Operation
from ekinerja.error_codes import ErrorCode
from ekinerja.models import tenant as models
from ekinerja.pelaksanaan import bukti, progres, realisasi, umpan_balik
from ekinerja.pelaksanaan import periode as windows
from ekinerja.refusals import Refusal, RowsRefused
from ekinerja.schema.context import Context, Info
from ekinerja.schema.ids import gid, id_or_none, parse_id
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
class KesalahanBaris:
    row: int = strawberry.field(description="1 for the first row given.", name="baris")
    field: str = strawberry.field(description="The row's field at fault, e.g. tanggal.")
    message: str = strawberry.field(description="What is wrong, in English.")


@strawberry.type(description="Bulk input refused: every bad row is listed; nothing was written.")
class BarisDitolak:
    code: ErrorCode = strawberry.field(description="Why, as a code (e.g. INVALID_ROWS).")
    message: str = strawberry.field(description="A summary, in English.")
    rows: list[KesalahanBaris] = strawberry.field(
        description="Every bad row, in order.", name="baris"
    )


_PERIODE = "Kode periode of the window, e.g. 2026-T1."
_TARGET = "Exactly one of realisasiId and progresId: the realisasi or progres harian it supports."


@strawberry.input(description="A daily log entry.")
class ProgresHarianInput:
    rencana_aksi_id: strawberry.ID = strawberry.field(
        description="The rencana aksi of my approved SKP in force that the work belongs to."
    )
    tanggal: date = strawberry.field(
        description="The day: inside the rencana aksi's window and the SKP's dates, not in the "
        "future, in a window not yet submitted."
    )
    jam_mulai: time = strawberry.field(description="Start time, wall clock.")
    jam_selesai: time = strawberry.field(description="End time, after jamMulai.")
    kegiatan: str = strawberry.field(description="What was done; at most 2000 characters.")
    realisasi: int = strawberry.field(description="A whole number (bilangan bulat).")
    satuan: str = strawberry.field(
        description="The unit of realisasi (e.g. dokumen); at most 50 characters."
    )


@strawberry.type(description="The progres harian written.")
class ProgresHarianDisimpan:
    progres: list[ProgresHarian] = strawberry.field(description="The entries, in the order given.")


@strawberry.type(description="The thing was removed.")
class Dihapus:
    id: strawberry.ID = strawberry.field(description="The removed thing's id.")


@strawberry.input(description="An indikator's realisasi in one window.")
class RealisasiInput:
    indikator_id: strawberry.ID = strawberry.field(description="The indikator.")
    periode: str = strawberry.field(description=_PERIODE)
    kuantitas: Decimal | None = strawberry.field(
        default=None, description="The quantity realised in the window, in the target's satuan."
    )
    narasi: str | None = strawberry.field(
        default=None, description="The account of what was achieved."
    )


@strawberry.type(description="A realisasi as saved.")
class RealisasiDisimpan:
    realisasi_id: strawberry.ID = strawberry.field(description="The realisasi's id.")
    indikator_id: strawberry.ID = strawberry.field(description="The indikator.")
    periode: str = strawberry.field(description=_PERIODE)
    kuantitas: Decimal | None = strawberry.field(description="The quantity; null if not given.")
    narasi: str | None = strawberry.field(description="The account; null if not given.")


@strawberry.input(description="One indikator's realisation in simpanRealisasiMassal.")
class ButirRealisasiInput:
    indikator_id: strawberry.ID = strawberry.field(description="The indikator, once per call.")
    kuantitas: Decimal | None = strawberry.field(
        default=None, description="The quantity realised in the window."
    )
    narasi: str | None = strawberry.field(
        default=None, description="The account of what was achieved."
    )


@strawberry.type(description="Every realisasi of the call was saved.")
class RealisasiMassalDisimpan:
    realisasi: list[RealisasiDisimpan] = strawberry.field(description="In the order given.")


@strawberry.type(description="The window was submitted for evaluation.")
class EvaluasiDiajukan:
    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    periode: str = strawberry.field(description=_PERIODE)
    status: StatusEvaluasi = strawberry.field(description="Its evaluation status now.")
    diajukan_pada: datetime | None = strawberry.field(description="When it was submitted.")


@strawberry.input(description="A file to upload as evidence for a realisasi or progres entry.")
class UnggahanBuktiInput:
    nama: str = strawberry.field(description="The file name shown to readers.")
    content_type: str = strawberry.field(
        description="Its media type, e.g. application/pdf: PDF, images and office documents."
    )
    ukuran: int = strawberry.field(description="Size in bytes.")
    sha256: str = strawberry.field(description="Hex SHA-256 of the file's bytes.")
    realisasi_id: strawberry.ID | None = strawberry.field(default=None, description=_TARGET)
    progres_id: strawberry.ID | None = strawberry.field(default=None, description=_TARGET)


@strawberry.input(description="A link as evidence (e.g. a shared drive), as e-Kinerja allows.")
class TautanBuktiInput:
    nama: str = strawberry.field(description="The name shown to readers.")
    tautan: str = strawberry.field(description="The link (an http or https URL).")
    realisasi_id: strawberry.ID | None = strawberry.field(default=None, description=_TARGET)
    progres_id: strawberry.ID | None = strawberry.field(default=None, description=_TARGET)


@strawberry.type(description="One field of the upload form.")
class FormField:
    name: str = strawberry.field(description="The form field's name.")
    value: str = strawberry.field(description="Its value, to send unchanged.")


@strawberry.type(
    description="Upload the file with an HTML-form POST (multipart/form-data) to `url` with "
    "these fields and then the file as field `file`; then call konfirmasiBuktiDukung."
)
class TiketUnggahanBukti:
    bukti: BuktiDukung = strawberry.field(
        description="The evidence, MENUNGGU_UNGGAHAN until confirmed."
    )
    url: str = strawberry.field(description="Where to POST the form.")
    fields: list[FormField] = strawberry.field(
        description="The form's fields, in order, before the file."
    )
    expires_at: datetime = strawberry.field(
        description="The form is refused after this.", name="berakhirPada"
    )


@strawberry.input(description="Umpan balik (feedback) on one RHK or one BerAKHLAK value.")
class UmpanBalikInput:
    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    periode: str = strawberry.field(description=_PERIODE)
    rhk_id: strawberry.ID | None = strawberry.field(
        default=None, description="The RHK, for feedback on hasil kerja; else null."
    )
    nilai_perilaku: str | None = strawberry.field(default=None, description="A BerAKHLAK kode.")
    kalimat: list[str] = strawberry.field(
        default_factory=list, description="Chosen kalimat umpan balik (ready-made sentences)."
    )
    teks: str | None = strawberry.field(default=None, description="Free text.")


ProgresResult = Annotated[
    ProgresHarianDisimpan | BarisDitolak | MutationError,
    strawberry.union(
        "ProgresResult",
        description="The entries written; or every bad row; or why nothing was written.",
    ),
]
DihapusResult = Annotated[
    Dihapus | MutationError,
    strawberry.union("DihapusResult", description="Removed, or why nothing was removed."),
]
RealisasiResult = Annotated[
    RealisasiDisimpan | MutationError,
    strawberry.union(
        "RealisasiResult", description="The realisasi saved, or why nothing was written."
    ),
]
RealisasiMassalResult = Annotated[
    RealisasiMassalDisimpan | BarisDitolak | MutationError,
    strawberry.union(
        "RealisasiMassalResult",
        description="All saved; or every bad item; or why nothing was written.",
    ),
]
EvaluasiResult = Annotated[
    EvaluasiDiajukan | MutationError,
    strawberry.union("EvaluasiResult", description="The window submitted, or why it was not."),
]
UnggahanBuktiResult = Annotated[
    TiketUnggahanBukti | MutationError,
    strawberry.union("UnggahanBuktiResult", description="The upload form, or why none was issued."),
]
BuktiResult = Annotated[
    BuktiDukung | MutationError,
    strawberry.union("BuktiResult", description="The evidence, or why nothing was written."),
]
UmpanBalikResult = Annotated[
    UmpanBalik | MutationError,
    strawberry.union(
        "UmpanBalikResult", description="The feedback saved, or why nothing was written."
    ),
]
TanggapanResult = Annotated[
    TanggapanUmpanBalik | MutationError,
    strawberry.union("TanggapanResult", description="The note saved, or why nothing was written."),
]


@strawberry.type(description="The instansi's suggested feedback sentences of one kind now.")
class DaftarKalimat:
    kalimat: list[KalimatUmpanBalik] = strawberry.field(description="The sentences, in order.")


KalimatDiatur = Annotated[
    DaftarKalimat | MutationError,
    strawberry.union("KalimatDiatur", description="The sentences now, or why nothing changed."),
]


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
            rencana_aksi_id=parse_id(i.rencana_aksi_id, f"rows[{n}].rencanaAksiId", "RencanaAksi"),
            tanggal=i.tanggal,
            jam_mulai=i.jam_mulai,
            jam_selesai=i.jam_selesai,
            kegiatan=i.kegiatan,
            realisasi=i.realisasi,
            satuan=i.satuan,
        )
        for n, i in enumerate(inputs, 1)
    ]


def _refused(refusal: Refusal) -> BarisDitolak | MutationError:
    """Bulk refusals keep their rows; any other refusal is a MutationError."""
    if isinstance(refusal, RowsRefused):
        return BarisDitolak(
            code=refusal.code,
            message=refusal.message,
            rows=[
                KesalahanBaris(row=p.row, field=p.field, message=p.message)
                for p in refusal.problems
            ],
        )
    return MutationError.of(refusal)


async def _write_progres(change) -> ProgresResult:
    result = await guarded(change, _refused)
    if isinstance(result, BarisDitolak | MutationError):
        return result
    rows = {r.id: r for r in await models.ProgresHarian.filter(id__in=result)}
    return ProgresHarianDisimpan(progres=[ProgresHarian.from_model(rows[i], []) for i in result])


def _realisasi_saved(row: models.Realisasi | realisasi.SavedRealisasi) -> RealisasiDisimpan:
    return RealisasiDisimpan(
        realisasi_id=gid("Realisasi", row.id),
        indikator_id=gid("Indikator", row.indikator_id),
        periode=row.periode,
        kuantitas=row.kuantitas,
        narasi=row.narasi,
    )


def _target(realisasi_id, progres_id) -> bukti.Target:
    return bukti.Target(
        parse_id(realisasi_id, "realisasiId", "Realisasi"),
        parse_id(progres_id, "progresId", "ProgresHarian"),
    )


_INSPECTION = "bukti.inspection"


@before_transaction("konfirmasiBuktiDukung")
async def _inspect_upload(context: Context, field: FieldNode, variables: dict) -> None:
    """Ask the store about the upload before the request's transaction (decision 0018); a bad
    id is left for the resolver to refuse."""
    found = id_or_none(argument(field, "buktiId", variables), "BuktiDukung", context.instansi.kode)
    if found is None or (_INSPECTION, found) in context.prepared:
        return
    inspection = await bukti.inspect_upload(
        found, as_bound(context.instansi), store_in(context), context.principal
    )
    context.prepared[(_INSPECTION, found)] = inspection


@strawberry.type
class PelaksanaanMutation:
    @strawberry.mutation(description="Log one daily progress entry on my approved SKP.")
    async def buat_progres_harian(
        self,
        info: Info,
        input: Annotated[ProgresHarianInput, strawberry.argument(description="The entry.")],
    ) -> ProgresResult:
        await _reporting(info)
        return await _write_progres(
            lambda: progres.create_progres(_rows([input]), _caller(info), _sumber(info))
        )

    @strawberry.mutation(
        description=f"Log many entries at once (at most {MAX_BULK_ROWS}): all or none; every "
        "bad row is reported. Larger files: POST /pelaksanaan/progres-harian/import."
    )
    async def buat_progres_harian_massal(
        self,
        info: Info,
        baris: Annotated[
            list[ProgresHarianInput],
            strawberry.argument(description=f"The entries, at most {MAX_BULK_ROWS}."),
        ],
    ) -> ProgresResult:
        await _reporting(info)
        if len(baris) > MAX_BULK_ROWS:
            return MutationError(
                code="TOO_MANY_ROWS", message=f"at most {MAX_BULK_ROWS} rows", field="rows"
            )
        return await _write_progres(
            lambda: progres.create_progres(_rows(baris), _caller(info), _sumber(info))
        )

    @strawberry.mutation(description="Change a daily log entry while its window is open.")
    async def ubah_progres_harian(
        self,
        info: Info,
        progres_id: Annotated[strawberry.ID, strawberry.argument(description="The entry.")],
        input: Annotated[
            ProgresHarianInput, strawberry.argument(description="Its new content, whole.")
        ],
    ) -> ProgresResult:
        await _reporting(info)

        async def change():
            entry = parse_id(progres_id, "progresId", "ProgresHarian")
            return [await progres.update_progres(entry, _rows([input])[0], _caller(info))]

        return await _write_progres(change)

    @strawberry.mutation(description="Delete a daily log entry while its window is open.")
    async def hapus_progres_harian(
        self,
        info: Info,
        progres_id: Annotated[strawberry.ID, strawberry.argument(description="The entry.")],
    ) -> DihapusResult:
        await _reporting(info)
        result = await guarded(
            lambda: progres.delete_progres(
                parse_id(progres_id, "progresId", "ProgresHarian"), _caller(info)
            )
        )
        return result if isinstance(result, MutationError) else Dihapus(id=progres_id)

    @strawberry.mutation(description="Record an indikator's realisation for a window.")
    async def simpan_realisasi(
        self,
        info: Info,
        input: Annotated[
            RealisasiInput,
            strawberry.argument(description="The realisasi; replaces the window's earlier one."),
        ],
    ) -> RealisasiResult:
        await _reporting(info)
        result = await guarded(
            lambda: realisasi.save_realisasi(
                realisasi.RealisasiInput(
                    parse_id(input.indikator_id, "indikatorId", "Indikator"),
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
    async def simpan_realisasi_massal(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description="The SKP.")],
        periode: Annotated[str, strawberry.argument(description=_PERIODE)],
        butir: Annotated[
            list[ButirRealisasiInput],
            strawberry.argument(description="One per indikator, each indikator at most once."),
        ],
    ) -> RealisasiMassalResult:
        await _reporting(info)
        result = await guarded(
            lambda: realisasi.save_realisasi_bulk(
                parse_id(skp_id, "skpId", "Skp"),
                periode,
                [
                    # Not an indikator's id of this instansi: that row's problem (an id of
                    # another instansi was refused before, RefuseOtherInstansiIds).
                    realisasi.RealisasiItem(
                        id_or_none(i.indikator_id, "Indikator"), i.kuantitas, i.narasi
                    )
                    for i in butir
                ],
                _caller(info),
                _sumber(info),
            ),
            _refused,
        )
        if isinstance(result, BarisDitolak | MutationError):
            return result
        return RealisasiMassalDisimpan(realisasi=[_realisasi_saved(r) for r in result])

    @strawberry.mutation(
        description="Submit a window's realisation for evaluation: its progres, realisasi and "
        "evidence no longer change."
    )
    async def ajukan_evaluasi_periodik(
        self,
        info: Info,
        skp_id: Annotated[strawberry.ID, strawberry.argument(description="The SKP.")],
        periode: Annotated[str, strawberry.argument(description=_PERIODE)],
        catatan: Annotated[
            str | None,
            strawberry.argument(description="A note for the penilai (catatan pegawai)."),
        ] = None,
    ) -> EvaluasiResult:
        owner = await owner_of_skp(skp_id)
        await _reporting(info, owner)
        result = await guarded(
            lambda: windows.submit(
                parse_id(skp_id, "skpId", "Skp"), periode, _caller(info), catatan
            )
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
    async def minta_unggahan_bukti_dukung(
        self,
        info: Info,
        input: Annotated[UnggahanBuktiInput, strawberry.argument(description="The file.")],
    ) -> UnggahanBuktiResult:
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
        return TiketUnggahanBukti(
            bukti=BuktiDukung.from_model(row),
            url=form.url,
            fields=[FormField(name=k, value=v) for k, v in form.fields.items()],
            expires_at=form.expires_at,
        )

    @strawberry.mutation(
        description="After uploading: the server checks the stored file (size, type, SHA-256) "
        "and links it."
    )
    async def konfirmasi_bukti_dukung(
        self,
        info: Info,
        bukti_id: Annotated[
            strawberry.ID, strawberry.argument(description="The evidence from the ticket.")
        ],
    ) -> BuktiResult:
        await _reporting(info)
        context, store = info.context, store_of(info)

        def discard(key: str) -> None:
            context.after_transaction.append(lambda: store.delete(key))

        async def change():
            found = parse_id(bukti_id, "buktiId", "BuktiDukung")
            inspection = context.prepared.get((_INSPECTION, found))
            return await bukti.confirm(found, _caller(info), inspection, context.instansi.kode,
                                       discard)  # fmt: skip

        result = await guarded(change)
        return result if isinstance(result, MutationError) else BuktiDukung.from_model(result)

    @strawberry.mutation(description="Add a link as evidence.")
    async def tambah_tautan_bukti_dukung(
        self,
        info: Info,
        input: Annotated[TautanBuktiInput, strawberry.argument(description="The link.")],
    ) -> BuktiResult:
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
    async def hapus_bukti_dukung(
        self,
        info: Info,
        bukti_id: Annotated[strawberry.ID, strawberry.argument(description="The evidence.")],
    ) -> DihapusResult:
        await _reporting(info)
        result = await guarded(
            lambda: bukti.remove(parse_id(bukti_id, "buktiId", "BuktiDukung"), _caller(info))
        )
        return result if isinstance(result, MutationError) else Dihapus(id=bukti_id)

    @strawberry.mutation(
        description="As an SKP's pejabat penilai: feedback on one RHK or BerAKHLAK value for "
        "a window (replaces the earlier one)."
    )
    async def beri_umpan_balik(
        self,
        info: Info,
        input: Annotated[UmpanBalikInput, strawberry.argument(description="The feedback.")],
    ) -> UmpanBalikResult:
        try:
            parse_id(input.skp_id, "skpId", "Skp")
        except Refusal as refusal:
            return MutationError.of(refusal)
        owner = await owner_of_skp(input.skp_id)
        await ensure_allowed(info, Operation.GIVE_UMPAN_BALIK, owner or -1)

        async def change():
            return await umpan_balik.give(
                umpan_balik.UmpanBalikInput(
                    parse_id(input.skp_id, "skpId", "Skp"),
                    input.periode,
                    parse_id(input.rhk_id, "rhkId", "Rhk"),
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
    async def balas_umpan_balik(
        self,
        info: Info,
        umpan_balik_id: Annotated[strawberry.ID, strawberry.argument(description="The feedback.")],
        teks: Annotated[str, strawberry.argument(description="The reply (tanggapan).")],
    ) -> TanggapanResult:
        await _reporting(info)
        result = await guarded(
            lambda: umpan_balik.reply(
                parse_id(umpan_balik_id, "umpanBalikId", "UmpanBalik"), teks, _caller(info)
            )
        )
        if isinstance(result, MutationError):
            return result
        return TanggapanUmpanBalik(
            id=gid("TanggapanUmpanBalik", result.id),
            penulis_pegawai_id=gid("Pegawai", result.penulis_pegawai_id),
            teks=result.teks,
            created_at=result.created_at,
        )

    @strawberry.mutation(
        description="Admin: replace the suggested feedback sentences of one kind (an empty "
        "list restores the defaults)."
    )
    async def atur_kalimat_umpan_balik(
        self,
        info: Info,
        sasaran: Annotated[
            SasaranUmpanBalik, strawberry.argument(description="Which kind of sentences.")
        ],
        butir: Annotated[
            list[str],
            strawberry.argument(description="The sentences, in order; empty: the defaults."),
        ],
    ) -> KalimatDiatur:
        await ensure_allowed(info, Operation.MANAGE_KALIMAT_UMPAN_BALIK)
        result = await guarded(
            lambda: umpan_balik.set_kalimat(sasaran, butir, info.context.principal.subject)
        )
        if isinstance(result, MutationError):
            return result
        return DaftarKalimat(kalimat=[KalimatUmpanBalik.of(k) for k in result])
