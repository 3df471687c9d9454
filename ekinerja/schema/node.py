"""Global object identification (decision 0028): the `Node` interface, the root `node` and
`nodes` fields, and the one check every root field makes of its id arguments.

A type is a Node when a client refetches it and `node` can apply exactly the authorization of
the way it is read. With a root lookup: Pegawai (`pegawai(nip)`), UnitKerja (`unitKerja`), Skp
(`skp`), Rhk (`rhk`), BuktiDukung (`buktiDukung`), EvaluasiPeriodik (`evaluasi`),
ImporKepegawaian (`imporKepegawaian`) and WebhookLangganan (`webhookLangganan`). Read inside
another object (addendum of 0028): Indikator and RencanaAksi (an RHK's: `rhk:read`),
ProgresHarian and UmpanBalik (`pelaksanaan`: whoever may read their SKP), Keberatan (its
evaluation's: whoever may read the SKP) and WebhookPengiriman (`webhookPengiriman`:
webhooks:manage, an API client only its own subscriptions'), Pemberitahuan (`pemberitahuan`:
only one's own), PengecualianAtasan (`pengecualianAtasan`: pegawai:personnel about anyone in
the instansi). Each resolver below repeats those
checks, row by row, through the request's DataLoaders, so `nodes` batches: one query per type
(plus the authorization's own, batched too), whatever the number of ids. Types without an id
of their own (RealisasiIndikator: an indikator in a window) or identified otherwise (ApiClient:
its `clientId`) are not Nodes: deny when unsure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.extensions import FieldExtension

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.refusals import Refusal
from ekinerja.schema.context import Info
from ekinerja.schema.ids import OTHER_INSTANSI, check_id, decode_id
from ekinerja.schema.kepegawaian import dataloaders as kdl
from ekinerja.schema.penilaian import dataloaders as pdl
from ekinerja.tenants.context import bound_tenant_or_none

MAX_NODES = 100


@strawberry.interface(
    description="An object with a global id: refetch it with `node(id:)` (Relay's object "
    "identification). Its id names its type and instansi; treat it as opaque."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Its global id: opaque, unique across types and instansi."
    )


def _bukti_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.BuktiDukung))


def _langganan_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.WebhookLangganan))


def _impor_by_id() -> DataLoader[int, Any]:
    from ekinerja.kepegawaian.impor.jobs import ringkas

    async def load(ids: Sequence[int]) -> list[Any]:
        rows = {row.id: row for row in await ringkas().filter(id__in=list(set(ids)))}
        return [rows.get(i) for i in ids]

    return DataLoader(load)


# Each resolver: the object of row `row` as its type's root lookup gives it, with that lookup's
# authorization (None when there is no such row).
async def _pegawai(info: Info, row: int):
    from ekinerja.schema.kepegawaian.types import Pegawai
    from ekinerja.schema.permissions import ensure_allowed

    await ensure_allowed(info, Operation.READ_DIRECTORY)  # pegawai(nip)
    found = await info.context.loader(kdl.pegawai_by_id).load(row)
    return Pegawai.from_model(found) if found else None


async def _unit_kerja(info: Info, row: int):
    from ekinerja.schema.kepegawaian.types import UnitKerja
    from ekinerja.schema.permissions import ensure_allowed
    from ekinerja.schema.tanggal import tanggal_atau_hari_ini

    await ensure_allowed(info, Operation.READ_DIRECTORY)  # unitKerja(id), as of today
    on = await tanggal_atau_hari_ini(info, None)
    found = await info.context.loader(kdl.unit_at).load((row, on))
    return UnitKerja.at(found, on) if found else None


async def _skp(info: Info, row: int):
    from ekinerja.schema.skp import dataloaders as sdl
    from ekinerja.schema.skp.types import visible_skp

    return await visible_skp(info, await info.context.loader(sdl.skp_by_id).load(row))


async def _rhk(info: Info, row: int):
    from ekinerja.schema.permissions import ensure_allowed
    from ekinerja.schema.skp import dataloaders as sdl
    from ekinerja.schema.skp.types import Rhk

    await ensure_allowed(info, Operation.READ_CASCADE)  # rhk(id)
    found = await info.context.loader(sdl.rhk_by_id).load(row)
    return Rhk.from_model(found) if found else None


async def _bukti_dukung(info: Info, row: int):
    from ekinerja.schema.pelaksanaan.types import BuktiDukung
    from ekinerja.schema.permissions import ensure_allowed

    found = await info.context.loader(_bukti_by_id).load(row)
    if found is None:
        return None
    await ensure_allowed(info, Operation.READ_SKP, found.pemilik_pegawai_id)  # buktiDukung(id)
    return BuktiDukung.from_model(found)


async def _evaluasi(info: Info, row: int):
    from ekinerja.schema.penilaian.types import EvaluasiPeriodik
    from ekinerja.schema.permissions import appraisers_of, ensure_allowed
    from ekinerja.schema.skp import dataloaders as sdl

    found = await info.context.loader(pdl.evaluasi_by_id).load(row)
    skp = await info.context.loader(sdl.skp_by_id).load(found.skp_id) if found else None
    if skp is None:
        return None
    # evaluasi(skpId, periode): whoever may read the SKP.
    await ensure_allowed(info, Operation.READ_SKP, skp.pegawai_id, appraisers=appraisers_of(skp))
    return EvaluasiPeriodik.from_model(found)


async def _impor(info: Info, row: int):
    from ekinerja.schema.impor_kepegawaian import ImporKepegawaian
    from ekinerja.schema.permissions import ensure_allowed

    await ensure_allowed(info, Operation.IMPORT_KEPEGAWAIAN)  # imporKepegawaian(id)
    found = await info.context.loader(_impor_by_id).load(row)
    return ImporKepegawaian.of(found) if found else None


async def _langganan(info: Info, row: int):
    from ekinerja.schema.integrasi.webhooks import WebhookLangganan
    from ekinerja.schema.permissions import ensure_allowed

    # webhookLangganan: webhooks:manage; an API client sees only its own subscriptions.
    await ensure_allowed(info, Operation.MANAGE_WEBHOOKS)
    found = await info.context.loader(_langganan_by_id).load(row)
    client_id = info.context.principal.client_id
    if found is None or (client_id is not None and found.client_id != client_id):
        return None
    return WebhookLangganan.of(found, info.context.instansi.kode)


# The types below have no root lookup by id: each is read inside another object, and `node`
# applies the authorization of that read path (rows loaded first where it depends on them).


def _indikator_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.Indikator))


def _rencana_aksi_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.RencanaAksi))


def _progres_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.ProgresHarian))


def _bukti_of_progres() -> DataLoader[int, list[Any]]:
    from ekinerja.pelaksanaan.enums import StatusBukti

    async def load(ids: Sequence[int]) -> list[list[Any]]:
        found: dict[int, list[Any]] = {}
        rows = models.BuktiDukung.filter(progres_id__in=list(set(ids)), status=StatusBukti.TERSEDIA)
        for row in await rows.order_by("id"):
            found.setdefault(row.progres_id, []).append(row)
        return [found.get(i, []) for i in ids]

    return DataLoader(load)


def _umpan_balik_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.UmpanBalik))


def _tanggapan_of_umpan_balik() -> DataLoader[int, list[Any]]:
    from ekinerja.schema.skp.dataloaders import grouped

    return DataLoader(grouped(models.TanggapanUmpanBalik, "umpan_balik_id", ("id",)))


def _keberatan_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.Keberatan))


def _pengiriman_by_id() -> DataLoader[int, Any]:
    async def load(ids: Sequence[int]) -> list[Any]:
        query = models.WebhookPengiriman.filter(id__in=list(set(ids)))
        rows = {row.id: row for row in await query.select_related("event", "langganan")}
        return [rows.get(i) for i in ids]

    return DataLoader(load)


async def _skp_read(info: Info, skp_id: int) -> bool:
    """Whether the SKP exists; raises unless the principal may read it (skp:read, its
    snapshotted appraisers included): the check of `pelaksanaan(skpId)` and `evaluasi`."""
    from ekinerja.schema.permissions import appraisers_of, ensure_allowed
    from ekinerja.schema.skp import dataloaders as sdl

    skp = await info.context.loader(sdl.skp_by_id).load(skp_id)
    if skp is None:
        return False
    await ensure_allowed(info, Operation.READ_SKP, skp.pegawai_id, appraisers=appraisers_of(skp))
    return True


async def _indikator(info: Info, row: int):
    from ekinerja.schema.permissions import ensure_allowed
    from ekinerja.schema.skp.types import Indikator

    await ensure_allowed(info, Operation.READ_CASCADE)  # rhk(id) { indikator }
    found = await info.context.loader(_indikator_by_id).load(row)
    return Indikator.from_model(found) if found else None


async def _rencana_aksi(info: Info, row: int):
    from ekinerja.schema.ids import gid
    from ekinerja.schema.permissions import ensure_allowed
    from ekinerja.schema.skp.types import RencanaAksi

    await ensure_allowed(info, Operation.READ_CASCADE)  # rhk(id) { rencanaAksi }
    found = await info.context.loader(_rencana_aksi_by_id).load(row)
    if found is None:
        return None
    return RencanaAksi(
        id=gid("RencanaAksi", found.id), periode=found.periode, teks=found.teks, target=found.target
    )


async def _progres(info: Info, row: int):
    from ekinerja.schema.pelaksanaan.types import BuktiDukung, ProgresHarian

    found = await info.context.loader(_progres_by_id).load(row)
    if found is None or not await _skp_read(info, found.skp_id):  # pelaksanaan { progres }
        return None
    evidence = await info.context.loader(_bukti_of_progres).load(found.id)
    return ProgresHarian.from_model(found, [BuktiDukung.from_model(b) for b in evidence])


async def _umpan_balik(info: Info, row: int):
    from ekinerja.schema.pelaksanaan.types import UmpanBalik

    found = await info.context.loader(_umpan_balik_by_id).load(row)
    if found is None or not await _skp_read(info, found.skp_id):  # pelaksanaan { umpanBalik }
        return None
    notes = await info.context.loader(_tanggapan_of_umpan_balik).load(found.id)
    return UmpanBalik.from_model(found, notes)


async def _keberatan(info: Info, row: int):
    from ekinerja.schema.penilaian.types import Keberatan

    found = await info.context.loader(_keberatan_by_id).load(row)
    evaluasi = (
        await info.context.loader(pdl.evaluasi_by_id).load(found.evaluasi_id) if found else None
    )
    if evaluasi is None or not await _skp_read(info, evaluasi.skp_id):  # evaluasi { keberatan }
        return None
    return Keberatan.from_model(found)


async def _pengiriman(info: Info, row: int):
    from ekinerja.schema.integrasi.webhooks import WebhookPengiriman
    from ekinerja.schema.permissions import ensure_allowed

    # webhookPengiriman: webhooks:manage; an API client sees only its subscriptions' deliveries.
    await ensure_allowed(info, Operation.MANAGE_WEBHOOKS)
    found = await info.context.loader(_pengiriman_by_id).load(row)
    client_id = info.context.principal.client_id
    if found is None or (client_id is not None and found.langganan.client_id != client_id):
        return None
    return WebhookPengiriman.of(found)


def _pemberitahuan_by_id() -> DataLoader[int, Any]:
    return DataLoader(kdl.by_id(models.Pemberitahuan))


async def _pemberitahuan(info: Info, row: int):
    from ekinerja.schema.pemberitahuan import Pemberitahuan
    from ekinerja.schema.permissions import ensure_allowed

    # pemberitahuan: `pemberitahuan:read` about its pegawai, i.e. only one's own (decision 0041).
    found = await info.context.loader(_pemberitahuan_by_id).load(row)
    if found is None or not found.tampil:
        return None
    await ensure_allowed(info, Operation.READ_PEMBERITAHUAN, found.pegawai_id)
    return Pemberitahuan.of(found, info.context.instansi.kode)


async def _pengecualian_atasan(info: Info, row: int):
    from ekinerja.schema.kepegawaian import pengecualian

    return await pengecualian.node(info, row)  # pengecualianAtasan: pegawai:personnel, TENANT


RESOLVERS: dict[str, Callable[[Info, int], Awaitable[Any]]] = {
    "Pegawai": _pegawai,
    "UnitKerja": _unit_kerja,
    "Skp": _skp,
    "Rhk": _rhk,
    "BuktiDukung": _bukti_dukung,
    "EvaluasiPeriodik": _evaluasi,
    "ImporKepegawaian": _impor,
    "WebhookLangganan": _langganan,
    "Indikator": _indikator,
    "RencanaAksi": _rencana_aksi,
    "ProgresHarian": _progres,
    "UmpanBalik": _umpan_balik,
    "Keberatan": _keberatan,
    "WebhookPengiriman": _pengiriman,
    "Pemberitahuan": _pemberitahuan,
    "PengecualianAtasan": _pengecualian_atasan,
}


async def _resolve(info: Info, value: str, field: str) -> Node | None:
    found = check_id(value, field, tuple(RESOLVERS))
    return await RESOLVERS[found.type_name](info, found.row_id)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="The object with this global id, with the same authorization as its "
        "type's own lookup (e.g. `skp(id:)`); null when there is none. Refused (an error with "
        "`extensions.code`): INVALID_INPUT for an id that is not one or names a type that is "
        "not a Node, ID_OF_OTHER_INSTANSI for an id of another instansi."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> Node | None:
        return await _resolve(info, id, "id")

    @strawberry.field(
        description=f"The objects with these global ids, in the same order (at most "
        f"{MAX_NODES}): each as `node` gives it, so one refused or missing id is null with its "
        "own error and the others still come back. Loaded in batches, not one by one."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description=f"Global ids, at most {MAX_NODES}."),
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise Refusal(
                "INVALID_INPUT", f"ids: at most {MAX_NODES} ids at once, not {len(ids)}", "ids"
            )
        # Awaitables, not values: graphql-core completes each item on its own, so a refused id
        # is an error at nodes[i] alone, and the DataLoaders batch all of them.
        return [_resolve(info, value, f"ids[{n}]") for n, value in enumerate(ids)]  # type: ignore[return-value]


# -- The check every root field makes of its id arguments -----------------------------------


def _foreign(value: Any, path: str) -> tuple[str, str] | None:
    """The first id in an argument's value (an ID, a list, an input object) that is a global id
    of another instansi, as (its field path, its instansi)."""
    bound = bound_tenant_or_none()
    if bound is None or value is None:
        return None
    if isinstance(value, str):
        found = decode_id(value)
        if found is not None and found.instansi_kode != bound.kode:
            return path, found.instansi_kode
        return None
    if isinstance(value, list | tuple):
        for n, item in enumerate(value):
            if hit := _foreign(item, f"{path}[{n}]"):
                return hit
        return None
    definition = getattr(type(value), "__strawberry_definition__", None)
    if definition is not None and definition.is_input:
        for field in definition.fields:
            name = field.graphql_name or _camel(field.python_name)
            if hit := _foreign(getattr(value, field.python_name, None), f"{path}.{name}"):
                return hit
    return None


class RefuseOtherInstansiIds(FieldExtension):
    """An id of another instansi in any argument of a root field is refused as such before the
    resolver runs, so it is never looked up (not even by an authorization check that would call
    it forbidden or unknown): returned as a MutationError where the field's result can hold one,
    else raised (a client error with its code)."""

    def __init__(self, returns_error: bool) -> None:
        self.returns_error = returns_error

    def _refusal(self, kwargs: dict[str, Any]) -> Refusal | None:
        for name, value in kwargs.items():
            hit = _foreign(value, _camel(name))
            if hit:
                field, kode = hit
                bound = bound_tenant_or_none()
                return Refusal(
                    OTHER_INSTANSI,
                    f"{field}: the id belongs to another instansi ({kode}), not to "
                    f"{bound.kode if bound else '?'}, the instansi of this request",
                    field,
                )
        return None

    def _answer(self, refusal: Refusal) -> Any:
        if self.returns_error:
            from ekinerja.schema.mutation_errors import MutationError

            return MutationError.of(refusal)
        raise refusal

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        refusal = self._refusal(kwargs)
        return self._answer(refusal) if refusal else next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        refusal = self._refusal(kwargs)
        if refusal:
            return self._answer(refusal)
        return await next_(source, info, **kwargs)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _holds_mutation_error(field: Any) -> bool:
    from ekinerja.schema.mutation_errors import MutationError

    kind = field.type
    kind = getattr(kind, "of_type", kind)  # Optional
    return kind is MutationError or any(t is MutationError for t in getattr(kind, "types", ()))


# `node` and `nodes` check each id themselves (a refused id of `nodes` is its item's error).
_CHECK_THEIR_OWN = {"node", "nodes"}


def guard_root_fields(*roots: type | None) -> None:
    """Give every field of the root types that takes an argument the other-instansi check."""
    for root in roots:
        if root is None:
            continue
        for field in root.__strawberry_definition__.fields:
            if not field.arguments or field.python_name in _CHECK_THEIR_OWN:
                continue
            if any(isinstance(e, RefuseOtherInstansiIds) for e in field.extensions):
                continue
            field.extensions.append(RefuseOtherInstansiIds(_holds_mutation_error(field)))
