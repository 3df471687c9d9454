"""A change to an instansi is in its national figures within a minute (issue 18): the worker
recomputes a notified instansi's figures as soon as they are a minute old, at most once a
minute. The defect (found by bench/scale.py): a change that came while the figures were younger
than a minute was dropped, so the figures waited for the next change or the hourly upkeep.
Time moves by ageing the figures' row, not by sleeping."""

from __future__ import annotations

from datetime import timedelta

from ekinerja.background import NOTIFIED_STATISTICS_AGE, ChangedFigures
from ekinerja.kepegawaian.calendar import today
from ekinerja.models.shared import StatistikInstansi
from ekinerja.nasional.read_model import segarkan
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org


async def _figures(tenant) -> StatistikInstansi:
    return await StatistikInstansi.get(instansi_id=tenant.id, tahun=today().year)


async def _age(tenant, by: timedelta) -> None:
    figures = await _figures(tenant)
    figures.dihitung_pada -= by
    await figures.save(update_fields=["dihitung_pada"])


async def test_a_change_to_fresh_figures_waits_for_them_to_age_then_is_counted(tenant):
    await segarkan(tenant, today().year)
    before = (await _figures(tenant)).pegawai
    async with tenant_transaction(as_bound(tenant)):
        await Org().pegawai("Baru")  # the change (its outbox would notify the worker)

    changed = ChangedFigures(NOTIFIED_STATISTICS_AGE)
    changed.changed([tenant])
    assert await changed.refresh_due() == []  # the figures are seconds old: not yet
    assert len(changed) == 1  # … but not forgotten, which was the defect
    assert (await _figures(tenant)).pegawai == before

    await _age(tenant, NOTIFIED_STATISTICS_AGE)
    assert [i.kode for i in await changed.refresh_due()] == [tenant.kode]
    assert len(changed) == 0
    assert (await _figures(tenant)).pegawai == before + 1


async def test_changes_of_one_instansi_are_computed_once_per_minute(tenant, other_tenant):
    await segarkan(tenant, today().year)
    changed = ChangedFigures(NOTIFIED_STATISTICS_AGE)
    changed.changed([tenant, other_tenant])  # other_tenant has no figures yet: due at once
    changed.changed([tenant])  # a second change before the first is counted: one computation
    assert [i.kode for i in await changed.refresh_due()] == [other_tenant.kode]
    assert len(changed) == 1
