"""The portal by keyboard alone (issue 19: accessible): the skip link comes before the header
and Enter on it moves the focus to the page's content; the menu is reached and followed with
Tab and Enter, and the new page's content takes the focus; a dialog opened with the keyboard
takes the focus, keeps it inside, closes with Escape and gives the focus back to the button
that opened it."""

from __future__ import annotations

from playwright.async_api import expect


async def _focused(page) -> str:
    """What has the focus: its role-ish tag and its accessible text."""
    return await page.evaluate(
        """() => { const e = document.activeElement;
        const text = (e.getAttribute('aria-label') || e.textContent || '').trim();
        return `${e.tagName.toLowerCase()}|${e.id}|${text}`; }"""
    )


async def test_the_skip_link_and_the_menu_by_keyboard(masuk, orang):
    sesi = await masuk(orang.penilai)
    page = sesi.page
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang")
    # The skip link comes first: just before the header's first link.
    await page.locator("#kepala a").first.focus()
    await page.keyboard.press("Shift+Tab")
    assert (await _focused(page)).startswith("a||Langsung ke isi")
    await expect(page.get_by_role("link", name="Langsung ke isi")).to_be_in_viewport()
    await page.keyboard.press("Enter")
    assert (await _focused(page)).startswith("main|isi|")

    # Tab on from the header until the menu's "Tim Saya", then Enter follows it.
    await page.locator("#kepala a").first.focus()
    for _ in range(30):
        await page.keyboard.press("Tab")
        if (await _focused(page)).startswith("a||Tim Saya"):
            break
    else:
        raise AssertionError(f"Tab never reached the menu's Tim Saya: {await _focused(page)}")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1, name="Tim Saya")).to_be_visible()
    await expect(page.locator("#isi")).to_be_focused()
    sesi.tanpa_masalah()


async def test_a_dialog_by_keyboard(masuk, orang):
    sesi = await masuk(orang.penilai, kembali="/portal/#/skp")
    page = sesi.page
    opener = page.get_by_role("button", name="Lihat pohon cascade RHK 1")
    summary = page.locator("summary").filter(has_text="Diintervensi oleh").first
    await expect(summary).to_be_visible()
    if await page.locator("details").filter(has=summary).first.get_attribute("open") is None:
        await summary.focus()
        await page.keyboard.press("Enter")  # a closed list opens by keyboard too
    await opener.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Pohon cascade RHK 1")
    await expect(dialog).to_be_visible()
    # However far one tabs, no element outside the modal dialog gets the focus (past its last
    # control Chromium hands the focus to the browser itself: the page's body, then back).
    for _ in range(12):
        await page.keyboard.press("Tab")
        inside = await page.evaluate(
            "() => document.activeElement === document.body"
            " || !!document.activeElement.closest('dialog')"
        )
        assert inside, f"the focus left the dialog: {await _focused(page)}"
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)
    await expect(opener).to_be_focused()
    sesi.tanpa_masalah()
