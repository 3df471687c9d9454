"""Which tenant a request asks for.

The caller names the instansi by its kode in the ``X-Instansi`` header. Once bearer tokens are
validated, the token decides for ordinary users and the header only chooses among a central
admin's or API client's grants; the header stays the one way to choose.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from ekinerja.models.shared import Instansi
from ekinerja.tenants.registry import get_servable_instansi

TENANT_HEADER = "x-instansi"


async def select_tenant(request: HTTPConnection) -> Instansi | None:
    """The servable tenant named by the request, None when it names none, or a TenantError."""
    kode = request.headers.get(TENANT_HEADER)
    if kode is None:
        return None
    return await get_servable_instansi(kode)
