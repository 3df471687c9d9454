"""The portal in a real browser, first look: an anonymous visitor gets the login page (and it
passes the accessibility check), a demo login from it comes back to the portal signed in, and
a pegawai logged in sees their own name in the header."""

from __future__ import annotations

import asyncio

from playwright.async_api import expect

from tests.browser.support import periksa_aksesibilitas, tangkap


async def test_an_anonymous_visitor_gets_the_login_page(tamu):
    sesi = await tamu()
    page = sesi.page
    await expect(page.get_by_role("heading", level=1, name="Masuk ke E-Kinerja")).to_be_visible()
    login = page.locator("a[href*='/auth/dev-login?'], a[href*='/auth/login?']")
    await expect(login.first).to_be_visible()
    await tangkap(page, "masuk")
    sesi.tanpa_masalah()


async def test_the_login_page_is_accessible(tamu):
    sesi = await tamu()
    await expect(sesi.page.get_by_role("heading", level=1)).to_be_visible()
    await periksa_aksesibilitas(sesi.page)


async def test_a_demo_login_from_the_login_page_comes_back_signed_in(tamu, orang):
    sesi = await tamu()
    page = sesi.page
    links = page.locator("a[data-peran='pegawai']")
    await expect(links.first).to_be_visible()
    # The login page lists the walked team first: at least one of its members is there.
    shown = set(await links.evaluate_all("(all) => all.map((a) => a.dataset.nip)"))
    member = next((who for who in orang.tim if who.nip in shown), None)
    assert member is not None, (shown, orang.tim)
    await links.and_(page.locator(f"[data-nip='{member.nip}']")).click()
    await expect(page.locator("#kepala")).to_contain_text(member.nama)
    assert page.url.startswith(f"{sesi.url}/portal/"), page.url
    sesi.tanpa_masalah()


async def test_a_pegawai_logged_in_sees_their_name(masuk, orang):
    sesi = await masuk(orang.pegawai)
    await expect(sesi.page.locator("#kepala")).to_contain_text(orang.pegawai.nama)
    await expect(sesi.page.get_by_role("navigation", name="Menu utama")).to_be_visible()
    await tangkap(sesi.page, "beranda")
    sesi.tanpa_masalah()


async def test_a_later_address_wins_over_an_earlier_render_still_waiting(masuk, orang):
    """The first render waits for the session; the address changes meanwhile and the later
    render draws its page. The earlier one, answered last, blanked the page to "Memuat…" for
    good (seen in CI on a loaded machine): it now stops, the later page stays."""
    sesi = await masuk(orang.pegawai)
    # A page of its own: the first page's requests (its live updates ask for the session
    # again) never reach this one's route.
    page = await sesi.konteks.new_page()
    release, seen = asyncio.Event(), asyncio.Event()
    held: list = []

    async def hold_the_first_session_query(route):
        if not held and b"SesiPortalQuery" in (route.request.post_data_buffer or b""):
            held.append(route.request)
            seen.set()
            await release.wait()
        await route.continue_()

    await page.route("**/graphql", hold_the_first_session_query)
    await page.goto(f"{sesi.url}/portal/")  # a fresh load: its render waits for the session
    await asyncio.wait_for(seen.wait(), 10)
    await page.evaluate("location.hash = '#/skp'")
    await expect(page.get_by_role("heading", level=1, name="SKP Saya")).to_be_visible()
    async with page.expect_response(lambda r: r.request == held[0]) as answered:
        release.set()
    await (await answered.value).finished()
    await page.evaluate("new Promise((done) => requestAnimationFrame(() => done()))")
    await expect(page.locator("#isi > .memuat")).to_have_count(0)
    await expect(page.get_by_role("heading", level=1, name="SKP Saya")).to_be_visible()
    await page.close()
    sesi.tanpa_masalah()
