"""`ekinerja sessions list|revoke`: the operator ends browser sessions no admin can reach, a BKN
central admin's (no instansi), and any instansi member's; audited (issue 14 leftover, decision
0017). The CLI runs as a subprocess against the test database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ekinerja.auth import sesi as sessions
from ekinerja.auth.principal import Principal, Role
from ekinerja.models.shared import AuditPusat
from ekinerja.models.tenant import AuditEvent
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.test_cli_errors import cli, on, one_line

NIP = "198001012005011001"
LIFETIMES = sessions.Lifetimes(timedelta(hours=1), timedelta(hours=8))


async def session_of(instansi_kode: str | None, role: Role) -> str:
    roles = frozenset({role})
    principal = Principal(subject=NIP, roles=roles, instansi_kode=instansi_kode, nip=NIP)
    session_id, _ = await sessions.start(
        principal, None, LIFETIMES, user_agent="Firefox", ip_address="192.0.2.1"
    )
    return session_id


async def test_the_operator_ends_a_central_admins_sessions_and_only_those(
    database, tenant, tmp_path
):
    central = [await session_of(None, Role.CENTRAL_ADMIN) for _ in range(2)]
    as_member = await session_of(tenant.kode, Role.PEGAWAI)  # the same NIP in an instansi

    listed = cli("sessions", "list", NIP, cwd=tmp_path, **on(database))
    assert listed.returncode == 0, listed.stderr
    assert f"2 live session(s) of {NIP} (central)" in listed.stdout and "Firefox" in listed.stdout

    revoked = cli("sessions", "revoke", NIP, cwd=tmp_path, **on(database))
    assert revoked.returncode == 0, revoked.stderr
    assert f"2 session(s) of {NIP} (central) ended" in revoked.stdout
    for session_id in central:
        with pytest.raises(sessions.SessionEnded):
            await sessions.principal_of(session_id, LIFETIMES)
    assert (await sessions.principal_of(as_member, LIFETIMES)).instansi_kode == tenant.kode
    [entry] = await AuditPusat.filter(action="sesi_browser.cabut")
    assert entry.actor.startswith("operator") and entry.detail == {"nip": NIP, "jumlah": 2}


async def test_the_operator_ends_a_members_sessions_in_one_instansi_audited_there(
    database, tenant, other_tenant, tmp_path
):
    here, there = (
        await session_of(tenant.kode, Role.PEGAWAI),
        await session_of(other_tenant.kode, Role.PEGAWAI),
    )
    revoked = cli("sessions", "revoke", NIP, "--instansi", tenant.kode, cwd=tmp_path,
                  **on(database))  # fmt: skip
    assert revoked.returncode == 0, revoked.stderr
    with pytest.raises(sessions.SessionEnded):
        await sessions.principal_of(here, LIFETIMES)
    assert (await sessions.principal_of(there, LIFETIMES)).instansi_kode == other_tenant.kode
    async with tenant_transaction(as_bound(tenant)):
        [entry] = await AuditEvent.filter(action="sesi_browser.cabut")
    assert entry.actor.startswith("operator") and entry.entity_id == NIP
    assert entry.detail == {"jumlah": 1}


def test_a_malformed_nip_or_unknown_instansi_is_one_line(database, tmp_path):
    bad = cli("sessions", "revoke", "12345", cwd=tmp_path, **on(database))
    assert bad.returncode == 2 and "a NIP is 18 digits" in one_line(bad)
    unknown = cli("sessions", "list", NIP, "--instansi", "NOSUCH1", cwd=tmp_path, **on(database))
    assert unknown.returncode == 2 and "TENANT_NOT_FOUND" in one_line(unknown)
