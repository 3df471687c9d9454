"""Trusted documents: a restricted API client runs only what was registered for it, by
`documentId` or by the identical text; anything else is refused before execution. Registration
validates against the schema; the CLI end to end (decision 0015)."""

from __future__ import annotations

import pytest

from ekinerja.auth.principal import Role
from ekinerja.integrasi import dokumen_terpercaya
from ekinerja.models.shared import ApiClient, ApiClientGrant, DokumenTerpercaya
from ekinerja.refusals import Refusal
from tests.support.auth import bearer, client_token, principal_header
from tests.test_migrations import run_cli

DOC = "query Instansi { instansi { kode nama } }\n"
OTHER = "{ instansi { kode } }"


async def new_client(tenant, name: str, *, restricted: bool = False) -> str:
    client = await ApiClient.create(
        client_id=f"{name}-{tenant.kode.lower()}",
        nama=f"Sistem {name}",
        scopes=["pegawai:read"],
        hanya_dokumen_terdaftar=restricted,
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    return client.client_id


async def post(portal, client_id: str, body: dict):
    headers = bearer(client_token(portal.idp, client_id, "pegawai:read"))
    return await portal.api.post(
        "/graphql", json=body, headers=headers | {"X-Instansi": portal.tenant.kode}
    )


def refusal(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == code, body
    return body["errors"][0]["message"]


async def test_a_restricted_client_runs_its_documents_by_id_or_text_and_nothing_else(
    portal, tenant, settings
):
    client = await new_client(tenant, "simpeg", restricted=True)
    document, created = await dokumen_terpercaya.register(settings, client, DOC, "kode instansi")
    assert created and document.hash == dokumen_terpercaya.document_hash(DOC)

    by_id = await post(portal, client, {"documentId": f"sha256:{document.hash}"})
    assert by_id.status_code == 200, by_id.text
    assert by_id.json()["data"]["instansi"] == {"kode": tenant.kode, "nama": tenant.nama}
    by_text = await post(portal, client, {"query": DOC, "operationName": "Instansi"})
    assert by_text.json() == by_id.json()
    upper = await post(portal, client, {"documentId": f"sha256:{document.hash.upper()}"})
    assert upper.status_code == 200

    # One space more is another document; an id never registered is unknown.
    changed = await post(portal, client, {"query": DOC.replace("kode", "kode ")})
    message = refusal(changed, 403, "UNTRUSTED_DOCUMENT")
    assert f"API client {client} may run only its registered documents" in message
    assert "ekinerja clients documents add" in message
    unknown = await post(portal, client, {"documentId": "sha256:" + "0" * 64})
    assert "no document sha256:" in refusal(unknown, 403, "UNTRUSTED_DOCUMENT")

    # Removing the document, or lifting the restriction, shows at the next request.
    await dokumen_terpercaya.remove(client, f"sha256:{document.hash}")
    refusal(await post(portal, client, {"query": DOC}), 403, "UNTRUSTED_DOCUMENT")
    await dokumen_terpercaya.restrict(client, False)
    assert (await post(portal, client, {"query": DOC})).status_code == 200


async def test_an_unrestricted_client_runs_anything_and_may_use_its_document_ids(
    portal, tenant, settings
):
    client = await new_client(tenant, "tpp")
    assert (await post(portal, client, {"query": OTHER})).json()["data"]["instansi"]["kode"]
    document, _ = await dokumen_terpercaya.register(settings, client, DOC)
    by_id = await post(portal, client, {"documentId": f"sha256:{document.hash}"})
    assert by_id.json()["data"]["instansi"]["nama"] == tenant.nama
    unknown = await post(portal, client, {"documentId": "sha256:" + "1" * 64})
    refusal(unknown, 403, "UNTRUSTED_DOCUMENT")


async def test_another_clients_document_is_unknown(portal, tenant, settings):
    owner = await new_client(tenant, "owner", restricted=True)
    stranger = await new_client(tenant, "stranger", restricted=True)
    document, _ = await dokumen_terpercaya.register(settings, owner, DOC)
    assert (await post(portal, owner, {"documentId": f"sha256:{document.hash}"})).is_success
    by_id = await post(portal, stranger, {"documentId": f"sha256:{document.hash}"})
    assert f"registered for API client {stranger}" in refusal(by_id, 403, "UNTRUSTED_DOCUMENT")
    refusal(await post(portal, stranger, {"query": DOC}), 403, "UNTRUSTED_DOCUMENT")


async def test_bad_document_ids_and_persons(portal, tenant, team, settings):
    client = await new_client(tenant, "bad")
    for value in ("md5:abc", "sha256:xyz", 42, "0" * 64):
        message = refusal(
            await post(portal, client, {"documentId": value}), 400, "INVALID_DOCUMENT_ID"
        )
        assert "`sha256:` followed by the 64 hex digits" in message
    both = await post(portal, client, {"query": OTHER, "documentId": "sha256:" + "0" * 64})
    assert "either `query` or `documentId`" in refusal(both, 400, "INVALID_DOCUMENT_ID")

    person = principal_header(portal.idp, tenant.kode, team.staf.nip)
    asked = await portal.api.post(
        "/graphql", json={"documentId": "sha256:" + "0" * 64}, headers=person
    )
    assert "send the operation itself as `query`" in refusal(
        asked, 400, "DOCUMENT_ID_NOT_SUPPORTED"
    )
    as_usual = await portal.api.post("/graphql", json={"query": OTHER}, headers=person)
    assert as_usual.json()["data"]["instansi"]["kode"] == tenant.kode
    admin = principal_header(portal.idp, tenant.kode, team.kasi.nip, Role.ADMIN_INSTANSI)
    assert (await portal.api.post("/graphql", json={"query": DOC}, headers=admin)).is_success


async def test_registration_validates_against_the_schema(tenant, settings):
    client = await new_client(tenant, "reg")

    async def refused(text: str) -> str:
        with pytest.raises(Refusal) as caught:
            await dokumen_terpercaya.register(settings, client, text)
        assert caught.value.code == "INVALID_DOCUMENT"
        return caught.value.message

    assert "not a GraphQL document" in await refused("query { instansi { kode }")
    invalid = await refused("{ instansi { kode rahasia } }")
    assert "does not validate against the schema" in invalid and "rahasia" in invalid
    assert "exactly one operation; this one holds 2" in await refused(DOC + OTHER)
    assert "holds 0" in await refused("fragment F on Instansi { kode }")
    with pytest.raises(Refusal) as unknown:
        await dokumen_terpercaya.register(settings, "nobody", DOC)
    assert unknown.value.code == "NOT_FOUND"
    first, created = await dokumen_terpercaya.register(settings, client, DOC)
    again, created_again = await dokumen_terpercaya.register(settings, client, DOC, "label")
    assert created and not created_again and again.id == first.id and again.nama == "label"
    _, documents = await dokumen_terpercaya.documents_of(client)
    assert DOC in [d.dokumen for d in documents]


async def test_the_cli_registers_lists_restricts_and_removes(database, tenant, tmp_path):
    client = await new_client(tenant, "cli")
    good, bad = tmp_path / "instansi.graphql", tmp_path / "salah.graphql"
    good.write_text(DOC)
    bad.write_text("{ instansi { kodeX } }")

    added = run_cli(database, "clients", "documents", "add", client, str(good), "--nama", "Kode")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "sha256:" + dokumen_terpercaya.document_hash(DOC)
    refused = run_cli(database, "clients", "documents", "add", client, str(bad))
    assert refused.returncode == 2 and "INVALID_DOCUMENT" in refused.stderr
    assert "kodeX" in refused.stderr

    restricted = run_cli(database, "clients", "restrict", client, "--on")
    assert restricted.returncode == 0 and "only its 1 registered" in restricted.stderr
    assert (await ApiClient.get(client_id=client)).hanya_dokumen_terdaftar
    listed = run_cli(database, "clients", "documents", "list", client)
    assert "Kode" in listed.stdout and "only these documents" in listed.stdout

    removed = run_cli(database, "clients", "documents", "remove", client, added.stdout.strip())
    assert removed.returncode == 0, removed.stderr
    assert not await DokumenTerpercaya.filter(api_client__client_id=client).exists()
    missing = run_cli(database, "clients", "documents", "remove", client, "0" * 64)
    assert missing.returncode == 2 and "NOT_FOUND" in missing.stderr
