"""The reference portal (issue 19, portal/) driven by a real headless chromium.

Run them with the rest of the suite, or on their own:

    ./scripts/test tests/browser -q

They need Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing;
EKINERJA_CHROMIUM may name another binary) and skip, saying why, without it. Playwright (the
test extra) drives it; its own browser downloads are never used. The accessibility checks
need axe-core from scripts/node (`./scripts/_node.sh` installs it into .cache/node) and skip
without it.

The session starts `python -m ekinerja serve` in development mode against the test database
with a small demo agency in a tenant of its own (tests/browser/conftest.py, support.py: the
fixtures ``layanan``, ``orang``, ``peramban``, ``masuk``, ``tamu``; the helpers ``tangkap``
and ``periksa_aksesibilitas``).

Screenshots: ``tangkap(page, "nama")`` writes build/portal-screenshots/nama.png (CI's
artifacts; a failed test also leaves its pages there under gagal/). To refresh the pictures
the docs show, run

    EKINERJA_PORTAL_SCREENSHOTS_TO_DOCS=1 ./scripts/test tests/browser -q

which writes each one to docs/portal/ as well; review and commit them.
"""
