"""The browser tests' own tools do what the page tests rely on: the people of ``orang`` stand
where they are said to, a page's console errors and failed requests are caught, the
accessibility check fails on a serious violation and names it, and screenshots land where
they are said to."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser import support

CHAIN = """query Rantai { saya { nip namaLengkap atasan { pejabatPenilai { pegawai { nip } }
  atasanPejabatPenilai { pegawai { nip } } } } }"""


async def test_the_people_play_their_roles(layanan, orang):
    data = await layanan.graphql(CHAIN, sebagai=orang.pegawai)
    saya = data["saya"]
    assert saya["nip"] == orang.pegawai.nip and saya["namaLengkap"] == orang.pegawai.nama_lengkap
    assert saya["atasan"]["pejabatPenilai"]["pegawai"]["nip"] == orang.penilai.nip
    assert saya["atasan"]["atasanPejabatPenilai"]["pegawai"]["nip"] == orang.atasan_penilai.nip
    assert orang.pegawai in orang.tim and orang.pengaju_keberatan in orang.tim
    assert len({o.nip for o in (orang.pegawai, orang.penilai, orang.kepala, orang.admin)}) == 4


async def test_problems_on_a_page_are_caught(tamu):
    sesi = await tamu()
    sesi.tanpa_masalah()
    page = sesi.page
    async with page.expect_event("pageerror"):
        await page.evaluate("setTimeout(() => { throw new Error('kaboom'); }, 0)")
    await page.evaluate("console.error('boom')")
    assert (await page.evaluate("fetch('/portal/tidak-ada.js').then((r) => r.status)")) == 404
    with pytest.raises(AssertionError) as caught:
        sesi.tanpa_masalah()
    said = str(caught.value)
    assert "kaboom" in said and "console: boom" in said and "404 GET" in said, said
    assert "/portal/tidak-ada.js" in said


async def test_the_accessibility_check_names_serious_violations(tamu):
    sesi = await tamu()
    page = sesi.page
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await page.evaluate(
        """() => { const b = document.createElement("button"); b.id = "tanpa-nama";
                   document.querySelector("main").append(b); }"""
    )
    with pytest.raises(AssertionError) as caught:
        await support.periksa_aksesibilitas(page)
    said = str(caught.value)
    assert "button-name (critical)" in said and "#tanpa-nama" in said, said
    # A rule may be left out, saying why where it is: then the page passes.
    await support.periksa_aksesibilitas(page, kecuali=["button-name"])


async def test_screenshots_go_to_the_artifacts_and_on_demand_to_the_docs(
    tamu, tmp_path, monkeypatch
):
    monkeypatch.setattr(support, "SCREENSHOTS", tmp_path / "build")
    monkeypatch.setattr(support, "DOCS_SCREENSHOTS", tmp_path / "docs")
    monkeypatch.setattr(support, "docs_pictures", lambda: {"uji"})  # what the docs show
    sesi = await tamu()
    monkeypatch.delenv(support.SCREENSHOTS_TO_DOCS, raising=False)
    written = await support.tangkap(sesi.page, "uji")
    assert written == tmp_path / "build" / "uji.png"
    assert written.read_bytes().startswith(b"\x89PNG") and not (tmp_path / "docs").exists()
    monkeypatch.setenv(support.SCREENSHOTS_TO_DOCS, "1")
    await support.tangkap(sesi.page, "uji")
    await support.tangkap(sesi.page, "tidak-ditampilkan")
    assert (tmp_path / "docs" / "uji.png").read_bytes().startswith(b"\x89PNG")
    assert not (tmp_path / "docs" / "tidak-ditampilkan.png").exists()  # not in the docs
    with pytest.raises(AssertionError):
        await support.tangkap(sesi.page, "Bukan Nama")


def test_the_docs_show_the_pictures_they_name():
    """Every screenshot docs/portal.md shows is in docs/portal/, and nothing else is there."""
    shown = support.docs_pictures()
    assert len(shown) >= 10
    assert {p.stem for p in support.DOCS_SCREENSHOTS.glob("*.png")} == shown
