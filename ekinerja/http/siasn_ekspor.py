"""GET /siasn/rw-skp22.csv?tahun=Y and GET /siasn/rw-kinerjaperiodik.csv?tahun=Y: the year's
final results in the SIASN shapes as CSV (UTF-8, a header of SIASN field names), the same rows
as the GraphQL export.

Authenticated like the PDF routes (bearer token or session cookie, `X-Instansi` as for
GraphQL) and authorized by `siasn:export`. The file is streamed a page at a time: the first
page is read with the checks, so a refusal is still an error in the one envelope (the shared
pipeline, bound_request.py; decision 0031); every later page is read in
a transaction of its own, so a slow download holds no connection between pages. Finality is
judged on the date the download started, and the NIP order keeps pages from overlapping.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.policy import Operation
from ekinerja.http.bound_request import Bound, bound_endpoint
from ekinerja.refusals import invalid
from ekinerja.siasn import csvfile
from ekinerja.siasn import ekspor as export
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import BoundTenant

CSV_PAGE = 500  # rows per statement: few round trips, little memory


@dataclass(frozen=True)
class Bentuk:
    """One SIASN shape served as CSV."""

    nama: str  # rw-skp22, as SIASN names the table
    kind: type[export.RwSkp22]
    read: Callable[[export.Permintaan], Awaitable[export.Halaman]]


RW_SKP22 = Bentuk("rw-skp22", export.RwSkp22, export.rw_skp22)
RW_KINERJA_PERIODIK = Bentuk(
    "rw-kinerjaperiodik", export.RwKinerjaPeriodik, export.rw_kinerja_periodik
)


async def _request(raw: str | None) -> export.Permintaan:
    if raw is None or not raw.strip():
        raise invalid("tahun", "tahun: required, e.g. ?tahun=2026")
    try:
        tahun = int(raw.strip())
    except ValueError:
        raise invalid("tahun", f"tahun: expected a year, got {raw!r}") from None
    return await export.permintaan(tahun, CSV_PAGE, None, limit=CSV_PAGE)


async def _stream(
    tenant: BoundTenant, bentuk: Bentuk, asked: export.Permintaan, page: export.Halaman
) -> AsyncIterator[bytes]:
    yield csvfile.header(bentuk.kind)
    while True:
        yield csvfile.lines(page.baris)
        following = export.next_page(asked, page)
        if following is None:
            return
        asked = following
        async with tenant_transaction(tenant):
            page = await bentuk.read(asked)


def siasn_export_endpoint(authenticator: Authenticator, bentuk: Bentuk):
    async def handler(bound: Bound) -> Response:
        async with tenant_transaction(bound.tenant):  # the date is the instansi's own
            asked = await _request(bound.request.query_params.get("tahun"))
            first = await bentuk.read(asked)
        filename = f"{bentuk.nama}-{bound.tenant.kode}-{asked.tahun}.csv"
        return StreamingResponse(
            _stream(bound.tenant, bentuk, asked, first),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return bound_endpoint(authenticator, handler, operation=Operation.EXPORT_SIASN)


def siasn_export_routes(authenticator: Authenticator) -> list[Route]:
    return [
        Route(f"/siasn/{bentuk.nama}.csv", siasn_export_endpoint(authenticator, bentuk))
        for bentuk in (RW_SKP22, RW_KINERJA_PERIODIK)
    ]
