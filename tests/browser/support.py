"""What the portal's browser tests stand on (tests/browser/conftest.py makes fixtures of it):
finding Debian's chromium, a small demo agency seeded into a tenant of the test database, the
service run as a real process against it, a browser session per person watched for console
errors and failed requests, full-page screenshots, and the axe-core accessibility check.

Every wait is bounded: the service answering /readyz (STARTING), its stop after SIGTERM
(STOPPING), each Playwright action and navigation (ACTION_MS). A start that fails says so with
the end of the service's log."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from PIL import Image

from ekinerja.auth.dev_tokens import DEV_ADMIN_ROLE, dev_signing_key, mint_dev_token
from ekinerja.db.config import DatabaseAddress
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.kepegawaian.demo import MIN_PEGAWAI, generate_demo_rows
from ekinerja.kepegawaian.demo.identities import DemoRole, demo_identities
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, Pegawai, Skp
from ekinerja.penilaian.periode import leader_above
from ekinerja.settings import Settings
from ekinerja.skp.demo_tahun import seed_demo_plans
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound

ROOT = Path(__file__).resolve().parents[2]
PORTAL_DIR = ROOT / "portal"
SCREENSHOTS = ROOT / "build" / "portal-screenshots"  # CI keeps build/ as artifacts
DOCS_SCREENSHOTS = ROOT / "docs" / "portal"
SCREENSHOTS_TO_DOCS = "EKINERJA_PORTAL_SCREENSHOTS_TO_DOCS"
CHROMIUM = "EKINERJA_CHROMIUM"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"

# The smallest agency the demo generator makes (fewer cannot staff its unit tree); it still has
# a walked team (a penilai in the system with four staff, evaluations, penetapan, a keberatan).
DEMO_PEGAWAI = MIN_PEGAWAI
STARTING = 60.0  # seconds: `python -m ekinerja serve` answering /readyz
STOPPING = 15.0  # seconds: its exit after SIGTERM, before it is killed
ACTION_MS = 10_000  # each Playwright action and navigation
LOGIN_PATH = "/auth/dev-login"
SESSION_COOKIE = "ekinerja_session"
# How pages are looked at, so screenshots compare from run to run: a laptop's viewport, the
# portal's language and the demo agency's time zone, no animations.
CONTEXT = {
    "viewport": {"width": 1280, "height": 800},
    "device_scale_factor": 1,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
    "reduced_motion": "reduce",
    "color_scheme": "light",
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")


def find_chromium() -> tuple[str | None, str]:
    """The chromium to drive, or None and why there is none: ``EKINERJA_CHROMIUM`` when set,
    else Debian's /usr/bin/chromium, else ``chromium`` on PATH."""
    given = os.environ.get(CHROMIUM)
    if given:
        if os.access(given, os.X_OK) and Path(given).is_file():
            return given, ""
        return None, f"{CHROMIUM}={given} is not an executable file"
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return str(DEBIAN_CHROMIUM), ""
    if found := shutil.which("chromium"):
        return found, ""
    return None, (
        f"no chromium: install Debian's package (apt-get install chromium; .ci/run does) or "
        f"set {CHROMIUM} to a chromium binary"
    )


# --- the demo agency -----------------------------------------------------------------------


@dataclass(frozen=True)
class Orang:
    """Someone to log in as."""

    nip: str
    nama: str  # without gelar: what any page that names the person shows
    nama_lengkap: str  # with gelar (GraphQL `namaLengkap`)


@dataclass(frozen=True)
class OrangDemo:
    """Who plays each role in the seeded agency, from its walked team (ekinerja/skp/
    demo_tahun.py): its members have this year's approved SKP, progres, realisasi with
    evidence, feedback and, for each window that has ended, a rated, fixed evaluation."""

    pegawai: Orang  # the team's first member (rated Sangat Baik after the first window)
    penilai: Orang  # the team's penilai, in the system
    atasan_penilai: Orang  # the penilai's own appraiser: examines the team's keberatan
    kepala: Orang  # the leader above the team's unit, who fixed (penetapan) its results
    admin: Orang  # someone of the kepegawaian unit, to log in with admin=True
    tim: tuple[Orang, ...]  # every member, in the walk's order (pegawai first)
    pengaju_keberatan: Orang  # the member whose keberatan on the last ended window is pending


async def _orang(pegawai_id: int) -> Orang:
    row = await Pegawai.get(id=pegawai_id)
    front = f"{row.gelar_depan} " if row.gelar_depan else ""
    back = f", {row.gelar_belakang}" if row.gelar_belakang else ""
    return Orang(row.nip, row.nama, f"{front}{row.nama}{back}")


async def seed_agency(role_prefix: str, kode: str) -> tuple[Instansi, OrangDemo]:
    """Tenant ``kode`` with the demo agency as `ekinerja serve` seeds its DEMO (cli/serve.py),
    at its smallest size, and who plays each role in it."""
    instansi, _ = await create_tenant(kode, "Instansi Demo", JenisInstansi.KABUPATEN, role_prefix)
    imported = await import_pegawai(
        kode,
        generate_demo_rows(DEMO_PEGAWAI),
        actor="system",
        source=f"demo seed=1 pegawai={DEMO_PEGAWAI}",
    )
    assert imported.ok, imported
    async with tenant_transaction(as_bound(instansi)):
        today = await hari_ini()
        plans = await seed_demo_plans(today.year)
        assert plans.tahun_berjalan is not None, f"no team walked in {kode}: {plans}"
        return instansi, await _who(today)


async def _who(today) -> OrangDemo:
    evaluated = await EvaluasiPeriodik.all().order_by("id")
    assert evaluated, "the walked team has no evaluation"
    skp_ids = list(dict.fromkeys(e.skp_id for e in evaluated))  # the walk's order
    skps = {s.id: s for s in await Skp.filter(id__in=skp_ids)}
    team = [skps[i] for i in skp_ids]
    first = team[0]
    unit = next(e.unit_id for e in evaluated if e.unit_id is not None)
    leader = await leader_above(unit, today)
    assert leader is not None, f"no leader above unit {unit}"
    [admin] = await demo_identities(DemoRole.ADMIN_INSTANSI, today, 1)
    admin_id = (await Pegawai.get(nip=admin.nip)).id
    tim = tuple([await _orang(s.pegawai_id) for s in team])
    filed = (
        await Keberatan.filter(evaluasi__skp_id__in=skp_ids).first().prefetch_related("evaluasi")
    )
    return OrangDemo(
        pegawai=tim[0],
        penilai=await _orang(first.penilai_pegawai_id),
        atasan_penilai=await _orang(first.atasan_penilai_pegawai_id),
        kepala=await _orang(leader),
        admin=await _orang(admin_id),
        tim=tim,
        pengaju_keberatan=(
            await _orang(skps[filed.evaluasi.skp_id].pegawai_id) if filed else tim[-1]
        ),
    )


# --- the service, as a process ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Layanan:
    """`python -m ekinerja serve` in development mode against the test database, serving the
    checkout's portal/ with the seeded agency as its demo instansi, the background worker
    (outbox, notifications, live updates) inside it, evidence in a local store under
    ``data_dir``. Its output goes to ``log_path``."""

    def __init__(self, database: DatabaseAddress, kode: str, data_dir: Path) -> None:
        self.kode = kode
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "serve.log"
        self.settings = Settings(
            _env_file=None, database_url=database.url(), data_dir=data_dir, mode="development"
        )
        self.environment = {
            k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")
        } | {
            "DATABASE_URL": database.url(),
            "EKINERJA_MODE": "development",
            "EKINERJA_DEMO_TENANT": kode,
            "EKINERJA_DATA_DIR": str(data_dir),
            "EKINERJA_WORKER_IN_SERVE": "true",
            "EKINERJA_PORTAL_DIR": str(PORTAL_DIR),
            "EKINERJA_LOG_FORMAT": "text",
            "EKINERJA_LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None
        self.instansi: Instansi | None = None  # set once seeded (conftest's layanan)
        self.orang: OrangDemo | None = None

    def start(self) -> None:
        # The development signing key, made before the service reads it: tokens minted here
        # (graphql()) are the service's own.
        dev_signing_key(self.settings)
        with self.log_path.open("w") as log:  # a file, not a pipe nobody reads while it runs
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ekinerja", "serve", "--host", "127.0.0.1"]
                + ["--port", str(self.port)],
                env=self.environment,
                cwd=self.data_dir,  # no .env from the working tree
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # killed as one group if it will not stop
            )

    def log(self, last: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-last:]
        except FileNotFoundError:
            return ""

    async def ready(self, bound: float = STARTING) -> None:
        """Until /readyz answers 200, at most ``bound`` seconds; fails at once if it exits."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + bound
        last = "no answer yet"
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            while True:
                if (code := self.process.poll()) is not None:
                    raise AssertionError(
                        f"`ekinerja serve` exited {code} before it was ready; its log:\n"
                        + self.log()
                    )
                try:
                    answer = await client.get("/readyz")
                    if answer.status_code == 200:
                        return
                    last = f"{answer.status_code} {answer.text[:300]}"
                except httpx.TransportError as error:
                    last = repr(error)
                if loop.time() > deadline:
                    raise AssertionError(
                        f"`ekinerja serve` not ready within {bound} s (last /readyz: {last}); "
                        f"its log:\n{self.log()}"
                    )
                await asyncio.sleep(0.1)  # polling a process that is starting, bounded above

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL to its process group if it has not exited within STOPPING."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, STOPPING)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            await asyncio.to_thread(process.wait, STOPPING)
            warnings.warn(
                f"`ekinerja serve` had not stopped {STOPPING} s after SIGTERM: killed; the end "
                f"of its log:\n{self.log(2000)}",
                stacklevel=1,
            )

    def token(self, siapa: Orang | str, *, admin: bool = False) -> str:
        """A bearer token the service trusts (development key) for ``siapa`` of this instansi."""
        nip = siapa.nip if isinstance(siapa, Orang) else siapa
        roles = (DEV_ADMIN_ROLE,) if admin else ()
        return mint_dev_token(self.settings, nip=nip, instansi=self.kode, roles=roles)

    async def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        sebagai: Orang | str,
        admin: bool = False,
    ) -> dict[str, Any]:
        """Run a GraphQL operation as ``sebagai`` (to arrange or check state around what a page
        does) and return its ``data``; fails on any error."""
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
            answer = await client.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {self.token(sebagai, admin=admin)}"},
            )
        body = answer.json()
        assert answer.status_code == 200 and not body.get("errors"), (answer.status_code, body)
        return body["data"]


# --- browser sessions ------------------------------------------------------------------------


@dataclass
class Pengamat:
    """What went wrong on a page while it was watched: console errors, uncaught exceptions,
    requests answered 4xx/5xx (unless allowed with ``izinkan``) and requests that failed."""

    masalah: list[str] = field(default_factory=list)
    diizinkan: list[tuple[int, re.Pattern[str]]] = field(default_factory=list)

    def izinkan(self, status: int, url: str | re.Pattern[str]) -> None:
        """Answers with ``status`` to URLs matching ``url`` (a regex, searched) are expected,
        and so is the console's "Failed to load resource" line about them."""
        self.diizinkan.append((status, re.compile(url) if isinstance(url, str) else url))

    def _allowed(self, status: int | None, url: str) -> bool:
        return any(
            (status is None or s == status) and pattern.search(url) for s, pattern in self.diizinkan
        )

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.masalah.append(f"uncaught: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if urlsplit(url).path == "/favicon.ico":
            return  # asked for by the browser itself, now or later: not the page's doing
        if message.text.startswith("Failed to load resource") and self._allowed(None, url):
            return
        self.masalah.append(f"console: {message.text} ({url})")

    def _response(self, response) -> None:
        if response.status >= 400 and not self._allowed(response.status, response.url):
            self.masalah.append(f"{response.status} {response.request.method} {response.url}")

    def _failed(self, request) -> None:
        error = request.failure or ""
        # A request the page gave up by navigating away or closing is not the service's fault.
        if "ERR_ABORTED" in error:
            return
        self.masalah.append(f"failed: {request.method} {request.url} ({error})")


@dataclass
class Sesi:
    """One person's browser session: a context of its own (cookies), one page, watched."""

    page: Any  # playwright.async_api.Page
    konteks: Any  # playwright.async_api.BrowserContext
    pengamat: Pengamat
    url: str  # the service's base URL

    async def buka(self, path: str = "/portal/") -> Any:
        """Navigate to ``path`` of the service (a portal page: "/portal/#/tim"); fails on an
        error answer. The response; None when only the hash changed (no request)."""
        response = await self.page.goto(self.url + path)
        assert response is None or response.ok, (path, response.status, await response.text())
        return response

    def izinkan(self, status: int, url: str | re.Pattern[str]) -> None:
        self.pengamat.izinkan(status, url)

    def tanpa_masalah(self) -> None:
        """Assert nothing went wrong on the page so far (console errors, failed requests)."""
        assert not self.pengamat.masalah, "on the page:\n" + "\n".join(self.pengamat.masalah)


async def sesi_baru(browser, url: str, **options) -> Sesi:
    context = await browser.new_context(**(CONTEXT | options))
    context.set_default_timeout(ACTION_MS)
    context.set_default_navigation_timeout(ACTION_MS)
    page = await context.new_page()
    pengamat = Pengamat()
    pengamat.watch(page)
    return Sesi(page, context, pengamat, url)


async def login(sesi: Sesi, nip: str, *, admin: bool, kembali: str) -> None:
    """Log ``sesi`` in through the development login (a server-side session, its HTTP-only
    cookie in the browser context), then open ``kembali``. The login request itself goes through
    the context's own HTTP client (same cookie jar) without following its redirect: the route's
    answer is checked, and the browser never loads whatever it would have redirected to."""
    query = {"nip": nip, "kembali": kembali} | ({"admin": "1"} if admin else {})
    answer = await sesi.konteks.request.get(
        f"{sesi.url}{LOGIN_PATH}?{urlencode(query)}", max_redirects=0
    )
    cookies = {c["name"] for c in await sesi.konteks.cookies(sesi.url)}
    assert answer.status in (302, 303) and SESSION_COOKIE in cookies, (
        f"development login as {nip} refused: {answer.status} {await answer.text()}"
    )
    await sesi.buka(kembali)


# --- screenshots and accessibility -----------------------------------------------------------

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


async def tangkap(page, nama: str) -> Path:
    """A full-page PNG of ``page`` as build/portal-screenshots/NAMA.png (CI's artifacts) and,
    with EKINERJA_PORTAL_SCREENSHOTS_TO_DOCS=1, docs/portal/NAMA.png too (what the docs show).
    ``nama``: lowercase letters, digits and dashes, e.g. "skp-saya". The path written."""
    assert _NAME.fullmatch(nama), f"screenshot name {nama!r}: lowercase letters, digits, dashes"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{nama}.png"
    await page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
    if os.environ.get(SCREENSHOTS_TO_DOCS) == "1" and nama in docs_pictures():
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # 64 colours, no dithering: a third of the size, and a screenshot of the portal's flat
        # colours loses nothing one can see.
        with Image.open(path) as shot:
            flat = shot.convert("RGB").quantize(
                64, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            flat.save(DOCS_SCREENSHOTS / path.name, optimize=True)
    return path


def docs_pictures() -> set[str]:
    """The screenshots docs/portal.md shows (``](portal/NAME.png)``): only those go to docs/."""
    text = (DOCS_SCREENSHOTS.parent / "portal.md").read_text()
    return set(re.findall(r"\]\(portal/([a-z0-9-]+)\.png\)", text))


async def periksa_aksesibilitas(
    page, *, kecuali: Sequence[str] = (), dalam: str | None = None
) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now and fail listing
    every serious or critical violation: rule, help, and the selectors of the elements.
    ``kecuali``: rule ids not to run (say why where you pass them); ``dalam``: a selector to
    check only that part. Returns all violations (any impact). Skips when axe-core is not
    installed (scripts/_node.sh)."""
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE}): run scripts/_node.sh")
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, not as a <script> element: the portal's
        # Content-Security-Policy (script-src 'self') rightly refuses an inline script, and
        # the check must not need the policy loosened (bypass_csp would hide its violations).
        await page.evaluate(AXE.read_text() + "\n;undefined")
    options = {
        "runOnly": {"type": "tag", "values": WCAG},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in kecuali},
    }
    violations = await page.evaluate(
        """async ([context, options]) => {
            const result = await window.axe.run(context ?? document, options);
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        [dalam, options],
    )
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert not serious, f"accessibility ({urlsplit(page.url).path}):\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} [{', '.join(v['targets'][:8])}]" for v in serious
    )
    return violations
