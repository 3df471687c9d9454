"""The admin instansi's view of a pegawai's browser sessions, and ending them (decision 0017):
after a lost laptop, a copied cookie, or a departure. Only sessions the person holds as a
member of this instansi are seen or ended."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from ekinerja import audit
from ekinerja.auth import sesi as sessions
from ekinerja.auth.policy import Operation
from ekinerja.auth.sesi_idp import SessionIdp
from ekinerja.db.outside import outside_binding
from ekinerja.models.tenant import Pegawai
from ekinerja.paging import DEFAULT_FIRST, Keyset, keyset_page
from ekinerja.refusals import Refusal
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.permissions import require

_NIP_LENGTH = 18


@strawberry.type(description="A live browser session (never its id).")
class SesiBrowser:
    dibuat_pada: datetime = strawberry.field(description="The login.")
    terakhir_dipakai: datetime = strawberry.field(description="Last use, to the minute.")
    berakhir_pada: datetime = strawberry.field(description="Its end at the latest.")
    user_agent: str | None = strawberry.field(
        description="The browser's User-Agent at login; null when it sent none."
    )
    alamat_ip: str | None = strawberry.field(
        description="The client address at login; null when not known."
    )


SesiBrowserConnection = Connection[SesiBrowser]
# Newest login first: a login's time never changes, so pages neither skip nor repeat a session
# that is used while they are read (its last use would move it).
SESI_BROWSER = Keyset("Query.sesiBrowser", ("-created_at", "-id"), (datetime, int))


@strawberry.type(description="A pegawai's sessions were ended: every later request is refused.")
class SesiBrowserDicabut:
    nip: str = strawberry.field(description="The pegawai's NIP.")
    jumlah: int = strawberry.field(description="Live sessions ended.")


CabutSesiBrowserResult = Annotated[
    SesiBrowserDicabut | MutationError,
    strawberry.union(
        "CabutSesiBrowserResult",
        description="The sessions ended, or a MutationError (nothing ended): INVALID_INPUT (not "
        "an 18-digit NIP), NOT_FOUND (no such pegawai in this instansi).",
    ),
]
_NIP = Annotated[
    str, strawberry.argument(description="The pegawai's NIP (18 digits), of this instansi.")
]


async def _pegawai_nip(nip: str) -> str:
    """The NIP of a pegawai of the bound instansi, or a refusal naming `nip`."""
    nip = nip.strip()
    if len(nip) != _NIP_LENGTH or not nip.isdigit():
        raise Refusal("INVALID_INPUT", "a NIP is 18 digits", "nip")
    if not await Pegawai.filter(nip=nip).exists():
        raise Refusal("NOT_FOUND", f"no pegawai with NIP {nip} in this instansi", "nip")
    return nip


@strawberry.type
class SesiBrowserQuery:
    @strawberry.field(
        permission_classes=[require(Operation.MANAGE_BROWSER_SESSIONS)],
        description="Admin: a pegawai's live browser sessions in this instansi, newest login "
        "first (a page).",
    )
    async def sesi_browser(
        self, info: Info, nip: _NIP, first: First = DEFAULT_FIRST, after: After = None
    ) -> SesiBrowserConnection:
        # Checked as the mutation checks it: a mistyped NIP is refused by name, not an empty list.
        found = await _pegawai_nip(nip)
        request = conn.request(info, SESI_BROWSER, first, after)
        lifetimes = sessions.Lifetimes.of(info.context.settings)
        async with outside_binding():
            live = sessions.live(info.context.instansi.kode, found, lifetimes)
            page = await keyset_page(live, SESI_BROWSER, request)
        nodes = [
            SesiBrowser(
                dibuat_pada=row.created_at,
                terakhir_dipakai=row.last_seen_at,
                berakhir_pada=row.expires_at,
                user_agent=row.user_agent,
                alamat_ip=row.ip_address,
            )
            for row in page.rows
        ]
        return conn.connection(info, SESI_BROWSER, page, nodes)


@strawberry.type
class SesiBrowserMutation:
    @strawberry.mutation(
        permission_classes=[require(Operation.MANAGE_BROWSER_SESSIONS)],
        description="Admin: end every browser session of a pegawai of this instansi at once "
        "(audited); they must log in again.",
    )
    async def cabut_sesi_browser(self, info: Info, nip: _NIP) -> CabutSesiBrowserResult:
        context = info.context

        async def revoke() -> SesiBrowserDicabut:
            found = await _pegawai_nip(nip)
            lifetimes = sessions.Lifetimes.of(context.settings)
            idp = SessionIdp.of(context.settings)  # their refresh tokens revoked there too
            async with outside_binding():
                ended = await sessions.revoke_person(context.instansi.kode, found, lifetimes, idp)
            await audit.record(
                context.principal.subject, "sesi_browser.cabut", "pegawai", found, jumlah=ended
            )
            return SesiBrowserDicabut(nip=found, jumlah=ended)

        return await guarded(revoke)
