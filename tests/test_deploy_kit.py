"""The deployment kit (docker/, deploy/kubernetes/), tested as far as this machine can without
a container engine (issue 18): the compose file parses and every command in it is what a
shell or an exec will run; every secret is required, every image pinned, our images run as an
unprivileged user and carry no embedded PostgreSQL; the Keycloak realm gives tokens every
claim the service reads; the image's entry point runs here as a plain process (setup, api,
worker) against the test database; PgBouncer starts with the kit's own pgbouncer.ini."""

from __future__ import annotations

import configparser
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import httpx
import pytest
import yaml

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import database_context
from ekinerja.db.sql import fetch
from ekinerja.models.shared import IdentityProvider
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.server import settings_for

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
REALM = json.loads((DOCKER / "keycloak" / "ekinerja-realm.json").read_text())
ENTRYPOINT = DOCKER / "entrypoint.sh"
OUR_DOCKERFILES = [DOCKER / "Dockerfile", DOCKER / "pgbouncer" / "Dockerfile"]

# ${NAME}, ${NAME:-default}, ${NAME:?message} as compose interpolates them ($$ is a literal $).
_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _interpolations() -> list[tuple[str, str | None, str]]:
    found = []
    for text in _strings(COMPOSE):
        for name, operator, rest in _VARIABLE.findall(text):
            found.append((name, operator or None, rest))
    return found


# ---- compose: commands, secrets, images, health


def test_every_command_is_an_argument_list_with_no_line_break():
    """The defect: a folded YAML scalar kept a line break inside `sh -c`, so the shell ran
    `--jwks-uri …` as a command of its own and the API container exited 127."""
    for name, service in SERVICES.items():
        for key in ("command", "entrypoint"):
            if key in service:
                value = service[key]
                assert isinstance(value, list), f"{name}.{key} must be exec form (a list)"
                assert all("\n" not in part for part in value), f"{name}.{key} has a line break"


def test_every_shell_command_in_compose_parses_as_the_container_shell_reads_it():
    for name, service in SERVICES.items():
        for key in ("command", "entrypoint"):
            value = service.get(key) or []
            if value[:2] == ["sh", "-c"]:
                script = value[2].replace("$$", "$")  # compose's escape, undone as compose does
                checked = subprocess.run(["sh", "-n", "-c", script], capture_output=True, text=True)
                assert checked.returncode == 0, f"{name}.{key}: {checked.stderr}"


def test_the_services_run_what_the_entry_point_knows():
    assert SERVICES["setup"]["command"] == ["setup"]
    assert SERVICES["api"]["command"] == ["api"]
    assert SERVICES["worker"]["command"] == ["worker"]
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["ekinerja-entrypoint"]' in dockerfile
    assert "COPY docker/entrypoint.sh /usr/local/bin/ekinerja-entrypoint" in dockerfile


def test_every_secret_is_required_and_has_no_default():
    secretive = re.compile(r"PASSWORD|SECRET|_KEY$")
    seen = set()
    for name, operator, _rest in _interpolations():
        if secretive.search(name) and name != "MINIO_ROOT_USER":
            seen.add(name)
            assert operator == ":?", f"${{{name}}} must be required (${{{name}:?…}}), not defaulted"
    assert {
        "POSTGRES_PASSWORD",
        "EKINERJA_SESSION_SECRET",
        "EKINERJA_STORAGE_SIGNING_SECRET",
        "EKINERJA_TOKEN_SIGNING_KEY",
        "KEYCLOAK_ADMIN_PASSWORD",
        "SIMPEG_HR_CLIENT_SECRET",
    } <= seen
    example = (DOCKER / ".env.example").read_text()
    for name in seen:
        assert re.search(rf"^{name}=$", example, re.M), f"{name} is blank in .env.example"


def test_no_literal_secret_in_the_kit():
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET", key) and isinstance(value, str):
                assert _VARIABLE.search(value), f"{name}: {key} is a literal"


def test_every_image_is_pinned_to_a_version():
    for name, service in SERVICES.items():
        image = service.get("image")
        if image is None:
            assert "build" in service, f"{name} has neither image nor build"
            continue
        tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else ""
        assert tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned"
    for dockerfile in OUR_DOCKERFILES:
        for base in re.findall(r"^FROM (\S+)", dockerfile.read_text(), re.M):
            assert re.search(r":\S*\d", base), f"{dockerfile.name}: FROM {base} is not pinned"


def test_our_images_run_as_an_unprivileged_user():
    for dockerfile in OUR_DOCKERFILES:
        users = re.findall(r"^USER (\S+)", dockerfile.read_text(), re.M)
        assert users and users[-1].split(":")[0] not in {"root", "0"}, dockerfile


def test_the_image_installs_no_embedded_postgresql():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith("pgserver") for d in project["dependencies"])
    assert any(d.startswith("pgserver") for d in project["optional-dependencies"]["embedded"])
    assert "[embedded]" not in (DOCKER / "Dockerfile").read_text()


def test_the_stack_has_its_parts_and_starts_in_order():
    assert {
        "postgres",
        "pgbouncer",
        "minio",
        "minio-init",
        "keycloak",
        "setup",
        "api",
        "worker",
    } <= set(SERVICES)
    for name in ("postgres", "pgbouncer", "minio", "keycloak", "api", "worker"):
        assert SERVICES[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    for name in ("api", "worker"):
        needs = SERVICES[name]["depends_on"]
        assert needs["setup"]["condition"] == "service_completed_successfully"
        assert needs["pgbouncer"]["condition"] == "service_healthy"
    api_env = SERVICES["api"]["environment"]
    assert "@pgbouncer:6432/" in api_env["DATABASE_URL"]
    assert "@postgres:5432/" in api_env["EKINERJA_DIRECT_DATABASE_URL"]
    assert api_env["EKINERJA_MODE"] == "production"
    assert "EKINERJA_WORKERS" in api_env


def test_every_setting_the_kit_passes_is_one_the_service_knows():
    known = {f"EKINERJA_{name.upper()}" for name in Settings.model_fields} | {"DATABASE_URL"}
    entrypoint_only = set(re.findall(r"\b(EKINERJA_TRUST_[A-Z_]+)", ENTRYPOINT.read_text()))
    for name in ("setup", "api", "worker"):
        for key in SERVICES[name]["environment"]:
            assert key in known | entrypoint_only, f"{name}: {key} is read by nothing"


# ---- the Keycloak realm: the claims the service needs


def _scopes() -> dict[str, dict]:
    return {scope["name"]: scope for scope in REALM["clientScopes"]}


def _client(client_id: str) -> dict:
    (client,) = [c for c in REALM["clients"] if c["clientId"] == client_id]
    return client


def _claims_of(client: dict) -> set[str]:
    claims = set()
    for scope in client["defaultClientScopes"]:
        for mapper in _scopes()[scope].get("protocolMappers", []):
            config = mapper["config"]
            if mapper["protocolMapper"] == "oidc-sub-mapper":
                claims.add("sub")
            elif mapper["protocolMapper"] == "oidc-audience-mapper":
                claims.add(f"aud={config['included.custom.audience']}")
            elif config.get("access.token.claim") == "true":
                claims.add(config["claim.name"])
    return claims


def test_clients_name_only_scopes_the_realm_declares():
    """The defect: declaring clientScopes drops Keycloak's built-in `profile` and `roles`, so
    the portal client's references to them gave tokens without the NIP and roles."""
    declared = set(_scopes())
    for client in REALM["clients"]:
        named = set(client.get("defaultClientScopes", [])) | set(
            client.get("optionalClientScopes", [])
        )
        assert named <= declared, f"{client['clientId']} names undeclared {named - declared}"


def test_a_person_token_carries_every_claim_the_service_reads():
    setup_env = SERVICES["setup"]["environment"]
    nip_claim = setup_env["EKINERJA_TRUST_NIP_CLAIM"]
    claims = _claims_of(_client("ekinerja-portal"))
    # The service's defaults for an issuer (ekinerja/models/shared.py IdentityProvider).
    assert {"sub", "aud=ekinerja", nip_claim, "instansi", "realm_access.roles"} <= claims
    nip_mapper = next(
        m
        for m in _scopes()["ekinerja"]["protocolMappers"]
        if m["config"].get("claim.name") == nip_claim
    )
    assert nip_mapper["config"]["user.attribute"] == "username"  # the NIP is the username
    roles = {role["name"] for role in REALM["roles"]["realm"]}
    assert {"admin-instansi", "bkn-admin"} <= roles
    for user in REALM["users"]:
        assert re.fullmatch(r"\d{18}", user["username"]), "usernames are NIPs"


def test_an_api_client_token_carries_audience_and_scope():
    client = _client("simpeg-hr")
    assert client["serviceAccountsEnabled"] and not client["publicClient"]
    assert not client["standardFlowEnabled"] and not client["directAccessGrantsEnabled"]
    assert {"sub", "aud=ekinerja"} <= _claims_of(client)
    assert "pegawai:read" in client["defaultClientScopes"]


def test_the_portal_client_is_public_with_pkce_and_refresh_tokens():
    client = _client("ekinerja-portal")
    assert client["publicClient"] and client["standardFlowEnabled"]
    assert not client["implicitFlowEnabled"] and not client["directAccessGrantsEnabled"]
    assert client["attributes"]["pkce.code.challenge.method"] == "S256"
    assert client["attributes"]["use.refresh.tokens"] == "true"
    assert client["redirectUris"] == ["${EKINERJA_PUBLIC_URL}/auth/callback"]
    assert 'Route("/auth/callback"' in (ROOT / "ekinerja" / "http" / "login.py").read_text()


def test_the_realm_holds_no_secret_only_placeholders_compose_sets():
    keycloak_env = SERVICES["keycloak"]["environment"]
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", json.dumps(REALM)))
    assert placeholders <= set(keycloak_env), placeholders - set(keycloak_env)
    assert _client("simpeg-hr")["secret"] == "${SIMPEG_HR_CLIENT_SECRET}"
    for user in REALM["users"]:
        for credential in user.get("credentials", []):
            assert credential["value"] == "${DEMO_USER_PASSWORD}" and credential["temporary"]


# ---- Kubernetes: probes, the migration job, scaling


KUBERNETES = ROOT / "deploy" / "kubernetes"


def _manifests() -> dict[tuple[str, str], dict]:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    found = {}
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((KUBERNETES / name).read_text()):
            found[(document["kind"], document["metadata"]["name"])] = document
    return found


def _pod(manifest: dict) -> dict:
    return manifest["spec"]["template"]["spec"]


def test_every_manifest_file_is_in_the_kustomization():
    listed = set(yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}


def test_the_api_is_probed_where_the_service_answers():
    api = _pod(_manifests()[("Deployment", "ekinerja-api")])["containers"][0]
    assert api["args"] == ["api"]
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    app = (ROOT / "ekinerja" / "http" / "app.py").read_text()
    assert 'Route("/healthz"' in app and 'Route("/readyz"' in app


def test_the_worker_is_probed_on_its_own_listener():
    worker = _pod(_manifests()[("Deployment", "ekinerja-worker")])["containers"][0]
    env = {e["name"]: e.get("value") for e in worker["env"]}
    port = int(env["EKINERJA_WORKER_METRICS_PORT"])
    assert {p["containerPort"] for p in worker["ports"]} == {port}
    assert worker["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert worker["readinessProbe"]["httpGet"]["path"] == "/readyz"
    compose = SERVICES["worker"]
    assert compose["environment"]["EKINERJA_WORKER_METRICS_PORT"] == str(port)
    assert f"127.0.0.1:{port}/readyz" in " ".join(compose["healthcheck"]["test"])


def test_the_migration_job_runs_setup_straight_against_postgresql():
    job = _manifests()[("Job", "ekinerja-setup")]
    container = _pod(job)["containers"][0]
    assert container["args"] == ["setup"]
    url = next(e for e in container["env"] if e["name"] == "DATABASE_URL")
    assert url["valueFrom"]["secretKeyRef"]["key"] == "direct-database-url"


def test_the_api_and_the_worker_scale_horizontally():
    manifests = _manifests()
    for name in ("ekinerja-api", "ekinerja-worker"):
        scaler = manifests[("HorizontalPodAutoscaler", name)]
        target = scaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) in manifests
        assert scaler["spec"]["maxReplicas"] > scaler["spec"]["minReplicas"] >= 1


def test_every_pod_runs_unprivileged_with_its_secrets_required():
    for (kind, name), manifest in _manifests().items():
        if kind not in {"Deployment", "Job"}:
            continue
        pod = _pod(manifest)
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert container["image"] == "ekinerja"  # one image, set in the kustomization
            for variable in container.get("env", []):
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert not reference.get("optional", False), (name, variable["name"])
                elif re.search(r"PASSWORD|SECRET|_KEY$|DATABASE_URL", variable["name"]):
                    pytest.fail(f"{name}: {variable['name']} is not from the Secret")
    config = _manifests()[("ConfigMap", "ekinerja")]["data"]
    assert not any(re.search(r"PASSWORD|SECRET|_KEY$", key) for key in config), config


# ---- the image's entry point, as a plain process


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entrypoint_env(database, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_") and k != "DATABASE_URL"
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env |= {
        "DATABASE_URL": database.url(),
        "EKINERJA_MODE": "production",
        "EKINERJA_SESSION_SECRET": secrets.token_urlsafe(48),
        "EKINERJA_STORAGE_SIGNING_SECRET": secrets.token_urlsafe(48),
        "EKINERJA_WORKERS": "1",
        **extra,
    }
    return env


async def test_the_setup_role_migrates_trusts_the_realm_and_refuses_half_a_realm(
    database, tmp_path
):
    issuer = f"https://sso.example.go.id/realms/kit-{secrets.token_hex(4)}"
    env = _entrypoint_env(
        database,
        EKINERJA_DATA_DIR=str(tmp_path),
        EKINERJA_TRUST_ISSUER=issuer,
        EKINERJA_TRUST_JWKS_URI=f"{issuer}/protocol/openid-connect/certs",
        EKINERJA_TRUST_NIP_CLAIM="nip",
    )
    # Every release runs it again: `migrate` and `idp add` are idempotent, each tested on its
    # own (tests/test_migrations.py, tests/test_setup_job.py); once is enough here.
    done = subprocess.run(
        ["sh", str(ENTRYPOINT), "setup"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (trusted,) = await IdentityProvider.filter(issuer=issuer).all()
    assert trusted.nip_claim == "nip"
    assert trusted.jwks_uri == f"{issuer}/protocol/openid-connect/certs"
    env.pop("EKINERJA_TRUST_JWKS_URI")
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"  # refused before it is used
    refused = subprocess.run(
        ["sh", str(ENTRYPOINT), "setup"], env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0
    assert "EKINERJA_TRUST_JWKS_URI" in refused.stderr


def test_the_api_role_serves_until_told_to_stop(database, tmp_path):
    port = _free_port()
    env = _entrypoint_env(database, EKINERJA_DATA_DIR=str(tmp_path), EKINERJA_PORT=str(port))
    log = tmp_path / "api.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["sh", str(ENTRYPOINT), "api"], env=env, stdout=out, stderr=out)
    try:
        ready = _wait_ready(f"http://127.0.0.1:{port}/readyz", process, log)
        assert ready.status_code == 200, ready.text
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)  # `exec`: the signal reaches ekinerja itself
        code = process.wait(30)
    # uvicorn shuts down cleanly, then ends by the signal it caught (as a container's 143).
    assert code in (0, -signal.SIGTERM), log.read_text()[-2000:]
    assert "Application shutdown complete." in log.read_text()


def test_the_worker_role_runs_the_worker(database, tmp_path):
    env = _entrypoint_env(database, EKINERJA_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        ["sh", str(ENTRYPOINT), "worker", "--once", "--tenant", "NOSUCHKODE"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The worker ran and judged its arguments: an unknown instansi is its refusal, by name.
    assert "NOSUCHKODE" in done.stdout + done.stderr


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the api exited {process.returncode}: {log.read_text()[-2000:]}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)  # polling a port that is not open yet, not synchronising on time
    pytest.fail(f"the api did not answer: {log.read_text()[-2000:]}")


# ---- PgBouncer with the kit's configuration

SEARCH_PATH = "SELECT current_setting('search_path')"
PGBOUNCER = shutil.which("pgbouncer") or (
    "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
)


def test_the_kit_pooler_is_in_transaction_mode_with_nothing_to_reset():
    ini = configparser.ConfigParser(inline_comment_prefixes=(";",))
    ini.read(DOCKER / "pgbouncer" / "pgbouncer.ini")
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert ini["pgbouncer"]["server_reset_query"] == ""
    # What the service sends at connect, dropped by the pooler and set server-wide instead.
    dropped = set(ini["pgbouncer"]["ignore_startup_parameters"].split(","))
    assert {"jit", "idle_in_transaction_session_timeout"} <= dropped
    server = SERVICES["postgres"]["command"]
    assert "jit=off" in server and "idle_in_transaction_session_timeout=60s" in server
    assert SERVICES["api"]["environment"]["EKINERJA_DB_STATEMENT_CACHE_SIZE"] == "0"


@pytest.mark.skipif(PGBOUNCER is None, reason="pgbouncer is not installed (.ci/run installs it)")
async def test_pgbouncer_runs_with_the_kits_configuration(database, tenant, pgbouncer_dir):
    """The kit's pgbouncer.ini, with only where it listens and which server it reaches
    changed, starts Debian's PgBouncer and carries the service's own connections: its ORM with
    every startup parameter it sends (PgBouncer refuses one it was not told to ignore), a
    tenant-bound transaction, and nothing of the binding left for the next client."""
    port = _free_port()
    text = (DOCKER / "pgbouncer" / "pgbouncer.ini").read_text()
    server = f"host={database.host} port={database.port} dbname={database.database}"
    text = text.replace(
        "ekinerja = host=postgres port=5432 dbname=ekinerja", f"{database.database} = {server}"
    )
    text = text.replace("listen_port = 6432", f"listen_port = {port}")
    text = text.replace("listen_addr = 0.0.0.0", "listen_addr = 127.0.0.1")
    text = text.replace("/tmp/pgbouncer/userlist.txt", str(pgbouncer_dir / "userlist.txt"))
    password = secrets.token_urlsafe(16)
    (pgbouncer_dir / "userlist.txt").write_text(f'"{database.user}" "{password}"\n')
    config = pgbouncer_dir / "pgbouncer.ini"
    config.write_text(text)
    # PgBouncer refuses to run as root; as root (CI), it drops to the user its package made, or
    # to the embedded server's own user, the only one that may reach its socket.
    owner = pwd.getpwuid(os.stat(database.host).st_uid).pw_name if database.host[0] == "/" else None
    as_user = ["-u", owner or "postgres"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        [PGBOUNCER, *as_user, str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    pooled = DatabaseAddress("127.0.0.1", port, database.user, password, database.database)
    try:
        _wait_listening(process, port)
        settings = settings_for(pooled).model_copy(update={"db_statement_cache_size": 0})
        async with database_context(pooled, settings):
            async with tenant_transaction(as_bound(tenant)):
                (bound,) = await fetch("SELECT current_schema() AS schema")
            (after,) = await fetch("SELECT current_schema() AS schema")
        assert bound["schema"] == tenant.schema_name
        assert after["schema"] != tenant.schema_name  # transaction-local: nothing carried over
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def pgbouncer_dir():
    """A directory PgBouncer's user can read (pytest's tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="ekinerja-pgbouncer-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _wait_listening(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"pgbouncer exited: {process.stdout.read().decode()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)  # polling a port that is not open yet
    pytest.fail("pgbouncer did not listen")
