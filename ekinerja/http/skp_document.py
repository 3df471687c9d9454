"""GET /skp/{id}/dokumen.pdf: the SKP in the official layout, for whoever may read the SKP.

Every printed document about one SKP (the SKP itself, an evaluation of it) is served the same
way by ``skp_pdf_endpoint``: authenticated like /graphql (bearer token or session cookie),
bound to the instansi, and authorized by the same policy table (`skp:read` about the SKP's
owner). A document of another instansi is never found: lookups run in the caller's own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.auth.principal import Principal
from ekinerja.auth.relations import relation_between
from ekinerja.http.cross_tenant import audit_cross_tenant_request
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.kepegawaian.superiors import resolve_chains
from ekinerja.models.tenant import Pegawai, Skp
from ekinerja.refusals import RequestRefused
from ekinerja.skp.document import build_document
from ekinerja.skp.document_model import SkpDocument
from ekinerja.skp.document_pdf import render_skp_pdf
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

R = TypeVar("R")  # the record the path names
D = TypeVar("D")  # the document built from it


@dataclass(frozen=True)
class SkpPdf(Generic[R, D]):
    """One kind of printed document about an SKP: how its record is found by the path's id,
    whose SKP it is about, how the document is built (inside the tenant's transaction) and
    rendered (after it, so the connection is not held while the PDF is drawn)."""

    noun: str  # in the 404 message: "no such SKP"
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
    async def endpoint(request: Request) -> Response:
        try:
            authenticated = await authenticator.authenticate(request)
            if authenticated.instansi is None:
                raise AccessDenied("no instansi selected: send its kode in X-Instansi")
            tenant = as_bound(authenticated.instansi)
            await audit_cross_tenant_request(authenticated.principal, tenant, request)
            async with tenant_transaction(tenant):
                record = await kind.find(int(request.path_params[kind.id_param]))
                if record is None:
                    message = f"no such {kind.noun}"
                    return JSONResponse({"error": "NOT_FOUND", "message": message}, 404)
                relation = await _relation(authenticated.principal, kind.skp_of(record))
                if not allows(authenticated.principal, Operation.READ_SKP, relation):
                    raise AccessDenied("not allowed: skp:read")
                document = await kind.build(record, authenticated.instansi.nama)
        except RequestRefused as error:
            return JSONResponse(
                {"error": error.code, "message": error.message}, status_code=error.http_status
            )
        filename = kind.filename(record, document)
        return Response(
            kind.render(document),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return endpoint


def _skp_filename(skp: Skp, document: SkpDocument) -> str:
    return f"SKP-{document.pegawai.nip or skp.id}-{skp.tahun}-v{skp.versi}.pdf"


SKP_DOCUMENT: SkpPdf[Skp, SkpDocument] = SkpPdf(
    noun="SKP",
    id_param="skp_id",
    find=lambda skp_id: Skp.get_or_none(id=skp_id),
    skp_of=lambda skp: skp,
    build=build_document,
    render=render_skp_pdf,
    filename=_skp_filename,
)


def skp_document_endpoint(authenticator: Authenticator):
    return skp_pdf_endpoint(authenticator, SKP_DOCUMENT)
