""" "Today" is the date where the instansi is: a WITA instansi, at an instant when WIB is still
on the day before, reads the WITA date as the default `tanggal` of a query and on its SKP
document; a WIB instansi at the same instant keeps its own date (the zone is per tenant)."""

from __future__ import annotations

from datetime import UTC, datetime

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import ZONE_SETTING, pada
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import build_bidang

# 23:30 WIB on 1 March is already 00:30 WITA on 2 March.
INSTANT = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
WIB_DAY, WITA_DAY = "2026-03-01", "2026-03-02"
DEFAULTS = "{ unitKerjaAkar { tanggal } saya { atasan { tanggal } } }"


async def _wita(tenant) -> None:
    async with tenant_transaction(as_bound(tenant)):
        await pengaturan.tetapkan(ZONE_SETTING, "Asia/Makassar", "admin")


async def test_a_wita_instansi_reads_its_own_date_as_the_default_tanggal(
    portal, tenant, other_tenant
):
    bidang = await build_bidang(tenant, analis=1)
    await _wita(tenant)
    with pada(INSTANT):
        body = await portal.as_(bidang.analis[0], DEFAULTS)
    assert "errors" not in body, body
    assert {u["tanggal"] for u in body["data"]["unitKerjaAkar"]} == {WITA_DAY}
    assert body["data"]["saya"]["atasan"]["tanggal"] == WITA_DAY
    # Another instansi (WIB by default) at the same instant is still on 1 March.
    other = await build_bidang(other_tenant, analis=1)
    with pada(INSTANT):
        body = await Portal(portal.api, portal.idp, other_tenant).as_(other.analis[0], DEFAULTS)
    assert body["data"]["saya"]["atasan"]["tanggal"] == WIB_DAY, body
