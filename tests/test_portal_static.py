"""The reference portal (issue 19, docs/portal.md) as files and as the service serves them, with
no browser: /portal/ and its headers, config.json, the development login's return and its demo
people, `aksesSaya`, and the rules the portal's code keeps: it sends only the generated
operations (no GraphQL written by hand), it builds the page without innerHTML, every import
resolves, and what a phone downloads stays within the bundle budget. tests/browser/ drives it
in Chromium."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of, error_of
from tests.support.org import Org
from tests.support.server import settings_for

ROOT = Path(__file__).resolve().parents[1]
PORTAL = ROOT / "portal"
ORIGIN = "http://t"
# What a low-end phone downloads before the first page shows (index.html, the stylesheet, the
# shell and what it imports, the operations), gzipped; and the most any one page adds.
FIRST_LOAD_BUDGET = 40 * 1024
PAGE_BUDGET = 15 * 1024

_IMPORT = re.compile(r"""(?:^|\n)\s*import\s+(?:[^'"]*?\sfrom\s+)?["'](\.[^"']+)["']""")
_DYNAMIC_IMPORT = re.compile(r"""import\(\s*["'](\.[^"']+)["']\s*\)""")
_CALL = re.compile(r"""\b(query|mutate|subscribe)\(\s*["']([A-Za-z]+)["']""")
_GRAPHQL_TEXT = re.compile(
    r"""\b(query|mutation|subscription|fragment)\s+[A-Z]\w*\s*[({]|\{\s*__typename"""
)


def _scripts() -> list[Path]:
    return sorted(p for p in PORTAL.rglob("*.js") if "generated" not in p.parts)


_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)


def _imports(path: Path, dynamic: bool = False) -> list[Path]:
    text = _COMMENT.sub("", path.read_text())  # JSDoc's import("…") types are not modules
    found = _IMPORT.findall(text) + (_DYNAMIC_IMPORT.findall(text) if dynamic else [])
    return [(path.parent / target).resolve() for target in found]


def _closure(start: Path) -> set[Path]:
    """A module and every module it imports statically (what loading it downloads)."""
    seen: set[Path] = set()
    pending = [start.resolve()]
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        pending.extend(_imports(module))
    return seen


def _gzipped(paths) -> int:
    return sum(len(gzip.compress(Path(p).read_bytes(), 9)) for p in paths)


def _operations() -> set[str]:
    text = (PORTAL / "generated" / "operasi.js").read_text()
    return set(re.findall(r"^  ([A-Za-z]+): \"", text, re.M))


def test_the_generated_operations_are_current():
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "portal" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_portal_sends_only_generated_operations():
    operations = _operations()
    called = set()
    for script in _scripts():
        text = script.read_text()
        assert not _GRAPHQL_TEXT.search(text), f"{script.name}: GraphQL written by hand"
        for _, name in _CALL.findall(text):
            assert name in operations, f"{script.name}: {name} is not in generated/operasi.js"
            called.add(name)
    assert {"SesiPortalQuery", "BerandaQuery"} <= called


def test_the_portal_never_writes_markup_from_strings():
    for script in _scripts():
        text = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{script.relative_to(ROOT)} uses {sink}"


def test_every_import_resolves():
    for script in _scripts():
        for target in _imports(script, dynamic=True):
            assert target.is_file(), f"{script.relative_to(ROOT)} imports a missing {target}"


def test_the_index_has_no_inline_script_or_style():
    index = (PORTAL / "index.html").read_text()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", index) is None
    assert "<style" not in index and " style=" not in index
    assert '<html lang="id">' in index


def test_what_a_phone_downloads_stays_within_the_budget():
    first = _closure(PORTAL / "app.js") | {PORTAL / "index.html", PORTAL / "styles.css"}
    first_load = _gzipped(first)
    assert first_load <= FIRST_LOAD_BUDGET, f"first load {first_load} B gzipped"
    for page in sorted((PORTAL / "pages").glob("*.js")):
        extra = _gzipped(_closure(page) - first)
        assert extra <= PAGE_BUDGET, f"{page.name} adds {extra} B gzipped"


@pytest.fixture
def settings(database, tenant):
    return settings_for(database, demo_tenant=tenant.kode, public_url=ORIGIN)


def _browser(settings) -> httpx.AsyncClient:
    app = create_app(settings)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=ORIGIN, headers={"Origin": ORIGIN}
    )


async def test_the_service_serves_the_portal_with_a_strict_policy(settings):
    async with _browser(settings) as browser:
        bare = await browser.get("/portal")
        index = await browser.get("/portal/")
        script = await browser.get("/portal/app.js")
        config = await browser.get("/portal/config.json")
        missing = await browser.get("/portal/tidak-ada.js")
    assert bare.status_code == 308 and bare.headers["location"] == "/portal/"
    assert index.status_code == 200 and '<main id="isi"' in index.text
    policy = index.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cache-control"] == "no-cache" and "etag" in script.headers
    assert script.headers["content-encoding"] == "gzip"  # httpx asks for it, as browsers do
    assert config.json() == {
        "api": "",
        "masuk": {"oidc": False, "pengembangan": True},
        "instansi": settings.demo_tenant,
    }
    assert missing.status_code == 404


async def test_production_offers_no_development_login(database, tenant, tmp_path):
    production = settings_for(database, mode="production", demo_tenant=tenant.kode)
    async with _browser(production) as browser:
        config = (await browser.get("/portal/config.json")).json()
        people = await browser.get("/auth/dev-login/pengguna")
    assert config["masuk"]["pengembangan"] is False and config["instansi"] is None
    assert people.status_code == 404


async def test_without_the_files_the_portal_is_not_found(database, tmp_path):
    settings = settings_for(database, portal_dir=tmp_path)
    async with _browser(settings) as browser:
        response = await browser.get("/portal/")
    assert response.status_code == 404 and code_of(response) == "NOT_FOUND"
    assert "EKINERJA_PORTAL_DIR" in error_of(response)["message"]


@pytest.fixture
async def member(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await Org().pegawai("Pengguna Portal Web")


async def test_the_development_login_returns_to_the_portal(settings, member):
    async with _browser(settings) as browser:
        signed_in = await browser.get(f"/auth/dev-login?nip={member.nip}&kembali=/portal/%23/skp")
        shell = await browser.post(
            "/graphql", json={"query": "{ saya { nama } aksesSaya { operasi jangkauan } }"}
        )
        refused = await browser.get(f"/auth/dev-login?nip={member.nip}&kembali=//evil.example/")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/portal/#/skp"
    assert shell.json()["data"]["saya"] == {"nama": "Pengguna Portal Web"}
    assert refused.status_code == 400 and code_of(refused) == "INVALID_INPUT"
    granted = {a["operasi"]: a["jangkauan"] for a in shell.json()["data"]["aksesSaya"]}
    assert granted["skp:plan"] == "SENDIRI" and granted["skp:review"] == "BAWAHAN"
    assert "instansi:configure" not in granted and "kepegawaian:import" not in granted


async def test_an_admin_is_granted_the_admin_pages(settings, member):
    async with _browser(settings) as browser:
        await browser.get(f"/auth/dev-login?nip={member.nip}&admin=1&kembali=/portal/")
        shell = await browser.post(
            "/graphql", json={"query": "{ aksesSaya { operasi jangkauan } }"}
        )
    granted = {a["operasi"]: a["jangkauan"] for a in shell.json()["data"]["aksesSaya"]}
    assert granted["instansi:configure"] == "INSTANSI"
    assert granted["kepegawaian:import"] == "INSTANSI"


async def test_the_demo_people_by_role(settings, member):
    async with _browser(settings) as browser:
        found = (await browser.get("/auth/dev-login/pengguna")).json()
        elsewhere = await browser.get("/auth/dev-login/pengguna?instansi=TIDAKADA")
    assert found["instansi"] == settings.demo_tenant
    assert set(found["peran"]) == {
        "pegawai",
        "penilai",
        "atasan-penilai",
        "kepala",
        "admin-instansi",
    }
    admins = found["peran"]["admin-instansi"]
    assert {"nip": member.nip, "nama": "Pengguna Portal Web"}.items() <= admins[0].items()
    assert elsewhere.status_code == 404
