"""One error model (issue 16, item 4; decision 0030): every machine-readable code the product
emits is a member of `ErrorCode` (ekinerja/error_codes.py), every member is emitted somewhere
(or reserved on purpose), every member is described, and the schema types every mutation's
failure with the `ErrorCode` enum. No database."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, GraphQLObjectType, GraphQLUnionType, get_named_type

from ekinerja.error_codes import RESERVED, RETIRED, ErrorCode, descriptions
from ekinerja.refusals import Refusal, RequestRefused, storage_code
from ekinerja.schema import build_schema
from ekinerja.schema.errors import ClientError
from ekinerja.schema.mutation_errors import MutationError
from ekinerja.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ekinerja"
CODE_SHAPE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")

# Where a call carries its code as a positional argument: the callee's name → the index.
# Anything passed as `code=` counts too, whatever the callee.
POSITIONAL_CODE = {
    "Refusal": 0,
    "SkpError": 0,
    "__init__": 0,  # super().__init__("KADENSI_LOCKED", ...) in a Refusal subclass
    "RequestRefused": 1,
    "ClientError": 1,
    "AuthError": 1,
    "AccessDenied": 1,
    "InvalidToken": 1,
    "BodyRefused": 2,
    "json_error": 0,
    "error_response": 0,
    "error_body": 0,
    "_error": 0,
    "HttpRefusal": 0,
}
# Any other callee named like a refusal or an error takes its code first, when the first
# argument looks like one (a message never does).
REFUSAL_LIKE = re.compile(r".*(Refusal|Refused|Error)")
# Keys under which a dict literal carries a code (the GraphQL extensions, the JSON envelopes).
CODE_KEYS = {"code", "error"}
# Standards that name their own codes and are not ours: OAuth 2.0 (RFC 6749 §5.2, RFC 8628)
# errors are lowercase and so never match CODE_SHAPE; nothing else is exempt.


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literals(node: ast.AST | None) -> list[ast.Constant]:
    """The string literals a code expression may evaluate to (a literal, or either branch of
    a conditional)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [found for value in node.values for found in _literals(value)]
    return []


def _names_a_code(target: ast.expr) -> bool:
    name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
    return name == "code" or "CODE" in name.upper().split("_") or name.upper().endswith("CODES")


def emitted_codes(tree: ast.AST) -> list[ast.Constant]:
    """Every string literal of ``tree`` used as an error code: a refusal's or an error's code
    argument, `code=` anywhere, a `code = ...` assignment (class attribute or local), a
    `..._CODE(S)` constant (its values), a dict's "code" or "error" value."""
    found: list[ast.Constant] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = _callee(node)
            index = POSITIONAL_CODE.get(callee)
            if index is None and REFUSAL_LIKE.fullmatch(callee):
                index = 0
            if index is not None and len(node.args) > index:
                found += _literals(node.args[index])
            found += [
                literal
                for keyword in node.keywords
                if keyword.arg == "code"
                for literal in _literals(keyword.value)
            ]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_names_a_code(target) for target in targets) and node.value is not None:
                value = node.value
                if isinstance(value, ast.Dict):
                    found += [lit for item in value.values for lit in _literals(item)]
                elif isinstance(value, (ast.Set, ast.List, ast.Tuple)):
                    found += [lit for item in value.elts for lit in _literals(item)]
                else:
                    found += _literals(value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in CODE_KEYS:
                    found += _literals(value)
    return [literal for literal in found if CODE_SHAPE.fullmatch(literal.value)]


def _sources() -> list[tuple[Path, ast.AST]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "error_codes.py"
    ]


SOURCES = _sources()


def test_the_scan_finds_codes_in_every_shape_they_are_written():
    sample = ast.parse(
        "raise Refusal('A_ONE', 'm', 'FIELD_NAME')\n"
        "class X(ClientError):\n    code = 'B_TWO'\n"
        "raise InvalidToken('m', code='C_THREE')\n"
        "raise BodyRefused('m', 413, 'D_FOUR')\n"
        "json_error('E_FIVE', 'm', 400)\n"
        "e = {'message': 'm', 'extensions': {'code': 'F_SIX' if x else 'G_SEVEN'}}\n"
        "REQUEST_ERROR_CODE = 'H_EIGHT'\n"
        "_STATUS_CODES = {400: 'I_NINE'}\n"
        "super().__init__('J_TEN', message, 'kadensi')\n"
        "raise HttpRefusal('K_ELEVEN', 'm', 429)\n"
        "raise TenantError('L_TWELVE')\n"
        "print('NOT_A_CODE')\n"
    )
    assert sorted(lit.value for lit in emitted_codes(sample)) == [
        "A_ONE", "B_TWO", "C_THREE", "D_FOUR", "E_FIVE", "F_SIX", "G_SEVEN", "H_EIGHT",
        "I_NINE", "J_TEN", "K_ELEVEN", "L_TWELVE",
    ]  # fmt: skip


def test_every_code_emitted_is_an_error_code():
    unknown = sorted(
        f"{path.relative_to(ROOT)}:{literal.lineno}: {literal.value}"
        for path, tree in SOURCES
        for literal in emitted_codes(tree)
        if literal.value not in ErrorCode.__members__
    )
    assert not unknown, (
        "codes not in ErrorCode (append them to ekinerja/error_codes.py, or use the existing "
        "code of the same fault):\n" + "\n".join(unknown)
    )


def _mentioned() -> set[str]:
    """Every code named in the package: as `ErrorCode.NAME`, or as a string literal anywhere
    but in the body of an enum class (a table that picks a code per case, a constant that holds
    one, the call that emits it); the values of the domain's enums do not count."""
    names: set[str] = set()
    for _, tree in SOURCES:
        in_enums = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and any("Enum" in ast.unparse(base) for base in node.bases)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in in_enums:
                continue
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "ErrorCode"
            ):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return names


def test_every_error_code_is_emitted_somewhere_or_reserved():
    mentioned = _mentioned()
    dead = sorted(code.name for code in ErrorCode if code.name not in mentioned)
    assert not dead or set(dead) <= {code.name for code in RESERVED}, (
        "ErrorCode members no code emits (remove them, or list them in RESERVED with why): "
        + ", ".join(sorted(set(dead) - {code.name for code in RESERVED}))
    )
    emitted_and_reserved = sorted(code.name for code in RESERVED if code.name in mentioned)
    assert not emitted_and_reserved, f"emitted, so not reserved: {emitted_and_reserved}"
    assert all(reason.strip() for reason in RESERVED.values())


def test_a_retired_code_is_emitted_nowhere():
    """One code per fault: the synonyms unified in decision 0030 stay gone."""
    assert not set(RETIRED) & set(ErrorCode.__members__)
    mentioned = _mentioned()
    assert not sorted(set(RETIRED) & mentioned), "a retired code is back: use its replacement"


def test_every_error_code_is_its_own_name_and_described():
    assert all(code.value == code.name and CODE_SHAPE.fullmatch(code.name) for code in ErrorCode)
    text = descriptions()
    missing = [code.name for code in ErrorCode if not text.get(code, "").strip()]
    assert not missing, f"no comment (its SDL description) after: {missing}"


def test_a_refusal_takes_an_error_code_and_refuses_any_other_string():
    assert Refusal("NOT_FOUND", "m").code is ErrorCode.NOT_FOUND
    assert Refusal(ErrorCode.STALE_VERSION, "m").code is ErrorCode.STALE_VERSION
    assert RequestRefused("m", "TENANT_SUSPENDED").code is ErrorCode.TENANT_SUSPENDED
    assert ClientError("m", "FORBIDDEN").code is ErrorCode.FORBIDDEN
    assert MutationError(code="NOT_FOUND", message="m", field=None).code is ErrorCode.NOT_FOUND
    for wrong in ("INVALID_ARGUMENT", "not_found", "Whatever"):
        with pytest.raises(ValueError):
            Refusal(wrong, "m")
        with pytest.raises(ValueError):
            RequestRefused("m", wrong)
        with pytest.raises(ValueError):
            MutationError(code=wrong, message="m", field=None)


def test_storage_codes_map_to_the_services_code_of_the_same_fault():
    assert storage_code("unsupported_media_type") is ErrorCode.UNSUPPORTED_TYPE
    assert storage_code("invalid_argument") is ErrorCode.INVALID_INPUT
    assert storage_code("too_large") is ErrorCode.TOO_LARGE
    assert storage_code("checksum_mismatch") is ErrorCode.CHECKSUM_MISMATCH
    assert storage_code("storage_unavailable") is ErrorCode.STORAGE_UNAVAILABLE
    assert storage_code("something_new") is ErrorCode.STORAGE_UNAVAILABLE


@pytest.fixture(scope="module")
def schema():
    return build_schema(Settings())._schema


def test_mutation_error_code_is_the_error_code_enum_with_every_value_described(schema):
    enum = schema.type_map["ErrorCode"]
    assert isinstance(enum, GraphQLEnumType) and enum.description
    assert set(enum.values) == set(ErrorCode.__members__)
    assert all(value.description for value in enum.values.values())
    assert get_named_type(schema.type_map["MutationError"].fields["code"].type) is enum


def _failures(type_) -> set[str]:
    """The failure types a mutation's result may carry: the union members with a `code` field,
    or those of a payload's fields."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLUnionType):
        return {member.name for member in named.types if "code" in member.fields}
    if isinstance(named, GraphQLObjectType):
        return {name for field in named.fields.values() for name in _failures(field.type)}
    return set()


def test_every_mutation_returns_its_failures_as_data_typed_by_error_code(schema):
    untyped = sorted(
        name
        for name, field in schema.mutation_type.fields.items()
        if "MutationError" not in _failures(field.type)
    )
    assert not untyped, f"mutations without MutationError in their result: {untyped}"
    failure_types = {
        name for field in schema.mutation_type.fields.values() for name in _failures(field.type)
    }
    for name in failure_types:
        code = schema.type_map[name].fields["code"].type
        assert get_named_type(code) is schema.type_map["ErrorCode"], f"{name}.code is {code}"
