"""`aksesSaya`: what the policy table grants the signed-in principal, so a portal shows the menus
its user can use (issue 19) instead of guessing from refusals. It is the table's answer for the
principal's roles and scopes, not a decision about any one record: who is in one's team is
data (`saya { bawahan }`), and every field and mutation still decides for itself."""

from __future__ import annotations

from enum import Enum

import strawberry

from ekinerja.auth.policy import Operation, Reach, widest_reach
from ekinerja.schema.context import Info


@strawberry.enum(description="How far a grant reaches.")
class Jangkauan(Enum):
    SENDIRI = strawberry.enum_value("OWN", description="One's own records.")
    BAWAHAN = strawberry.enum_value(
        "SUBORDINATE", description="One's own and those one appraises (one's team)."
    )
    INSTANSI = strawberry.enum_value("TENANT", description="Every record of the instansi.")


_JANGKAUAN = {
    Reach.OWN: Jangkauan.SENDIRI,
    Reach.SUBORDINATE: Jangkauan.BAWAHAN,
    Reach.TENANT: Jangkauan.INSTANSI,
}


@strawberry.type(description="An operation of the policy table the principal holds.")
class Akses:
    operasi: str = strawberry.field(
        description="The operation, as docs/authorization.md names it (`skp:review`)."
    )
    jangkauan: Jangkauan = strawberry.field(description="The widest reach the principal has.")


def resolve_akses_saya(info: Info) -> list[Akses]:
    principal = info.context.principal
    if principal is None:
        return []
    found = []
    for operation in Operation:
        reach = widest_reach(principal, operation)
        if reach is not None:
            found.append(Akses(operasi=operation.value, jangkauan=_JANGKAUAN[reach]))
    return found
