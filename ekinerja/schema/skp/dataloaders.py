"""Per-request DataLoaders of the SKP domain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from ekinerja.models.tenant import Indikator, RencanaAksi, Rhk, Skp, SkpLampiran, SkpPerilaku
from ekinerja.schema.kepegawaian.dataloaders import by_id
from ekinerja.skp.direct_cascading import Pembagian, pembagian_of
from ekinerja.skp.revisi_links import StatusIntervensi, states_of
from ekinerja.skp.rhk_atasan import RhkPilihan, rhk_atasan


def grouped(model, key: str, order: tuple[str, ...]):
    """A batch loader of ``model`` rows grouped by ``key``, in ``order``."""

    async def load(ids: Sequence[int]) -> list[list]:
        groups: dict[int, list] = defaultdict(list)
        for row in await model.filter(**{f"{key}__in": list(set(ids))}).order_by(*order):
            groups[getattr(row, key)].append(row)
        return [groups.get(i, []) for i in ids]

    return load


def skp_by_id() -> DataLoader[int, Skp | None]:
    return DataLoader(by_id(Skp))


def rhk_by_id() -> DataLoader[int, Rhk | None]:
    return DataLoader(by_id(Rhk))


def rhk_of_skp() -> DataLoader[int, list[Rhk]]:
    return DataLoader(grouped(Rhk, "skp_id", ("urutan", "id")))


def indikator_of_rhk() -> DataLoader[int, list[Indikator]]:
    return DataLoader(grouped(Indikator, "rhk_id", ("urutan", "id")))


def perilaku_of_skp() -> DataLoader[int, list[SkpPerilaku]]:
    return DataLoader(grouped(SkpPerilaku, "skp_id", ("id",)))


def rencana_aksi_of_rhk() -> DataLoader[int, list[RencanaAksi]]:
    return DataLoader(grouped(RencanaAksi, "rhk_id", ("periode", "id")))


def lampiran_of_skp() -> DataLoader[int, list[SkpLampiran]]:
    return DataLoader(grouped(SkpLampiran, "skp_id", ("jenis", "urutan", "id")))


def indikator_by_id() -> DataLoader[int, Indikator | None]:
    return DataLoader(by_id(Indikator))


async def _pembagian(ids: Sequence[int]) -> list[Pembagian | None]:
    found = await pembagian_of(list(set(ids)))
    return [found.get(i) for i in ids]


def pembagian() -> DataLoader[int, Pembagian | None]:
    return DataLoader(_pembagian)


async def _intervention_states(ids: Sequence[int]) -> list[StatusIntervensi | None]:
    found = await states_of(list(set(ids)))
    return [found.get(i) for i in ids]


def intervention_state() -> DataLoader[int, StatusIntervensi | None]:
    """Keyed by the intervened RHK: is a link to it in force, superseded or orphaned."""
    return DataLoader(_intervention_states)


async def _rhk_atasan(ids: Sequence[int]) -> list[list[RhkPilihan]]:
    found = await rhk_atasan(ids)
    return [found.get(i, []) for i in ids]


def rhk_atasan_of_skp() -> DataLoader[int, list[RhkPilihan]]:
    """Keyed by SKP: the RHK of its penilai's SKP in force that it may intervene."""
    return DataLoader(_rhk_atasan)
