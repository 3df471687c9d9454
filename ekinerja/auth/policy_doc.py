"""docs/authorization.md, generated from the policy table so the two never disagree."""

from __future__ import annotations

from pathlib import Path

from ekinerja.auth import policy

AUTHORIZATION_DOC = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"


def render() -> str:
    intro = (policy.__doc__ or "").strip()
    return (
        "# Authorization\n\n"
        "Generated from `ekinerja/auth/policy.py` by `ekinerja policy export`; "
        "`tests/test_policy_matrix.py` checks every cell with real requests.\n\n"
        f"{intro}\n\n"
        "Roles: PEGAWAI (any person of the instansi), ADMIN_INSTANSI (from the token's role "
        "claim or the registry), CENTRAL_ADMIN (BKN, from the central issuer's role claim), "
        "API_CLIENT (client-credentials token of a registered client, within its grants).\n\n"
        + policy.as_markdown()
        + "\n## National operations\n\n"
        "Bound to no instansi (sent without X-Instansi); they read only the national read "
        "model and are audited in the central log (`shared.audit_pusat`).\n\n"
        + policy.national_markdown()
    )
