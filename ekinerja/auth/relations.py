"""How the target of an operation relates to the principal: the one rule behind every
OWN / SUBORDINATE / OTHER_IN_TENANT decision, for GraphQL fields and HTTP routes alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ekinerja.auth.policy import Relation
from ekinerja.kepegawaian.atasan import RantaiAtasan


async def relation_between(
    me: int | None, target: int, chain_of: Callable[[int], Awaitable[RantaiAtasan]]
) -> Relation:
    """Own, subordinate (``me`` is the target's pejabat penilai or atasan pejabat penilai,
    by ``chain_of``, today) or another pegawai of the instansi."""
    if me is None:
        return Relation.OTHER_IN_TENANT
    if target == me:
        return Relation.OWN
    chain = await chain_of(target)
    above = chain.atasan_pejabat_penilai
    if me in (chain.pejabat_penilai.pegawai_id, above.pegawai_id if above else None):
        return Relation.SUBORDINATE
    return Relation.OTHER_IN_TENANT
