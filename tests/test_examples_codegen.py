"""GraphQL Code Generator and relay-compiler really run on the reference portal's documents
(examples/, issue 16 item 9; docs/codegen.md), with the configurations a portal would copy:
examples/codegen.ts (the typescript + typescript-operations plugins, and the client preset) and
examples/relay.config.json, both with the scalar map of docs/integrators.md §9. The tools are
pinned in scripts/node/package.json and installed once into .cache/node by scripts/_node.sh (as
for the graphql-http audit); the run is skipped, saying why, only when npm is missing or cannot
reach its registry. It runs in a copy of examples/ and schema.graphql, so nothing is written
into the tree."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLScalarType,
    OperationDefinitionNode,
    build_schema,
    is_specified_scalar_type,
    parse,
    validate,
)

from ekinerja.schema import build_schema as build_service_schema
from ekinerja.settings import Settings
from tests.test_examples_portal import _rules  # the rules /graphql validates with

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _schema():
    return build_schema((ROOT / "schema.graphql").read_text())


def _documents() -> dict[str, str]:
    """Name -> "operation" or "fragment", of every document relay/sources.mjs wraps."""
    found = {}
    for folder in ("portal", "relay"):
        for path in sorted((EXAMPLES / folder).glob("*.graphql")):
            [definition] = parse(path.read_text()).definitions
            kind = "operation" if isinstance(definition, OperationDefinitionNode) else "fragment"
            assert isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode)
            found[path.stem] = kind
    return found


def _scalar_map() -> dict[str, str]:
    """docs/integrators.md §9: the schema's own scalars are strings, but JSON (any value)."""
    return {
        name: "unknown" if name == "JSON" else "string"
        for name, named in _schema().type_map.items()
        if isinstance(named, GraphQLScalarType)
        and not is_specified_scalar_type(named)
        and not name.startswith("__")
    }


def test_both_configurations_map_every_scalar_as_documented():
    """Fast, without Node: the configurations carry exactly the documented scalar map."""
    codegen = (EXAMPLES / "codegen.ts").read_text()
    block = re.search(r"const scalars = \{(.*?)\};", codegen, re.S)
    assert block, "examples/codegen.ts: no `const scalars = {…};`"
    assert dict(re.findall(r'(\w+): "(\w+)"', block.group(1))) == _scalar_map()
    assert codegen.count("strictScalars: true") == codegen.count("scalars,") == 2
    relay = json.loads((EXAMPLES / "relay.config.json").read_text())
    assert relay["customScalarTypes"] == _scalar_map()
    assert relay["schema"] == "../schema.graphql" and relay["language"] == "typescript"


def _success_member(operation: str) -> str:
    """The member of the operation's (one) mutation result that is not an error, by the
    schema: its name changes with the contract's words (decision 0027), not in this test."""
    [definition] = parse((EXAMPLES / "portal" / f"{operation}.graphql").read_text()).definitions
    [root] = definition.selection_set.selections
    schema = _schema()
    result = schema.mutation_type.fields[root.name.value].type.of_type
    [member] = {t.name for t in schema.get_possible_types(result)} - {
        "MutationError",
        "BarisDitolak",
    }
    return member


def _node() -> str:
    """Node 22 with the tools, installed (once, then cached) by scripts/_node.sh. Skipped only
    when npm is missing or cannot reach its registry (exit 3); any other failure fails."""
    done = subprocess.run(
        [str(ROOT / "scripts" / "_node.sh")], capture_output=True, text=True, timeout=900
    )
    if done.returncode == 3:
        pytest.skip(f"the Node tools cannot be installed here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """examples/generate.sh, as docs/codegen.md runs it, in a copy of examples/ (without any
    earlier build/) beside schema.graphql and the installed tools: the build it wrote."""
    _node()
    work = tmp_path_factory.mktemp("codegen")
    shutil.copytree(EXAMPLES, work / "examples", ignore=shutil.ignore_patterns("build"))
    shutil.copy(ROOT / "schema.graphql", work / "schema.graphql")
    (work / ".cache").symlink_to(ROOT / ".cache")
    done = subprocess.run(
        [str(work / "examples" / "generate.sh")], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"examples/generate.sh failed:\n{done.stdout}\n{done.stderr}"
    return work / "examples" / "build"


def test_codegen_types_every_operation_and_fragment(generated):
    types = (generated / "codegen" / "types.ts").read_text()
    portal = {
        n: k for n, k in _documents().items() if (EXAMPLES / "portal" / f"{n}.graphql").exists()
    }
    for name, kind in portal.items():
        if kind == "operation":  # dedupeOperationSuffix: SkpSayaQuery, not SkpSayaQueryQuery
            assert f"export type {name} = " in types, name
            assert f"export type {name}Variables = " in types, name
        else:
            assert f"export type {name}Fragment = " in types, name
    client = (generated / "codegen" / "client" / "graphql.ts").read_text()
    assert (generated / "codegen" / "client" / "gql.ts").exists()
    for name, kind in portal.items():
        suffix = "Document" if kind == "operation" else "FragmentDoc"
        assert f"export const {name}{suffix} = " in client, name


def test_the_portal_ships_the_current_types(generated):
    """portal/generated/types.d.ts is this run's types.ts (scripts/portal/generate.py writes
    it): the reference portal's JSDoc types are the contract's."""
    generator = importlib.util.spec_from_file_location(
        "portal_generate", ROOT / "scripts" / "portal" / "generate.py"
    )
    module = importlib.util.module_from_spec(generator)
    generator.loader.exec_module(module)
    expected = module.types_text((generated / "codegen" / "types.ts").read_text())
    shipped = (ROOT / "portal" / "generated" / "types.d.ts").read_text()
    assert shipped == expected, "stale: run .venv/bin/python scripts/portal/generate.py"


def test_codegen_maps_the_scalars_and_types_the_error_member(generated):
    types = (generated / "codegen" / "types.ts").read_text()
    for scalar, ts in _scalar_map().items():
        assert f"  {scalar}: {{ input: {ts}; output: {ts}; }}" in types, scalar
    error = re.search(r"export type MutationError = \{(.*?)\n\};", types, re.S)
    assert error, "no MutationError type"
    code = _schema().type_map["MutationError"].fields["code"].type.of_type
    if isinstance(code, GraphQLEnumType):  # the ErrorCode enum (issue 16 item 4)
        assert f"code: {code.name};" in error.group(1), error.group(1)
        values = re.search(rf"export type {code.name} =\n(.*?);\n", types, re.S)
        assert values and set(re.findall(r"\| '(\w+)'", values.group(1))) == set(code.values)
    else:
        assert "code: Scalars['String']['output'];" in error.group(1), error.group(1)
    # An operation's result is a union the portal branches on by __typename.
    result = re.search(r"export type AjukanSkpMutation = \{(.*?)\};\n", types, re.S).group(1)
    assert "__typename: 'MutationError', code: " in result, result
    assert f"__typename: '{_success_member('AjukanSkpMutation')}'" in result, result


def test_relay_compiles_every_document(generated):
    artifacts = generated / "relay" / "src" / "__generated__"
    made = {p.name.removesuffix(".graphql.ts") for p in artifacts.glob("*.graphql.ts")}
    assert set(_documents()) <= made, set(_documents()) - made
    submitted = (artifacts / "AjukanSkpMutation.graphql.ts").read_text()
    assert 'readonly __typename: "MutationError";' in submitted, submitted
    success = _success_member("AjukanSkpMutation")
    assert f'readonly __typename: "{success}";' in submitted, submitted
    # customScalarTypes: a Date is a string, a Decimal too.
    window = (artifacts / "PelaksanaanQuery.graphql.ts").read_text()
    assert re.search(r"readonly awal: string;", window), window
    assert re.search(r"readonly capaianPersen: string \| null \| undefined;", window), window


def test_relay_refetches_a_fragment_by_node(generated):
    """examples/relay/SkpKartu: @refetchable on an SKP fragment, reloaded through Query.node
    (the Node interface, decision 0028)."""
    artifacts = generated / "relay" / "src" / "__generated__"
    refetch = (artifacts / "SkpKartuRefetchQuery.graphql.ts").read_text()
    assert "query SkpKartuRefetchQuery(\\n  $id: ID!\\n) {\\n  node(id: $id) {" in refetch
    assert '"refetch": {' in (artifacts / "SkpKartu.graphql.ts").read_text()


def test_relay_pages_a_connection(generated):
    """examples/relay/DaftarPegawaiHalaman: @connection on the pegawai list (Relay's
    connection with the full PageInfo, decision 0029), paged by a generated query."""
    artifacts = generated / "relay" / "src" / "__generated__"
    paging = (artifacts / "DaftarPegawaiHalaman.graphql.ts").read_text()
    assert '"name": "__DaftarPegawaiHalaman_daftarPegawai_connection"' in paging
    assert '"refetch": {' in paging and '"connection": {' in paging
    assert (artifacts / "DaftarPegawaiHalamanPaginationQuery.graphql.ts").exists()


def test_what_relay_sends_passes_the_servers_validation_and_limits(generated):
    """relay-compiler rewrites each operation (adds `id` and `__typename`, inlines arguments):
    the text it sends must still validate against the built schema within /graphql's depth,
    alias and token limits."""
    settings = Settings()
    schema = build_service_schema(settings)._schema
    texts = {}
    for artifact in (generated / "relay" / "src" / "__generated__").glob("*.graphql.ts"):
        found = re.search(r'^    "text": ("(?:[^"\\]|\\.)*"),?$', artifact.read_text(), re.M)
        if found:  # operations carry their text; fragments do not
            texts[artifact.name] = json.loads(found.group(1))
    assert set(texts) >= {f"{n}.graphql.ts" for n, k in _documents().items() if k == "operation"}
    for name, text in texts.items():
        document = parse(text, max_tokens=settings.graphql_max_tokens)
        errors = validate(schema, document, _rules(settings))
        assert not errors, f"{name}: " + "; ".join(e.message for e in errors)
