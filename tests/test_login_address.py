"""The address a browser session records is the client's, as everything else counts it
(client_address.py): behind a trusted reverse proxy the one its X-Forwarded-For names, from any
other peer the peer itself, whatever header it sends. Before, the login recorded the peer
always, so behind a proxy every session showed the proxy's address."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.http.browser_sessions import COOKIE
from ekinerja.models.shared import SesiBrowser
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org
from tests.support.server import settings_for

ORIGIN = "http://t"
PROXY, CLIENT, STRANGER = "10.9.0.5", "203.0.113.7", "192.0.2.50"


@pytest.fixture
async def member(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await Org().pegawai("Pengguna Di Balik Proxy")


async def recorded_address(app, tenant, nip: str, peer: str, forwarded_for: str) -> str | None:
    """Log in through /auth/dev-login from ``peer`` claiming ``forwarded_for``; the address the
    new session's row keeps."""
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as browser:
        done = await browser.get(
            f"/auth/dev-login?instansi={tenant.kode}&nip={nip}",
            headers={"X-Forwarded-For": forwarded_for},
        )
        assert done.status_code == 303, done.text
        session_id = browser.cookies[COOKIE]
    rows = await SesiBrowser.filter(nip=nip, revoked_at__isnull=True).values_list(
        "ip_address", "hash"
    )
    wanted = hashlib.sha256(session_id.encode()).hexdigest()
    [address] = [address for address, hashed in rows if hashed == wanted]
    return address


async def test_the_session_records_the_client_behind_a_trusted_proxy(database, tenant, member):
    settings = settings_for(database, public_url=ORIGIN, trusted_proxies="10.9.0.0/16")
    app = create_app(settings)

    behind_proxy = await recorded_address(app, tenant, member.nip, PROXY, CLIENT)
    assert behind_proxy == CLIENT
    # The client's own header passes the proxy on the left of what the proxy appended.
    spoofed = await recorded_address(app, tenant, member.nip, PROXY, f"198.51.100.1, {CLIENT}")
    assert spoofed == CLIENT
    # A peer that is no trusted proxy: its X-Forwarded-For is anyone's to write, ignored.
    direct = await recorded_address(app, tenant, member.nip, STRANGER, CLIENT)
    assert direct == STRANGER


async def test_without_trusted_proxies_the_peer_is_recorded(database, tenant, member):
    app = create_app(settings_for(database, public_url=ORIGIN))

    assert await recorded_address(app, tenant, member.nip, PROXY, CLIENT) == PROXY
