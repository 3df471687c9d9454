"""Permission classes generated from the policy table (ekinerja/auth/policy.py): the one
mechanism every field and mutation uses. Deny by default."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from strawberry.permission import BasePermission

from ekinerja.auth.policy import Operation, Reach, Relation, widest_reach
from ekinerja.auth.relations import relation_between
from ekinerja.schema.context import Info
from ekinerja.schema.errors import ClientError, NoInstansiSelected
from ekinerja.schema.tanggal import hari_ini


class Unauthenticated(ClientError):
    code = "UNAUTHENTICATED"


class Forbidden(ClientError):
    code = "FORBIDDEN"


async def relation_to(info: Info, pegawai_id: int) -> Relation:
    # Imported here: the dataloaders module imports the schema types' domain services.
    from ekinerja.schema.kepegawaian.dataloaders import rantai_atasan_at

    loader = info.context.loader(rantai_atasan_at)
    on = await hari_ini(info)
    return await relation_between(
        info.context.pegawai_id, pegawai_id, lambda target: loader.load((target, on))
    )


async def ensure_allowed(
    info: Info,
    operation: Operation,
    target: int | None = None,
    *,
    appraisers: Iterable[int | None] = (),
) -> None:
    """Raise unless the principal may perform ``operation`` about pegawai ``target`` (None:
    about nobody in particular, i.e. anyone in the instansi). ``appraisers``: the pegawai
    snapshotted as appraising the record at hand (an SKP's pejabat penilai and atasan, a
    keberatan's): they appraise it, as subordinates' records, whatever today's organisation
    says, so a transfer or retirement since does not lock the penilai out of the year they
    appraise (the domain checks who acts)."""
    context = info.context
    if context.principal is None:
        raise Unauthenticated("authentication required")
    if context.instansi is None:
        raise NoInstansiSelected(
            "no instansi selected for this request: send its kode in X-Instansi"
        )
    reach = widest_reach(context.principal, operation)
    if reach is None:
        raise Forbidden(f"not allowed: {operation.value}")
    if reach < Reach.TENANT:
        me = context.pegawai_id
        if me is not None and target is not None and me in set(appraisers):
            relation = min(Relation.SUBORDINATE, await relation_to(info, target))
        elif target is not None:
            relation = await relation_to(info, target)
        else:
            relation = Relation.OTHER_IN_TENANT
        if relation > reach:
            raise Forbidden(f"not allowed: {operation.value} about someone you do not appraise")


def require(
    operation: Operation, target: Callable[[Any], int] | None = None
) -> type[BasePermission]:
    """A permission class for ``operation``; ``target`` gives the pegawai id the field is
    about (from the object the field belongs to), for operations whose reach depends on it.
    Resolvers that learn the target only after loading call ``ensure_allowed`` themselves."""

    class Permission(BasePermission):
        async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            await ensure_allowed(info, operation, target(source) if target else None)
            return True

    Permission.__name__ = Permission.__qualname__ = f"Require_{operation.name}"
    # Read by the compiled read path (ekinerja/schema/compiled/), which checks the same policy
    # for the relation it proves instead of asking per object.
    Permission.operation = operation  # type: ignore[attr-defined]
    Permission.has_target = target is not None  # type: ignore[attr-defined]
    return Permission


def appraisers_of(skp: Any) -> tuple[int | None, int | None]:
    """The appraisers snapshotted on an SKP row: its pejabat penilai and atasan."""
    return (skp.penilai_pegawai_id, skp.atasan_penilai_pegawai_id)
