"""GET /skp/{id}/dokumen.pdf: the SKP in the official layout, for whoever may read the SKP.

Authenticated like /graphql (bearer token or session cookie), bound to the instansi, and
authorized by the same policy table (`skp:read` about the SKP's owner)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied, AuthError
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.auth.principal import Principal
from ekinerja.auth.relations import relation_between
from ekinerja.kepegawaian.calendar import today
from ekinerja.kepegawaian.superiors import resolve_chains
from ekinerja.models.tenant import Pegawai, Skp
from ekinerja.skp.document import build_document
from ekinerja.skp.document_pdf import render_skp_pdf
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import TenantError
from ekinerja.tenants.registry import as_bound


async def _relation(principal: Principal, skp: Skp) -> Relation:
    me = None
    if principal.is_person:
        me = await Pegawai.get_or_none(nip=principal.nip).values_list("id", flat=True)

    async def chain_of(target: int):
        return (await resolve_chains([target], today()))[target]

    return await relation_between(me, skp.pegawai_id, chain_of)


def skp_document_endpoint(authenticator: Authenticator):
    async def endpoint(request: Request) -> Response:
        try:
            authenticated = await authenticator.authenticate(request)
            if authenticated.instansi is None:
                raise AccessDenied("no instansi selected: send its kode in X-Instansi")
            async with tenant_transaction(as_bound(authenticated.instansi)):
                skp = await Skp.get_or_none(id=int(request.path_params["skp_id"]))
                if skp is None:
                    return JSONResponse({"error": "NOT_FOUND", "message": "no such SKP"}, 404)
                relation = await _relation(authenticated.principal, skp)
                if not allows(authenticated.principal, Operation.READ_SKP, relation):
                    raise AccessDenied("not allowed: skp:read")
                document = await build_document(skp, authenticated.instansi.nama)
        except (AuthError, TenantError) as error:
            return JSONResponse(
                {"error": error.code, "message": error.message}, status_code=error.http_status
            )
        filename = f"SKP-{document.pegawai.nip or skp.id}-{skp.tahun}-v{skp.versi}.pdf"
        return Response(
            render_skp_pdf(document),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return endpoint
