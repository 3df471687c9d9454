"""The reference portal on a low-end phone (issue 19): a cold load of a page, in Debian's
Chromium driven by Playwright, with the CPU slowed down and the network shaped as a slow
mobile connection (Chrome DevTools Protocol: Emulation.setCPUThrottlingRate and
Network.emulateNetworkConditions), against a running service with the demo agency:

    ./scripts/serve &                       # the embedded default, DEMO seeded
    .venv/bin/python -m bench.portal_phone --url http://127.0.0.1:8000 [--rounds 5]

For each page: the bytes transferred (compressed as sent), and the time from navigation until
the page's heading and content are shown, median of the rounds (each with an empty cache).
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import time
import urllib.request

from playwright.async_api import async_playwright

# A low-end Android phone on a weak 4G link (Lighthouse's "slow 4G" figures).
CPU_SLOWDOWN = 4
NETWORK = {
    "offline": False,
    "latency": 150,  # ms round trip
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,  # bytes/s
    "uploadThroughput": 750 * 1024 / 8,
}
PAGES = [
    ("/portal/", "Beranda", "pegawai"),
    ("/portal/#/skp", "SKP Saya", "pegawai"),
    ("/portal/#/pelaksanaan", "Progres & Realisasi", "pegawai"),
    ("/portal/#/tim", "Tim Saya", "penilai"),
    ("/portal/#/dasbor", "Dasbor Pimpinan", "kepala"),
]


def _people(url: str) -> dict[str, str]:
    with urllib.request.urlopen(f"{url}/auth/dev-login/pengguna", timeout=30) as answer:
        found = json.load(answer)["peran"]
    return {role: found[role][0]["nip"] for role in ("pegawai", "penilai", "kepala")}


async def _one(browser, url: str, nip: str, path: str) -> tuple[float, int]:
    context = await browser.new_context(viewport={"width": 390, "height": 800})
    login = await context.request.get(f"{url}/auth/dev-login?nip={nip}&kembali=/portal/")
    assert login.ok, login.status
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    await cdp.send("Network.emulateNetworkConditions", NETWORK)
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    received = 0

    def count(event: dict) -> None:
        nonlocal received
        received += int(event.get("encodedDataLength", 0))

    cdp.on("Network.loadingFinished", count)
    started = time.perf_counter()
    await page.goto(f"{url}{path}")
    await page.locator("#isi h1").wait_for(timeout=120_000)
    await page.locator("#isi > .memuat").wait_for(state="detached", timeout=120_000)
    shown = time.perf_counter() - started
    await context.close()
    return shown, received


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    people = _people(args.url)
    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox"]
        )
        for path, title, role in PAGES:
            times, sizes = [], []
            for _ in range(args.rounds):
                shown, received = await _one(browser, args.url, people[role], path)
                times.append(shown)
                sizes.append(received)
            rows.append((title, statistics.median(times), statistics.median(sizes)))
        await browser.close()
    print(f"CPU {CPU_SLOWDOWN}× slower, {NETWORK['latency']} ms RTT, 1.6 Mbit/s down; "
          f"median of {args.rounds} cold loads (empty cache, logged in)\n")  # fmt: skip
    print("| page | transferred | shown after |")
    print("|---|---|---|")
    for title, shown, size in rows:
        print(f"| {title} | {size / 1024:.1f} KiB | {shown:.2f} s |")


if __name__ == "__main__":
    asyncio.run(main())
