"""The authorization policy: one table, read by every permission check and by its tests.

Each operation lists the roles that may perform it and how far they reach:

- OWN: only about themself;
- SUBORDINATE: themself and the pegawai they appraise, as pejabat penilai or as atasan pejabat
  penilai, on the date of the request;
- TENANT: anyone in the instansi the request is bound to.

An API client needs the listed scope as well. Nothing reaches another instansi: a request is
bound to one instansi, and only central admins and API clients (among their grants) choose it.
A role or operation missing from the table is denied.

A person's execution and assessment data follow `skp:read` about that person wherever a field
shows them, also inside data readable instansi-wide (the roll-ups of an RHK, and each person's
capaian in them): such fields are nullable, so a refusal blanks the field (FORBIDDEN), not the
list. Every request bound to an instansi other than the principal's own (a central admin's
X-Instansi, an API client) writes `cross_tenant.read` to that instansi's audit log, on /graphql
and on every other endpoint (PDFs, CSV exports, imports).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from ekinerja.auth.principal import Principal, Role


class Operation(StrEnum):
    READ_INSTANSI = "instansi:read"
    READ_DIRECTORY = "pegawai:directory"
    READ_PERSONNEL = "pegawai:personnel"
    WRITE_ATASAN_OVERRIDE = "atasan-override:write"
    READ_SKP = "skp:read"
    READ_CASCADE = "rhk:read"
    PLAN_SKP = "skp:plan"
    REVIEW_SKP = "skp:review"
    CORRECT_SKP = "skp:correct"
    CONFIGURE_INSTANSI = "instansi:configure"
    MANAGE_RHK_TEMPLATES = "rhk-template:write"
    REPORT_PELAKSANAAN = "pelaksanaan:write"
    DOWNLOAD_BUKTI = "bukti-dukung:download"
    GIVE_UMPAN_BALIK = "umpan-balik:write"
    MANAGE_KALIMAT_UMPAN_BALIK = "umpan-balik-kalimat:write"
    MONITOR_PELAKSANAAN = "pelaksanaan:monitor"
    ASSESS = "penilaian:assess"
    SET_KINERJA_ORGANISASI = "penilaian:penetapan"
    WRITE_KEBERATAN = "keberatan:write"
    DECIDE_KEBERATAN = "keberatan:decide"
    RECORD_PENILAI_EKSTERNAL = "penilai-eksternal:record"
    COMPUTE_ANGKA_KREDIT = "angka-kredit:compute"
    READ_DASHBOARD = "penilaian:dashboard"
    READ_CHANGES = "changes:read"
    EXPORT_SIASN = "siasn:export"
    MANAGE_WEBHOOKS = "webhooks:manage"
    READ_STATISTIK = "statistik:read"
    MANAGE_API_CLIENTS = "api-client:manage"
    MANAGE_BROWSER_SESSIONS = "sesi-browser:manage"
    IMPORT_KEPEGAWAIAN = "kepegawaian:import"
    READ_PEMBERITAHUAN = "pemberitahuan:read"
    MANAGE_PEMBERITAHUAN = "pemberitahuan:write"


OPERATION_MEANING: Mapping[Operation, str] = {
    Operation.READ_INSTANSI: "the bound instansi's registry entry",
    Operation.READ_DIRECTORY: "names, NIPs, positions and the unit tree",
    Operation.READ_PERSONNEL: "rank, status, assignment history, superiors, subordinates; "
    "at TENANT reach also the instansi's pengecualian atasan (overrides) on record",
    Operation.WRITE_ATASAN_OVERRIDE: "correcting who appraises a pegawai: recording a "
    "pengecualian atasan, ending one early or removing it (audited)",
    Operation.READ_SKP: "an SKP: snapshots, status, notes, expectations; and its execution "
    "(progres, realisasi, evidence metadata, feedback) and assessment, wherever they are shown "
    "(a roll-up of an RHK and each person's capaian in it included)",
    Operation.READ_CASCADE: "RHK with their indikator and the cascade between them (not what "
    "was realised for them: `skp:read` about their owner)",
    Operation.PLAN_SKP: "creating, editing, submitting, withdrawing, revising and ending early "
    "an SKP",
    Operation.REVIEW_SKP: "approving or returning an SKP (only its snapshotted pejabat penilai)",
    Operation.CORRECT_SKP: "refreshing an SKP's snapshots of pegawai and penilai, and ending "
    "a pegawai's SKP early at a transfer or retirement (audited)",
    Operation.CONFIGURE_INSTANSI: "the instansi's settings, e.g. the evaluation cadence of a year",
    Operation.MANAGE_RHK_TEMPLATES: "the RHK templates offered per jabatan",
    Operation.REPORT_PELAKSANAAN: "logging progres harian, recording realisasi, adding evidence, "
    "submitting a window, replying to feedback",
    Operation.DOWNLOAD_BUKTI: "a short-lived download URL of an evidence file",
    Operation.GIVE_UMPAN_BALIK: "feedback on an SKP's RHK and BerAKHLAK values (only its "
    "snapshotted pejabat penilai)",
    Operation.MANAGE_KALIMAT_UMPAN_BALIK: "the instansi's suggested feedback sentences",
    Operation.MONITOR_PELAKSANAAN: "monitoring the execution of the SKPs a penilai appraises",
    Operation.ASSESS: "rating and cancelling a periodic evaluation (only the SKP's "
    "snapshotted pejabat penilai)",
    Operation.SET_KINERJA_ORGANISASI: "a unit's predikat organisasi and penetapan of its "
    "results (only the leader one level above the unit)",
    Operation.WRITE_KEBERATAN: "filing a keberatan (its pegawai) and explaining (its pegawai "
    "and penilai)",
    Operation.DECIDE_KEBERATAN: "examining and deciding a keberatan (only the snapshotted "
    "atasan pejabat penilai)",
    Operation.RECORD_PENILAI_EKSTERNAL: "recording, with its signed document, the act of a "
    "pejabat penilai outside the system (approving or returning an SKP, rating an evaluation) "
    "or of an atasan pejabat penilai outside it (asking for explanations on, and deciding, a "
    "keberatan), and listing the keberatan waiting for such an atasan; only where the "
    "snapshotted appraiser is no pegawai of the instansi (audited)",
    Operation.COMPUTE_ANGKA_KREDIT: "bringing the angka kredit ledger up to date",
    Operation.READ_DASHBOARD: "a unit's predikat distribution and assessment completion "
    "(the leaders of the unit and above, admins)",
    Operation.READ_CHANGES: "the instansi's change feed: domain events in commit order, for "
    "payroll and HR systems",
    Operation.MANAGE_WEBHOOKS: "webhook subscriptions and their deliveries (an API client: its "
    "own; the admin instansi: all of the instansi's)",
    Operation.READ_STATISTIK: "the instansi's figures of a year (SKP, evaluation, predikat, "
    "curve and cascade counts), computed live",
    Operation.MANAGE_API_CLIENTS: "the instansi's own API clients: create, rotate the secret, "
    "change scopes, revoke (clients registered centrally are listed, managed by BKN)",
    Operation.EXPORT_SIASN: "every pegawai's final results in the SIASN shapes (rw-skp22, "
    "rw-kinerjaperiodik), over GraphQL or as CSV",
    Operation.MANAGE_BROWSER_SESSIONS: "a pegawai's browser sessions: list them (device, "
    "address, last use) and end them all at once (audited)",
    Operation.IMPORT_KEPEGAWAIAN: "importing pegawai and units from a CSV or XLSX file as a "
    "background job (dry run, every row error, apply) and reading the instansi's import jobs",
    Operation.READ_PEMBERITAHUAN: "one's own notifications, their unread count and one's "
    "notification preferences (decision 0041)",
    Operation.MANAGE_PEMBERITAHUAN: "marking one's own notifications read and changing one's "
    "notification preferences",
}


class Reach(IntEnum):
    OWN = 1
    SUBORDINATE = 2
    TENANT = 3


class Relation(IntEnum):
    """How the target of an operation relates to the principal."""

    OWN = 1
    SUBORDINATE = 2
    OTHER_IN_TENANT = 3


@dataclass(frozen=True)
class Grant:
    reach: Reach
    scope: str | None = None  # required of API clients


TENANT, SUBORDINATE = Grant(Reach.TENANT), Grant(Reach.SUBORDINATE)
OWN = Grant(Reach.OWN)
PEGAWAI_READ = Grant(Reach.TENANT, scope="pegawai:read")
SKP_READ = Grant(Reach.TENANT, scope="skp:read")

POLICY: Mapping[Operation, Mapping[Role, Grant]] = {
    Operation.READ_INSTANSI: {
        Role.PEGAWAI: TENANT,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: TENANT,
    },
    Operation.READ_DIRECTORY: {
        Role.PEGAWAI: TENANT,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: PEGAWAI_READ,
    },
    Operation.READ_PERSONNEL: {
        Role.PEGAWAI: SUBORDINATE,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: PEGAWAI_READ,
    },
    Operation.WRITE_ATASAN_OVERRIDE: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.READ_SKP: {
        Role.PEGAWAI: SUBORDINATE,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: SKP_READ,
    },
    Operation.READ_CASCADE: {
        Role.PEGAWAI: TENANT,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: SKP_READ,
    },
    Operation.PLAN_SKP: {
        Role.PEGAWAI: OWN,
    },
    Operation.REVIEW_SKP: {
        Role.PEGAWAI: SUBORDINATE,
    },
    Operation.CORRECT_SKP: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.CONFIGURE_INSTANSI: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.MANAGE_RHK_TEMPLATES: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.REPORT_PELAKSANAAN: {
        Role.PEGAWAI: OWN,
        # Integrators push progres from other systems (the "sumber data" of e-Kinerja).
        Role.API_CLIENT: Grant(Reach.TENANT, scope="pelaksanaan:write"),
    },
    Operation.DOWNLOAD_BUKTI: {
        Role.PEGAWAI: SUBORDINATE,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
    },
    Operation.GIVE_UMPAN_BALIK: {
        Role.PEGAWAI: SUBORDINATE,
    },
    Operation.MANAGE_KALIMAT_UMPAN_BALIK: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.MONITOR_PELAKSANAAN: {
        Role.PEGAWAI: OWN,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
    },
    Operation.ASSESS: {
        Role.PEGAWAI: SUBORDINATE,
    },
    # Who leads the unit above is decided by the domain (penetapan.py), not by a relation to
    # one pegawai.
    Operation.SET_KINERJA_ORGANISASI: {
        Role.PEGAWAI: TENANT,
    },
    Operation.WRITE_KEBERATAN: {
        Role.PEGAWAI: SUBORDINATE,
    },
    Operation.DECIDE_KEBERATAN: {
        Role.PEGAWAI: SUBORDINATE,
    },
    Operation.RECORD_PENILAI_EKSTERNAL: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.COMPUTE_ANGKA_KREDIT: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.READ_DASHBOARD: {
        Role.PEGAWAI: TENANT,
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: SKP_READ,
    },
    Operation.READ_CHANGES: {
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: Grant(Reach.TENANT, scope="changes:read"),
    },
    Operation.MANAGE_WEBHOOKS: {
        Role.ADMIN_INSTANSI: TENANT,
        Role.API_CLIENT: Grant(Reach.TENANT, scope="webhooks:manage"),
    },
    Operation.READ_STATISTIK: {
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: Grant(Reach.TENANT, scope="statistik:read"),
    },
    Operation.MANAGE_API_CLIENTS: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.MANAGE_BROWSER_SESSIONS: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    # The agency's own admins only: a central admin reads an instansi's data, never rewrites
    # its people; integrators write pegawai through their own systems' exports to the admin.
    Operation.IMPORT_KEPEGAWAIAN: {
        Role.ADMIN_INSTANSI: TENANT,
    },
    Operation.EXPORT_SIASN: {
        Role.ADMIN_INSTANSI: TENANT,
        Role.CENTRAL_ADMIN: TENANT,
        Role.API_CLIENT: Grant(Reach.TENANT, scope="siasn:export"),
    },
    # A person's own notifications only: nobody reads another's, admins included.
    Operation.READ_PEMBERITAHUAN: {
        Role.PEGAWAI: OWN,
    },
    Operation.MANAGE_PEMBERITAHUAN: {
        Role.PEGAWAI: OWN,
    },
}


def widest_reach(principal: Principal, operation: Operation) -> Reach | None:
    """The furthest this principal reaches for ``operation``, or None if not at all."""
    reaches = [
        grant.reach
        for role, grant in POLICY.get(operation, {}).items()
        if principal.has_role(role) and (grant.scope is None or grant.scope in principal.scopes)
    ]
    return max(reaches, default=None)


def known_scopes() -> list[str]:
    """Every scope an API client can be given: those the table asks of API clients."""
    return sorted({g.scope for grants in POLICY.values() for g in grants.values() if g.scope})


def allows(principal: Principal, operation: Operation, relation: Relation) -> bool:
    reach = widest_reach(principal, operation)
    return reach is not None and relation <= reach


def as_markdown() -> str:
    """The table for people: docs/authorization.md is generated from it."""
    roles = list(Role)
    lines = [
        "| operation | what it covers | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for operation, grants in POLICY.items():
        cells = []
        for role in roles:
            grant = grants.get(role)
            if grant is None:
                cells.append("—")
            else:
                cells.append(grant.reach.name + (f" + `{grant.scope}`" if grant.scope else ""))
        lines.append(
            f"| `{operation.value}` | {OPERATION_MEANING[operation]} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines) + "\n"


# --- national operations --------------------------------------------------------------------
# They read across instansi, so they run bound to none (no X-Instansi) and reach no tenant
# schema: only the national read model in `shared`. Each is audited in the central log.


class NationalOperation(StrEnum):
    READ_NASIONAL = "nasional:read"


NATIONAL_POLICY: Mapping[NationalOperation, frozenset[Role]] = {
    NationalOperation.READ_NASIONAL: frozenset({Role.CENTRAL_ADMIN}),
}
NATIONAL_MEANING: Mapping[NationalOperation, str] = {
    NationalOperation.READ_NASIONAL: "figures of every instansi and national totals, filtered "
    "by jenis and province (the read model)",
}


def allows_national(principal: Principal, operation: NationalOperation) -> bool:
    return any(principal.has_role(role) for role in NATIONAL_POLICY.get(operation, ()))


def national_markdown() -> str:
    lines = ["| operation | what it covers | roles |", "|---|---|---|"]
    for operation, roles in NATIONAL_POLICY.items():
        names = ", ".join(sorted(r.value for r in roles))
        lines.append(f"| `{operation.value}` | {NATIONAL_MEANING[operation]} | {names} |")
    return "\n".join(lines) + "\n"
