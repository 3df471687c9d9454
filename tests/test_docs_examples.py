"""Every example in README.md and docs/*.md works when followed literally (issue 16, item 10).

Each fenced or indented block of those files is one example, and each is accounted for:

- a ```graphql block is parsed and validated against the schema the service builds, and every
  mutation in it must select the error members of its result union (`MutationError`, and
  `BarisDitolak` where the union has it): without them a refusal comes back as ``{}``;
- a block in ``RUN`` is executed by the test named there: the shell examples with bash, curl
  and jq against the service on a real socket (PostgreSQL behind it, webhooks to a real
  receiver), the Python and JavaScript ``verify`` with good, tampered, expired and malformed
  signatures, the sample CSV through the import endpoint;
- a block in ``SKIP`` is not run, for the reason given there.

A new block that is none of these fails `test_every_example_is_run_validated_or_skipped`, and so
does a ``RUN``/``SKIP`` entry whose block changed its first line (the key) or disappeared.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from graphql import (
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    is_specified_scalar_type,
    parse,
    validate,
)
from markdown_it import MarkdownIt
from moto.server import ThreadedMotoServer
from tortoise.timezone import now as utc_now

from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.models.tenant import ProgresHarian, Realisasi
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.schema import build_schema
from ekinerja.settings import Settings
from ekinerja.storage import LocalStore, ObjectStore, S3Store
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.tanda_tangan import header as signature_header
from ekinerja.webhooks.worker import Worker
from tests.support.auth import person_token
from tests.support.ids import gid_of
from tests.support.pelaksanaan import build_team
from tests.support.receiver import Receiver

ROOT = Path(__file__).resolve().parents[1]
INTEGRATORS = "docs/integrators.md"
JOURNEY = "docs/journey.md"
IMPORT = "docs/import.md"
JOB_17 = "SW1wb3JLZXBlZ2F3YWlhbjpLQUJCR1I6MTc"  # docs/import.md's job: ImporKepegawaian:KABBGR:17
README = "README.md"

# Run by the named test of this module: (file, first line of the block) -> test.
RUN = {
    (INTEGRATORS, 'EKINERJA=https://ekinerja.example INSTANSI=KABBGR   # yours'):
        "test_the_integrator_flow_runs_as_written",
    (INTEGRATORS, "gql() {  # gql FILE.graphql ['{\"after\": null}']: the operation in FILE, "
                  "with those variables"):
        "test_the_integrator_flow_runs_as_written",
    (INTEGRATORS, "import hashlib, hmac, re, time"): "test_the_documented_verify",
    (INTEGRATORS, 'const crypto = require("node:crypto");'): "test_the_documented_verify",
    (INTEGRATORS, 'TICKET=$(gql minta-unggah.graphql "$(jq -n --arg r "$REALISASI" \\'):
        "test_the_evidence_upload_runs_as_written",
    (INTEGRATORS, 'curl -sS -X POST "$EKINERJA/pelaksanaan/progres-harian/import?uji=true" \\'):
        "test_the_progres_import_runs_as_written",
    (INTEGRATORS, "RENCANA_AKSI_ID,TANGGAL,JAM_MULAI,JAM_SELESAI,KEGIATAN,REALISASI,SATUAN"):
        "test_the_progres_import_runs_as_written",
    (JOURNEY, "gql() {  # gql 'QUERY' ['{\"skp\": \"12\", \"v\": 3}'] (the variables, as JSON)"):
        "test_the_journey_shell_function_runs_as_written",
    (INTEGRATORS, 'import type { CodegenConfig } from "@graphql-codegen/cli";'):
        "test_the_codegen_scalar_maps_name_every_scalar",
    (INTEGRATORS, "{"): "test_the_codegen_scalar_maps_name_every_scalar",
}  # fmt: skip

# Not run, and why.
SKIP = {
    (README, "./scripts/serve"): "starts the long-running service (embedded PostgreSQL, demo "
    "seed); the start-up path is tests/test_embedded.py's and tests/test_startup.py's",
    (README, "./scripts/test"): "runs this very suite",
    (README, "HTTP → request id → authentication and tenant selection (X-Instansi; the "
     "registry,"): "a diagram, not a command",
    (IMPORT, "ekinerja import pegawai FILE --tenant KODE [--actor NAME] [--errors-csv ERRORS.csv]"):
        "a synopsis with placeholders; the commands run in tests/test_cli_importer.py",
    (IMPORT, "TOKEN=…   # an admin instansi's bearer token (development: ekinerja dev token "
     "--nip NIP --role admin-instansi)"): "needs the background worker and a live job; the same "
    "requests are made in tests/test_impor_kepegawaian.py",
    (IMPORT, f'curl -sS "http://127.0.0.1:8000/kepegawaian/impor/{JOB_17}" -H "Authorization: '
     'Bearer $TOKEN" -H "X-Instansi: KABBGR"'): "follows job 17 of a live deployment; the same "
    "request is made in tests/test_impor_kepegawaian.py",
    (IMPORT, f'curl -sS -o kesalahan.csv "http://127.0.0.1:8000/kepegawaian/impor/{JOB_17}/kesalahan.csv"'
     ' \\'): "job 17 of a live deployment; tests/test_impor_kepegawaian.py fetches kesalahan.csv",
    (IMPORT, f'curl -sS -X POST "http://127.0.0.1:8000/kepegawaian/impor/{JOB_17}/terapkan" \\'):
        "job 17 of a live deployment; tests/test_impor_kepegawaian.py applies dry runs",
    (IMPORT, "POST /pelaksanaan/progres-harian/import[?uji=true]      (Content-Type: text/csv "
     "or XLSX)"): "a synopsis; its runnable form (integrators.md §8) is run here",
    (IMPORT, "from ekinerja.kepegawaian.importer import import_pegawai, read_rows"):
        "a fragment with top-level await on a named tenant; import_pegawai and read_rows are "
        "tests/test_import_service.py's and tests/test_import_reader.py's",
    (JOURNEY, "./scripts/serve                                   # embedded PostgreSQL, demo "
     "instansi DEMO, GraphiQL"): "starts the long-running development service; `dev users` and "
    "`dev token` run in tests/test_dev_users.py and tests/test_dev_tokens.py",
    (JOURNEY, "sha256sum ba-verifikasi.pdf; stat -c %s ba-verifikasi.pdf       # what to declare "
     "above"): "an outline with … placeholders; the runnable upload (integrators.md §7) is run "
    "here",
    ("docs/portal.md", '{ "api": "https://kinerja-api.example.go.id", "masuk": { "oidc": true, '
     '"pengembangan": false }, "instansi": null }'): "a config.json for a portal on another "
    "origin; the keys are portal/config.json's, whose served values tests/test_portal_static.py "
    "checks",
    ("docs/portal.md", "portal/"): "a directory tree, not a command",
    ("docs/deployment.md", "[pgbouncer]"): "an excerpt of pgbouncer.ini: tests/support/"
    "pgbouncer.py runs PgBouncer with these settings, and tests/test_pgbouncer.py checks the "
    "ignore list against what the service sends",
}  # fmt: skip

# Files whose unlabelled blocks (indented, or fenced without a language) are notation, not
# examples; a labelled block (```sh, ```python, …) there still needs RUN or SKIP, and
# ```graphql is still validated.
NOTATION_FILES = {
    "docs/domain.md": "the domain model: NIP layout, state machines, formulas and enumerations",
}

TRANSPORT_HEADERS = {"host", "content-length", "accept", "accept-encoding", "connection"}
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


@dataclass(frozen=True)
class Example:
    path: str
    line: int
    lang: str
    text: str

    @property
    def key(self) -> tuple[str, str]:
        return self.path, next((x.strip() for x in self.text.splitlines() if x.strip()), "")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def examples() -> list[Example]:
    markdown = MarkdownIt("commonmark")
    found = []
    for path in [ROOT / README, *sorted((ROOT / "docs").glob("*.md"))]:
        for token in markdown.parse(path.read_text()):
            if token.type in ("fence", "code_block"):
                lang = token.info.split()[0].lower() if token.info.strip() else ""
                name = path.relative_to(ROOT).as_posix()
                found.append(Example(name, token.map[0] + 1, lang, token.content))
    return found


def example(path: str, first_line: str) -> Example:
    matches = [e for e in examples() if e.key == (path, first_line)]
    assert len(matches) == 1, f"{path}: {len(matches)} blocks start with {first_line!r}"
    return matches[0]


def graphql_example(path: str, operation: str) -> Example:
    """The ```graphql block of ``path`` that defines the operation named ``operation``."""
    matches = [
        e
        for e in examples()
        if e.path == path and e.lang == "graphql" and re.search(rf"\b{operation}\b", e.text)
    ]
    assert len(matches) == 1, f"{path}: {len(matches)} graphql blocks name {operation}"
    return matches[0]


def literally(text: str, replacements: dict[str, str]) -> str:
    """``text`` with what a reader substitutes (their address, their code) replaced; each
    replaced string must be in the doc, so the test notices when the doc changes."""
    for old, new in replacements.items():
        assert old in text, f"the example no longer contains {old!r}"
        text = text.replace(old, new)
    return text


# -- every block accounted for ------------------------------------------------------------


def test_every_example_is_run_validated_or_skipped():
    found = examples()
    unaccounted = [
        f"{e} [{e.lang or 'indented'}] {e.key[1]!r}"
        for e in found
        if e.lang != "graphql"
        and e.key not in RUN
        and e.key not in SKIP
        and not (e.lang == "" and e.path in NOTATION_FILES)
    ]
    assert not unaccounted, (
        "examples no test runs: run them here (RUN) or say why not (SKIP):\n"
        + "\n".join(unaccounted)
    )
    keys = [e.key for e in found]
    stale = [k for k in [*RUN, *SKIP] if keys.count(k) != 1]
    assert not stale, f"RUN/SKIP entries matching no block, or several: {stale}"
    assert not set(RUN) & set(SKIP)
    assert all(callable(globals().get(name)) for name in RUN.values())


GRAPHQL = [e for e in examples() if e.lang == "graphql"]


@pytest.fixture(scope="module")
def graphql_schema():
    return build_schema(Settings())._schema  # as `ekinerja schema export` builds it: no database


@pytest.mark.parametrize("block", GRAPHQL, ids=[str(e) for e in GRAPHQL])
def test_every_graphql_example_validates_and_asks_for_refusals(block: Example, graphql_schema):
    document = parse(block.text)
    errors = validate(graphql_schema, document)
    assert not errors, f"{block}: " + "; ".join(e.message for e in errors)
    mutation_type = graphql_schema.mutation_type
    for operation in document.definitions:
        if not (
            isinstance(operation, OperationDefinitionNode)
            and operation.operation == OperationType.MUTATION
        ):
            continue
        for selection in operation.selection_set.selections:
            field_type = mutation_type.fields[selection.name.value].type
            if isinstance(field_type, GraphQLNonNull):
                field_type = field_type.of_type
            if not isinstance(field_type, GraphQLUnionType):
                continue
            selected = {
                s.type_condition.name.value
                for s in selection.selection_set.selections
                if isinstance(s, InlineFragmentNode) and s.type_condition
            }
            errors_of_union = {t.name for t in field_type.types} & {
                "MutationError",
                "BarisDitolak",
            }
            missing = errors_of_union - selected
            assert not missing, (
                f"{block}: {selection.name.value} does not select {sorted(missing)}: a refusal "
                "would come back as {} and look like success"
            )


# -- the documented verify(), in each language ----------------------------------------------

SECRET = "whsec_dokumentasi"
BODY = b'{"id":"42","jenis":"evaluasi.final","data":{"predikat":"BAIK"}}'


def signature_cases() -> list[tuple[str, str | None, bytes, bool]]:
    """(what, header, body, valid?) for a receiver that checks with SECRET, now."""
    now = int(time.time())
    good = signature_header([SECRET], now, BODY)
    v1 = good.split(",v1=")[1]
    return [
        ("good", good, BODY, True),
        ("rotated: the second signature is ours", signature_header(["old", SECRET], now, BODY),
         BODY, True),
        ("tampered body", good, BODY.replace(b"BAIK", b"SANGAT_BAIK"), False),
        ("other secret", signature_header(["whsec_lain"], now, BODY), BODY, False),
        ("expired", signature_header([SECRET], now - 600, BODY), BODY, False),
        ("from the future", signature_header([SECRET], now + 600, BODY), BODY, False),
        ("timestamp changed", good.replace(f"t={now}", f"t={now - 1}"), BODY, False),
        ("missing header", None, BODY, False),
        ("empty header", "", BODY, False),
        ("no timestamp", f"v1={v1}", BODY, False),
        ("two timestamps", f"t={now},t={now},v1={v1}", BODY, False),
        ("letters as timestamp", f"t=abc,v1={v1}", BODY, False),
        ("empty timestamp", f"t=,v1={v1}", BODY, False),
        ("superscript digit", f"t=²,v1={v1}", BODY, False),
        ("arabic-indic digits", f"t={'٣' * 10},v1={v1}", BODY, False),
        ("exponent", f"t=1e9,v1={v1}", BODY, False),
        ("huge timestamp", f"t={'9' * 400},v1={v1}", BODY, False),
        ("no signature", f"t={now}", BODY, False),
        ("short signature", f"t={now},v1={v1[:10]}", BODY, False),
        ("non-hex signature", f"t={now},v1={'z' * 64}", BODY, False),
        ("non-ASCII signature", f"t={now},v1={'é' * 64}", BODY, False),
        ("garbage", ",,=,==,t", BODY, False),
    ]  # fmt: skip


def python_verify():
    namespace: dict = {}
    exec(example(INTEGRATORS, "import hashlib, hmac, re, time").text, namespace)
    return namespace["verify"]


NODE_HARNESS = """
const cases = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
console.log(JSON.stringify(cases.map(([secret, header, body]) => {
  try { return verify(secret, header, Buffer.from(body, "base64")); }
  catch (error) { return "raised " + error; }
})));
"""


async def node_verify(cases: list, tmp_path: Path) -> list:
    script = tmp_path / "verify.js"
    script.write_text(example(INTEGRATORS, 'const crypto = require("node:crypto");').text
                      + NODE_HARNESS)  # fmt: skip
    data = tmp_path / "cases.json"
    data.write_text(json.dumps(cases))
    out = await run("node", str(script), str(data))
    return json.loads(out)


@pytest.mark.parametrize("language", ["python", "javascript"])
async def test_the_documented_verify(language, tmp_path):
    cases = signature_cases()
    if language == "python":
        verify = python_verify()
        results = []
        for _what, value, body, _valid in cases:
            try:
                results.append(verify(SECRET, value, body))
            except Exception as error:  # the doc's snippet must never raise
                results.append(f"raised {error!r}")
    else:
        if shutil.which("node") is None:
            pytest.skip("node is not installed")
        encoded = [[SECRET, v, base64.b64encode(b).decode()] for _, v, b, _ in cases]
        results = await node_verify(encoded, tmp_path)
    wrong = [
        f"{what}: {result!r}, expected {valid}"
        for (what, _, _, valid), result in zip(cases, results, strict=True)
        if result is not valid
    ]
    assert not wrong, "\n".join(wrong)


def test_the_service_own_verify_is_as_strict():
    from ekinerja.webhooks.tanda_tangan import verify

    now = int(time.time())
    for what, value, body, valid in signature_cases():
        if value is not None:
            assert verify(SECRET, value, body, now) is valid, what


# -- the shell examples against the service on a real socket -------------------------------


async def run(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    process = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, f"{argv[0]} exited {process.returncode}: {err.decode()}"
    return out.decode()


async def bash(script: str, cwd: Path, **env: str) -> str:
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd), "LC_ALL": "C.UTF-8", **env}
    return await run("bash", "-c", "set -euo pipefail\n" + script, env=environment, cwd=cwd)


@asynccontextmanager
async def serving(settings, tmp_path: Path, store: ObjectStore | None = None) -> AsyncIterator[str]:
    """The service on a 127.0.0.1 socket bound before it starts, with ``store`` or else the
    local evidence store at that address: its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    store = store or LocalStore(tmp_path / "evidence", base, b"d" * 32)
    app = create_app(settings, store=store)
    config = uvicorn.Config(app, log_config=None, lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield base
    finally:
        server.should_exit = True
        await task
        sock.close()


def token_snippet(base: str, kode: str) -> str:
    return literally(
        example(*next(k for k in RUN if k[1].startswith("EKINERJA="))).text,
        {"EKINERJA=https://ekinerja.example INSTANSI=KABBGR": f"EKINERJA={base} INSTANSI={kode}"},
    )


def gql_function() -> str:
    return example(*next(k for k in RUN if k[0] == INTEGRATORS and k[1].startswith("gql()"))).text


def documented_headers() -> set[str]:
    text = (ROOT / INTEGRATORS).read_text()
    section = text[text.index("## 3. Webhooks") : text.index("## 4.")]
    return {name.lower() for name in re.findall(r"^\| `([A-Za-z-]+)` \|", section, re.M)}


async def deliver(settings, tenant) -> None:
    """Worker passes until one delivery is sent. An event is fanned out only once every older
    transaction has ended, cluster-wide (ekinerja/events/feed.py): another test run sharing the
    server may hold one open for a moment, so pass again until then (bounded)."""
    async with httpx.AsyncClient() as http, asyncio.timeout(30):
        worker = Worker(settings, http)
        while (await worker.run_tenant(tenant, utc_now())).terkirim == 0:
            await asyncio.sleep(0.1)


async def test_the_integrator_flow_runs_as_written(settings, idp, tenant, tmp_path):
    """Admin creates the client → token at /oauth/token → change feed → subscription →
    a real delivery → the documented verify() accepts it; the headers sent are the ones
    documented."""
    team = await build_team(tenant)
    admin = person_token(idp, tenant.kode, team.rekan.nip, Role.ADMIN_INSTANSI)
    async with Receiver() as receiver, serving(settings, tmp_path) as base:
        (tmp_path / "api-client.graphql").write_text(
            graphql_example(INTEGRATORS, "ApiClientBaru").text
        )
        (tmp_path / "perubahan.graphql").write_text(graphql_example(INTEGRATORS, "Perubahan").text)
        (tmp_path / "langganan.graphql").write_text(
            literally(
                graphql_example(INTEGRATORS, "Langganan").text,
                {"https://hr.example/hooks/ekinerja": receiver.url()},
            )
        )
        common = {"EKINERJA": base, "INSTANSI": tenant.kode}
        made = json.loads(
            await bash(gql_function() + "\ngql api-client.graphql", tmp_path, TOKEN=admin, **common)
        )["data"]["buatApiClient"]
        assert "clientSecret" in made, made
        client = {"CLIENT_ID": made["apiClient"]["clientId"], "CLIENT_SECRET": made["clientSecret"]}

        as_client = token_snippet(base, tenant.kode) + "\n" + gql_function() + "\n"
        out = await bash(
            as_client + "gql perubahan.graphql '{\"after\": null}' | jq -c .\n"
            "gql langganan.graphql | jq -c .",
            tmp_path,
            **client,
        )
        feed, subscribed = (json.loads(line) for line in out.splitlines())
        assert feed["data"]["peristiwa"]["pageInfo"]["hasNextPage"] is False, feed
        terbit = subscribed["data"]["buatWebhookLangganan"]
        assert terbit["rahasia"] and terbit["langganan"]["id"], subscribed

        async with tenant_transaction(as_bound(tenant)):
            await emit(JenisPeristiwa.EVALUASI_FINAL, "evaluasi", 7, {"predikat": "BAIK"})
        await deliver(settings, tenant)
        feed = json.loads(await bash(as_client + "gql perubahan.graphql", tmp_path, **client))
        (tmp_path / "salah.graphql").write_text(
            literally(
                graphql_example(INTEGRATORS, "Langganan").text,
                {"https://hr.example/hooks/ekinerja": "bukan alamat"},
            )
        )
        refused = json.loads(await bash(as_client + "gql salah.graphql", tmp_path, **client))
    [delivery] = receiver.requests
    verify = python_verify()
    assert verify(terbit["rahasia"], delivery.headers["x-ekinerja-signature"], delivery.body)
    assert not verify("whsec_lain", delivery.headers["x-ekinerja-signature"], delivery.body)
    assert set(delivery.headers) - TRANSPORT_HEADERS == documented_headers()
    envelope = json.loads(delivery.body)
    [change] = feed["data"]["peristiwa"]["nodes"]
    assert delivery.headers["x-ekinerja-event-id"] == envelope["id"] == change["id"]
    assert delivery.headers["x-ekinerja-instansi"] == envelope["instansi"] == tenant.kode
    assert delivery.headers["x-ekinerja-event"] == envelope["jenis"] == "evaluasi.final"
    assert delivery.headers["user-agent"] == "ekinerja-webhooks/1"
    error = refused["data"]["buatWebhookLangganan"]  # the refusal shows, it is not {}
    assert error["code"] and error["message"] and error["field"] == "url", refused


async def test_the_journey_shell_function_runs_as_written(settings, idp, tenant, tmp_path):
    team = await build_team(tenant)
    key = next(k for k in RUN if k[0] == JOURNEY)
    async with serving(settings, tmp_path) as base:
        script = literally(example(*key).text, {"http://127.0.0.1:8000": base})
        out = await bash(script, tmp_path, TOKEN=person_token(idp, tenant.kode, team.staf.nip))
    me = json.loads(out)["data"]["saya"]
    assert me["nip"] == team.staf.nip
    assert me["atasan"]["pejabatPenilai"]["pegawai"]["nip"] == team.kasi.nip


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
async def evidence_store(request, s3_endpoint) -> AsyncIterator[ObjectStore | None]:
    """None: the service's own local store; else an S3 store on a real S3 endpoint (moto)."""
    if request.param == "local":
        yield None
        return
    s3 = S3Store(
        bucket="ekinerja-docs", endpoint_url=s3_endpoint, access_key_id="t", secret_access_key="t"
    )
    await s3.ensure_bucket()
    yield s3
    await s3.close()


async def test_the_evidence_upload_runs_as_written(settings, idp, tenant, tmp_path, evidence_store):
    """The documented request, form POST (to the local store's route or to S3) and confirm."""
    team = await build_team(tenant)
    async with tenant_transaction(as_bound(tenant)):
        realisasi = await Realisasi.create(
            indikator=team.dokumen, skp=team.skp, periode="2026-T1", kuantitas=3
        )
    (tmp_path / "minta-unggah.graphql").write_text(graphql_example(INTEGRATORS, "MintaUnggah").text)
    (tmp_path / "konfirmasi.graphql").write_text(graphql_example(INTEGRATORS, "Konfirmasi").text)
    (tmp_path / "ba-verifikasi.pdf").write_bytes(PDF)
    upload = example(*next(k for k in RUN if k[1].startswith("TICKET="))).text
    then_confirm = (
        'gql konfirmasi.graphql "$(jq -n --arg b "$(jq -r .bukti.id <<<"$TICKET")" '
        "'{bukti: $b}')\""
    )
    async with serving(settings, tmp_path, evidence_store) as base:
        out = await bash(
            gql_function() + "\n" + upload + "\n" + then_confirm,
            tmp_path,
            EKINERJA=base,
            INSTANSI=tenant.kode,
            TOKEN=person_token(idp, tenant.kode, team.staf.nip),
            REALISASI=gid_of(tenant, realisasi),
        )
    status, confirmed = out.splitlines()
    assert status == "204" if evidence_store is None else status in {"200", "201", "204"}
    bukti = json.loads(confirmed)["data"]["konfirmasiBuktiDukung"]
    assert bukti["status"] == "TERSEDIA", bukti
    # S3 servers without POST checksums (moto among them) leave the SHA-256 the declared one.
    assert bukti["sha256Terverifikasi"] is (evidence_store is None), bukti


def documented_form_fields() -> dict[str, set[str]]:
    text = (ROOT / INTEGRATORS).read_text()
    section = text[text.index("## 7. Evidence") : text.index("## 8.")]
    s3 = re.search(r"S3:(.*?)\(and", section, re.S).group(1)
    local = re.search(r"the local store:(.*?)—", section, re.S).group(1)
    return {"s3": set(re.findall(r"`([^`]+)`", s3)), "local": set(re.findall(r"`([^`]+)`", local))}


async def test_the_documented_form_fields_are_the_issued_ones(tmp_path, evidence_store):
    store = evidence_store or LocalStore(tmp_path, "http://t", b"d" * 32)
    form = await store.presign_upload(
        "tenants/X/bukti/1/berkas.pdf",
        content_type="application/pdf",
        max_bytes=len(PDF),
        sha256_hex=hashlib.sha256(PDF).hexdigest(),
        expires_in=60,
    )
    backend = "local" if evidence_store is None else "s3"
    assert set(form.fields) == documented_form_fields()[backend]


async def test_a_wrongly_named_file_field_is_refused_naming_the_right_one(settings, tmp_path):
    """The local store's upload form: a file under another name, or before the fields, is
    refused with a message that says the file goes last, in field `file`."""
    store = LocalStore(tmp_path / "evidence", "http://t", b"d" * 32)
    form = await store.presign_upload(
        "tenants/X/bukti/1/berkas.pdf",
        content_type="application/pdf",
        max_bytes=len(PDF),
        sha256_hex=hashlib.sha256(PDF).hexdigest(),
        expires_in=60,
    )
    app = create_app(settings, store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        for name in ("berkas", "upload", "File"):
            files = {name: ("ba.pdf", PDF, "application/pdf")}
            refused = await c.post("/storage/upload", data=form.fields, files=files)
            assert refused.status_code == 400
            body = refused.json()["errors"][0]  # the one error envelope (decision 0031)
            assert body["extensions"]["code"] == "MALFORMED"
            assert f"unexpected form field {name!r}" in body["message"]
            assert "in the field named 'file'" in body["message"], body
        only_fields = await c.post(
            "/storage/upload",
            content=_multipart([(n, None, v.encode()) for n, v in form.fields.items()]),
            headers={"Content-Type": "multipart/form-data; boundary=B0UND"},
        )
        assert only_fields.status_code == 400
        assert "in the field named 'file'" in only_fields.json()["errors"][0]["message"]
        file_first = await c.post(
            "/storage/upload",
            content=_multipart([("file", "application/pdf", PDF)]),
            headers={"Content-Type": "multipart/form-data; boundary=B0UND"},
        )
        assert file_first.status_code == 400
        message = file_first.json()["errors"][0]["message"]
        assert "missing form fields" in message and "named 'file'" in message, message
        accepted = await c.post(
            "/storage/upload", data=form.fields, files={"file": ("ba.pdf", PDF, "application/pdf")}
        )
        assert accepted.status_code == 204


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
    out = b""
    for name, part_type, value in parts:
        out += b"--B0UND\r\n"
        out += f'Content-Disposition: form-data; name="{name}"'.encode()
        out += (f'; filename="x"\r\nContent-Type: {part_type}' if part_type else "").encode()
        out += b"\r\n\r\n" + value + b"\r\n"
    return out + b"--B0UND--\r\n"


async def test_the_progres_import_runs_as_written(settings, idp, tenant, tmp_path):
    team = await build_team(tenant)
    ra = team.rencana("2026-T1")
    sample = example(
        INTEGRATORS, "RENCANA_AKSI_ID,TANGGAL,JAM_MULAI,JAM_SELESAI,KEGIATAN,REALISASI,SATUAN"
    ).text
    assert sample.count("\n41,") == 2  # the doc's placeholder id, replaced by a real one
    (tmp_path / "progres.csv").write_text(sample.replace("\n41,", f"\n{ra},"))
    command = next(k for k in RUN if k[1].startswith("curl -sS -X POST"))
    dry_run = example(*command).text
    env = {"INSTANSI": tenant.kode, "TOKEN": person_token(idp, tenant.kode, team.staf.nip)}
    async with serving(settings, tmp_path) as base:
        checked = await bash(dry_run, tmp_path, EKINERJA=base, **env)
        written = await bash(literally(dry_run, {"?uji=true": ""}), tmp_path, EKINERJA=base, **env)
    assert json.loads(checked) == {"jumlah": 2, "uji": True}
    assert json.loads(written) == {"jumlah": 2, "uji": False}
    async with tenant_transaction(as_bound(tenant)):
        rows = await ProgresHarian.filter(rencana_aksi_id=ra).order_by("tanggal")
    assert [(str(r.tanggal), r.kegiatan, r.realisasi, r.satuan) for r in rows] == [
        ("2026-02-03", "Verifikasi 12 berkas izin usaha", 12, "dokumen"),
        ("2026-02-04", "Rapat koordinasi, notulen", 1, "notulen"),
    ]


# -- scalars and codegen (integrators.md §9) ------------------------------------------------


def test_the_codegen_scalar_maps_name_every_scalar(graphql_schema):
    """The GraphQL Code Generator and relay-compiler maps name exactly the schema's own scalars
    (with strictScalars a missing one fails the integrator's build), as strings but JSON."""
    ours = {
        name
        for name, named in graphql_schema.type_map.items()
        if isinstance(named, GraphQLScalarType)
        and not is_specified_scalar_type(named)
        and not name.startswith("__")
    }
    codegen_block = example(
        INTEGRATORS, 'import type { CodegenConfig } from "@graphql-codegen/cli";'
    )
    scalars = re.search(r"scalars: \{(.*?)\}", codegen_block.text, re.S)
    assert scalars and "strictScalars: true" in codegen_block.text
    codegen = dict(re.findall(r'(\w+): "(\w+)"', scalars.group(1)))
    relay = json.loads(example(INTEGRATORS, "{").text)["customScalarTypes"]
    expected = {name: "unknown" if name == "JSON" else "string" for name in ours}
    assert codegen == expected
    assert relay == expected
