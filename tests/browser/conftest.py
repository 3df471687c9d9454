"""Fixtures of the portal's browser tests (how to run them: tests/browser/__init__.py).

Made once for the package (torn down when its last test ends, so the service and its background
worker never run beside the rest of the suite, whose tenants it would otherwise work on too):
``layanan`` (the service as a process, with the demo agency seeded in a tenant of its own),
``orang`` (who plays each role in it) and ``peramban`` (one headless chromium). Per test:
``masuk`` and ``tamu`` open browser sessions, each in a context of its own, closed at the test's
end; a failed test leaves a screenshot of each of its pages in build/portal-screenshots/gagal/
and prints the end of the service's log.

Every test here is marked ``browser`` and skips, saying why, without chromium (EKINERJA_CHROMIUM,
/usr/bin/chromium, or ``chromium`` on PATH) or without Playwright."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from ekinerja.db.config import DatabaseAddress
from tests.browser.support import (
    ACTION_MS,
    SCREENSHOTS,
    Layanan,
    Orang,
    OrangDemo,
    Sesi,
    find_chromium,
    login,
    seed_agency,
    sesi_baru,
)
from tests.support.tenants import fresh_kode

try:
    from playwright.async_api import async_playwright, expect
except ImportError:  # the test extra not installed
    async_playwright = None
else:
    expect.set_options(timeout=ACTION_MS)  # as long as any action may take (default 5 s)

HERE = Path(__file__).resolve().parent
NOBODY = r"/graphql$"  # what a visitor nobody is logged in to is refused (401)
CHROMIUM_PATH, NO_CHROMIUM = find_chromium()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = NO_CHROMIUM or ("" if async_playwright else "playwright is not installed")
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
async def layanan(
    database: DatabaseAddress, role_prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Layanan]:
    """The service serving the portal at ``layanan.url``: `python -m ekinerja serve` in
    development mode (dev login open, background worker inside) on a free port, its demo
    instansi ``layanan.kode`` seeded with the demo agency (tests/browser/support.py). It starts
    while the agency is seeded, is ready before any test runs, and is stopped (SIGTERM, bounded)
    after the package's last test."""
    kode = fresh_kode("PORTAL")
    service = Layanan(database, kode, tmp_path_factory.mktemp("portal-serve"))
    service.start()
    try:
        service.instansi, service.orang = await seed_agency(role_prefix, kode)
        await service.ready()
        yield service
    finally:
        await service.stop()


@pytest.fixture(scope="package")
def orang(layanan: Layanan) -> OrangDemo:
    """Who to log in as: ``orang.pegawai``, ``.penilai``, ``.atasan_penilai``, ``.kepala``,
    ``.admin`` (with ``admin=True``), ``.tim``, ``.pengaju_keberatan``; each an ``Orang`` with
    ``nip``, ``nama`` and ``nama_lengkap``."""
    return layanan.orang


@pytest.fixture(scope="package")
async def peramban() -> AsyncIterator:
    """One headless chromium (Debian's) for the package; contexts keep people apart."""
    assert async_playwright is not None and CHROMIUM_PATH is not None  # else skipped
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
            timeout=30_000,
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def _sesi(
    request: pytest.FixtureRequest, peramban, layanan: Layanan
) -> AsyncIterator[Callable[..., Awaitable[Sesi]]]:
    opened: list[Sesi] = []

    async def open_one(**options) -> Sesi:
        sesi = await sesi_baru(peramban, layanan.url, **options)
        opened.append(sesi)
        return sesi

    yield open_one
    if request.node.stash.get(_FAILED, False):
        name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
        for n, sesi in enumerate(opened):
            (SCREENSHOTS / "gagal").mkdir(parents=True, exist_ok=True)
            try:
                await sesi.page.screenshot(
                    path=SCREENSHOTS / "gagal" / f"{name}-{n}.png", full_page=True, timeout=5000
                )
            except Exception as error:  # a page that broke is what the test is about
                print(f"no screenshot of page {n}: {error}")
        print(f"the end of the service's log ({layanan.log_path}):\n{layanan.log(3000)}")
    for sesi in opened:
        await sesi.konteks.close()


@pytest.fixture
def masuk(_sesi, layanan: Layanan) -> Callable[..., Awaitable[Sesi]]:
    """``await masuk(orang.pegawai)`` (an ``Orang`` or a NIP): a fresh browser context logged
    in through the development login, on ``kembali`` (default /portal/). ``admin=True`` logs in
    with the admin instansi role; other keywords are Playwright context options (e.g.
    ``viewport={"width": 360, "height": 640}``). Returns a ``Sesi``: ``.page``, ``.konteks``,
    ``.buka(path)``, ``.izinkan(status, url_regex)``, ``.tanpa_masalah()``."""

    async def masuk(
        siapa: Orang | str, *, admin: bool = False, kembali: str = "/portal/", **options
    ) -> Sesi:
        sesi = await _sesi(**options)
        nip = siapa.nip if isinstance(siapa, Orang) else siapa
        await login(sesi, nip, admin=admin, kembali=kembali)
        return sesi

    return masuk


@pytest.fixture
def tamu(_sesi) -> Callable[..., Awaitable[Sesi]]:
    """``await tamu()``: a fresh browser context nobody is logged in to, on ``path`` (default
    /portal/; None opens nothing). Same ``Sesi`` and options as ``masuk``. The portal's first
    question, who is signed in, is answered 401 for nobody: that answer to /graphql is
    expected (``izinkan``)."""

    async def tamu(path: str | None = "/portal/", **options) -> Sesi:
        sesi = await _sesi(**options)
        sesi.izinkan(401, NOBODY)
        if path is not None:
            await sesi.buka(path)
        return sesi

    return tamu
