"""GET /skp/{id}/dokumen.pdf: the SKP in the official layout, for whoever may read the SKP.

Every printed document about one SKP (the SKP itself, an evaluation of it) is served the same
way by ``skp_pdf_endpoint``, through the shared pipeline (bound_request.py, decision 0031):
authenticated like /graphql (bearer token or session cookie), bound to the instansi, traced
when it crosses instansi, and authorized by the same policy table (`skp:read` about the SKP's
owner); refusals in the one error envelope. A document of another instansi is never found:
lookups run in the caller's own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from starlette.responses import Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.policy import Operation, Relation
from ekinerja.auth.principal import Principal
from ekinerja.auth.relations import relation_between
from ekinerja.http.bound_request import Bound, authorize, bound_endpoint, path_id
from ekinerja.kepegawaian.atasan import resolve_chains
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.models.tenant import Pegawai, Skp
from ekinerja.refusals import Refusal
from ekinerja.skp.dokumen import build_document
from ekinerja.skp.dokumen_model import SkpDocument
from ekinerja.skp.dokumen_pdf import render_skp_pdf
from ekinerja.tenants.binding import tenant_transaction

R = TypeVar("R")  # the record the path names
D = TypeVar("D")  # the document built from it


@dataclass(frozen=True)
class SkpPdf(Generic[R, D]):
    """One kind of printed document about an SKP: how its record is found by the path's id,
    whose SKP it is about, how the document is built (inside the tenant's transaction) and
    rendered (after it, so the connection is not held while the PDF is drawn)."""

    noun: str  # in the 404 message: "no such SKP"
    type_name: str  # the GraphQL type whose id names the record in the path
    id_param: str  # the route's path parameter
    find: Callable[[int], Awaitable[R | None]]
    skp_of: Callable[[R], Skp]
    build: Callable[[R, str], Awaitable[D]]  # (record, instansi name)
    render: Callable[[D], bytes]
    filename: Callable[[R, D], str]


async def _relation(principal: Principal, skp: Skp) -> Relation:
    me = None
    if principal.is_person:
        me = await Pegawai.get_or_none(nip=principal.nip).values_list("id", flat=True)

    async def chain_of(target: int):
        return (await resolve_chains([target], await hari_ini()))[target]

    relation = await relation_between(me, skp.pegawai_id, chain_of)
    # Its snapshotted appraisers read it whatever today's chain says (a transfer since), as
    # in GraphQL (schema/permissions.ensure_allowed).
    if me is not None and me in (skp.penilai_pegawai_id, skp.atasan_penilai_pegawai_id):
        return min(relation, Relation.SUBORDINATE)
    return relation


def skp_pdf_endpoint(authenticator: Authenticator, kind: SkpPdf):
    async def handler(bound: Bound) -> Response:
        async with tenant_transaction(bound.tenant):
            record = await kind.find(path_id(bound, kind.id_param, kind.type_name))
            if record is None:
                raise Refusal("NOT_FOUND", f"no such {kind.noun}", "id")
            relation = await _relation(bound.principal, kind.skp_of(record))
            authorize(bound.principal, Operation.READ_SKP, relation)
            document = await kind.build(record, bound.instansi.nama)
        filename = kind.filename(record, document)
        return Response(
            kind.render(document),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return bound_endpoint(authenticator, handler)


def _skp_filename(skp: Skp, document: SkpDocument) -> str:
    return f"SKP-{document.pegawai.nip or skp.id}-{skp.tahun}-v{skp.versi}.pdf"


SKP_DOCUMENT: SkpPdf[Skp, SkpDocument] = SkpPdf(
    noun="SKP",
    type_name="Skp",
    id_param="skp_id",
    find=lambda skp_id: Skp.get_or_none(id=skp_id),
    skp_of=lambda skp: skp,
    build=build_document,
    render=render_skp_pdf,
    filename=_skp_filename,
)


def skp_document_endpoint(authenticator: Authenticator):
    return skp_pdf_endpoint(authenticator, SKP_DOCUMENT)
