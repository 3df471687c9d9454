"""The deployment's setup job (docker/entrypoint.sh setup) runs on every start: `ekinerja
migrate`, then `ekinerja idp add` for the realm. Run twice, or by two replicas at once, it
must succeed and leave one entry with the settings given (issue 18: the compose stack's
`idp list | grep || idp add` chain was the command that broke)."""

from __future__ import annotations

import asyncio

from ekinerja.models.shared import IdentityProvider
from tests.test_migrations import run_cli

ISSUER = "https://sso.example.go.id/realms/setup-job"
JWKS = "https://sso.example.go.id/realms/setup-job/protocol/openid-connect/certs"


async def _entries() -> list[IdentityProvider]:
    return await IdentityProvider.filter(issuer=ISSUER).all()


async def test_trusting_an_issuer_again_changes_nothing_then_takes_new_settings(database):
    try:
        first = run_cli(database, "idp", "add", ISSUER, "--jwks-uri", JWKS, "--nip-claim", "nip")
        assert first.returncode == 0, first.stderr
        assert "trusting" in first.stdout + first.stderr
        again = run_cli(database, "idp", "add", ISSUER, "--jwks-uri", JWKS, "--nip-claim", "nip")
        assert again.returncode == 0, again.stderr
        assert "already trusting" in again.stdout + again.stderr
        changed = run_cli(database, "idp", "add", ISSUER, "--jwks-uri", JWKS + "?v=2")
        assert changed.returncode == 0, changed.stderr
        assert "updated" in changed.stdout + changed.stderr
        (entry,) = await _entries()
        assert entry.jwks_uri == JWKS + "?v=2"
        assert entry.nip_claim == "preferred_username"  # the default, as the command said
    finally:
        await IdentityProvider.filter(issuer=ISSUER).delete()


async def test_two_setup_jobs_at_once_both_succeed_with_one_entry(database):
    try:
        runs = await asyncio.gather(
            *(
                asyncio.to_thread(run_cli, database, "idp", "add", ISSUER, "--jwks-uri", JWKS)
                for _ in range(2)
            )
        )
        assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
        assert len(await _entries()) == 1
    finally:
        await IdentityProvider.filter(issuer=ISSUER).delete()
