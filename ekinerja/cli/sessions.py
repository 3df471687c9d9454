"""`ekinerja sessions list|revoke NIP [--instansi KODE]`: the operator's view of a person's
browser sessions (decision 0017). An admin instansi lists and ends a pegawai's sessions over
GraphQL (`sesiBrowser`, `cabutSesiBrowser`); a BKN central admin's sessions belong to no
instansi, so no admin can reach them, and only the operator can end them without the person
logging out: without `--instansi` these commands act on the NIP's central sessions. A
revocation is audited: in that instansi's log, or for central sessions in `shared.audit_pusat`,
with the operator (`operator:` and the login name running the command) as actor."""

from __future__ import annotations

import getpass

import typer
from rich.console import Console

from ekinerja import audit
from ekinerja.auth import sesi as sessions
from ekinerja.auth.sesi_idp import SessionIdp
from ekinerja.cli._listing import JSON, show
from ekinerja.cli._runtime import console as stderr
from ekinerja.cli._runtime import run_with_database
from ekinerja.models.shared import AuditPusat
from ekinerja.refusals import invalid
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound, get_instansi

app = typer.Typer(no_args_is_help=True, help="Browser sessions (list, revoke).")
console = Console()
REVOKED = "sesi_browser.cabut"

_INSTANSI = typer.Option(
    None, "--instansi", help="The instansi the sessions belong to. Default: central sessions."
)


def _nip(nip: str) -> str:
    nip = nip.strip()
    if len(nip) != 18 or not nip.isdigit():
        raise invalid("nip", "a NIP is 18 digits")
    return nip


def _operator() -> str:
    try:
        return f"operator:{getpass.getuser()}"[:100]
    except (KeyError, OSError):  # no login name (a container's bare uid)
        return "operator"


@app.command("list")
def list_sessions(
    nip: str = typer.Argument(...), instansi: str = _INSTANSI, as_json: bool = JSON
) -> None:
    """A person's live sessions, latest use first (stdout; --json: an array of objects, the
    count on stderr)."""

    async def work(settings, _address):
        kode = (await get_instansi(instansi)).kode if instansi else None
        return await sessions.live_sessions(kode, _nip(nip), sessions.Lifetimes.of(settings))

    rows = run_with_database(work)
    listed = [
        {
            "id": str(row.id),
            "roles": list(row.roles),
            "created": _when(row.created_at, as_json),
            "last_used": _when(row.last_seen_at, as_json),
            "ends": _when(row.expires_at, as_json),
            "address": row.ip_address,
            "user_agent": row.user_agent,
        }
        for row in rows
    ]
    columns = ["id", "roles", "created", "last_used", "ends", "address", "user_agent"]
    show(columns, listed, as_json)
    summary = f"{len(rows)} live session(s) of {nip.strip()} ({instansi or 'central'})"
    (stderr if as_json else console).print(summary)


def _when(moment, as_json: bool) -> str:
    return moment.isoformat(timespec="seconds") if as_json else f"{moment:%Y-%m-%d %H:%M}"


@app.command("revoke")
def revoke_sessions(nip: str = typer.Argument(...), instansi: str = _INSTANSI) -> None:
    """End every live session of the person (they must log in again); audited."""

    async def work(settings, _address):
        found, lifetimes, actor = _nip(nip), sessions.Lifetimes.of(settings), _operator()
        idp = SessionIdp.of(settings)  # their refresh tokens are revoked at the provider too
        if instansi:
            tenant = await get_instansi(instansi)
            ended = await sessions.revoke_person(tenant.kode, found, lifetimes, idp)
            async with tenant_transaction(as_bound(tenant)):  # its admins see who ended them
                await audit.record(actor, REVOKED, "pegawai", found, jumlah=ended)
            return ended
        ended = await sessions.revoke_person(None, found, lifetimes, idp)
        await AuditPusat.create(actor=actor, action=REVOKED, detail={"nip": found, "jumlah": ended})
        return ended

    ended = run_with_database(work)
    console.print(f"{ended} session(s) of {nip.strip()} ({instansi or 'central'}) ended")
