"""`ekinerja dev token`: accepted by a development service, refused by a production one."""

from __future__ import annotations

import os
import subprocess

import httpx
import orjson
from joserfc.jwk import RSAKey

from ekinerja.auth.dev_tokens import dev_signing_key
from ekinerja.auth.service_tokens import signing_key
from ekinerja.db.config import DatabaseAddress
from ekinerja.http.app import create_app
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support import cli
from tests.support.org import Org
from tests.support.server import settings_for


def dev_token(settings, *args: str, mode: str = "development") -> subprocess.CompletedProcess:
    return dev_command(settings, "token", *args, mode=mode)


def dev_command(
    settings, command: str, *args: str, mode: str = "development"
) -> subprocess.CompletedProcess:
    """`ekinerja dev COMMAND …` against ``settings``' database and data directory."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "EKINERJA_DATA_DIR": str(settings.data_dir),
        "EKINERJA_MODE": mode,
    }
    return cli.run("dev", command, *args, env=env, timeout=120)  # a process of its own


async def test_dev_token_works_only_in_development(database, tenant):
    async with tenant_transaction(as_bound(tenant)):
        member = await Org().pegawai("Demo")
    settings = settings_for(database)
    minted = dev_token(
        settings, "--nip", member.nip, "--instansi", tenant.kode, "--role", "admin-instansi"
    )
    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.strip()
    query = {"query": "{ saya { nama } }"}
    headers = {"Authorization": f"Bearer {token}"}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://t"
    ) as dev:
        assert (await dev.post("/graphql", json=query, headers=headers)).json() == {
            "data": {"saya": {"nama": "Demo"}}
        }
    production = settings_for(database, mode="production")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(production)), base_url="http://t"
    ) as prod:
        refused = await prod.post("/graphql", json=query, headers=headers)
        assert refused.status_code == 401
        assert "is not trusted" in refused.json()["errors"][0]["message"]

    refused_cli = dev_token(settings, "--nip", member.nip, mode="production")
    assert refused_cli.returncode == 2 and "refused in production" in refused_cli.stderr


def test_a_key_file_is_imported_once_per_content_and_a_new_key_is_read(tmp_path):
    settings = settings_for(DatabaseAddress("127.0.0.1", 1, "u", None, "d"), data_dir=tmp_path)
    for read, name in ((dev_signing_key, "dev-signing-key.json"),
                       (signing_key, "service-signing-key.json")):  # fmt: skip
        created = read(settings)
        assert read(settings) is read(settings)  # the file's key, imported once
        assert read(settings).thumbprint() == created.thumbprint()
        other = RSAKey.generate_key(2048, parameters={"kid": "other", "use": "sig"})
        (tmp_path / name).write_bytes(orjson.dumps(other.as_dict(private=True)))
        assert read(settings).thumbprint() == other.thumbprint() != created.thumbprint()
