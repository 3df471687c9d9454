"""GraphQL documents and the names clients write: operations in Python strings, `.graphql`
files and fenced ```graphql blocks, rewritten by graphql-core's parser with the OLD schema's
TypeInfo (so `rows` is renamed only where it is `RowsRejected.rows`), and the response keys /
variables / `__typename` strings that name the same things in tests.
"""

from __future__ import annotations

import ast
import re
import tokenize
from pathlib import Path

from edits import EditSet
from graphql import (
    EnumValueNode,
    FieldNode,
    GraphQLSchema,
    NamedTypeNode,
    ObjectFieldNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    parse,
    visit,
)
from graphql.language import ArgumentNode


class Names:
    def __init__(self, mapping: dict, old_sdl: str) -> None:
        self.schema: GraphQLSchema = build_schema(old_sdl)
        self.fields: dict[str, str] = dict(mapping.get("fields", {}))
        self.arguments: dict[str, str] = dict(mapping.get("arguments", {}))
        self.types: dict[str, str] = dict(mapping.get("types", {}))
        self.enum_values: dict[str, str] = dict(mapping.get("enum_values", {}))
        # Input-object fields are fields too ("SaveRhkInput.expectedVersion").
        # Names that are specific enough to replace as a whole word anywhere in client text:
        # multi-word camelCase / PascalCase, renamed the same way wherever they occur.
        by_old: dict[str, set[str]] = {}
        for coord, new in self.fields.items():
            by_old.setdefault(coord.split(".")[1], set()).add(new)
        for coord, new in self.arguments.items():
            by_old.setdefault(re.search(r"\((\w+)\)", coord).group(1), set()).add(new)
        for old, new in self.types.items():
            by_old.setdefault(old, set()).add(new)
        self.pending: list = []
        self.seen_generic: set[str] = set()
        self.word: dict[str, str] = {}
        self.generic: dict[str, str] = {}
        known_fields = self._all_field_names()
        for old, news in by_old.items():
            if len(news) != 1:
                continue
            new = next(iter(news))
            specific = bool(re.search(r"[a-z][A-Z]", old)) and not (
                old in known_fields and not self._always_renamed(old)
            )
            if specific:
                self.word[old] = new
            else:
                self.generic[old] = new

    def _all_field_names(self) -> set[str]:
        names = set()
        for t in self.schema.type_map.values():
            for f in getattr(t, "fields", {}) or {}:
                names.add(f)
        return names

    def _always_renamed(self, name: str) -> bool:
        """Every field of this name in the old schema is renamed (so a bare word is safe)."""
        for t in self.schema.type_map.values():
            if t.name.startswith("__"):
                continue
            if name in (getattr(t, "fields", {}) or {}) and f"{t.name}.{name}" not in self.fields:
                return False
        return True


def rewrite_document(text: str, names: Names) -> list[tuple[int, int, str, str]] | None:
    """Edits (start, end, new, why) inside one GraphQL document, or None if it does not parse."""
    try:
        doc = parse(text)
    except Exception:
        return None
    info = TypeInfo(names.schema)
    out: list[tuple[int, int, str, str]] = []

    def put(node, new, why):
        out.append((node.loc.start, node.loc.end, new, why))

    class V(Visitor):
        def enter_field(self, node: FieldNode, *_):
            parent = info.get_parent_type()
            if parent is None:
                return
            coord = f"{parent.name}.{node.name.value}"
            if coord in names.fields:
                put(node.name, names.fields[coord], coord)

        def enter_argument(self, node: ArgumentNode, *_):
            parent = info.get_parent_type()
            field = info.get_field_def()
            if parent is None or field is None:
                return
            # the field name as the old schema knows it
            for fname, fdef in parent.fields.items():
                if fdef is field:
                    coord = f"{parent.name}.{fname}({node.name.value})"
                    if coord in names.arguments:
                        put(node.name, names.arguments[coord], coord)
                    break

        def enter_object_field(self, node: ObjectFieldNode, *_):
            parent = info.get_parent_input_type()
            parent = get_named_type(parent) if parent else None
            if parent is None:
                return
            coord = f"{parent.name}.{node.name.value}"
            if coord in names.fields:
                put(node.name, names.fields[coord], coord)

        def enter_named_type(self, node: NamedTypeNode, *_):
            if node.name.value in names.types:
                put(node.name, names.types[node.name.value], node.name.value)

        def enter_enum_value(self, node: EnumValueNode, *_):
            t = info.get_input_type()
            t = get_named_type(t) if t else None
            if t is None:
                return
            coord = f"{t.name}.{node.value}"
            if coord in names.enum_values:
                put(node, names.enum_values[coord], coord)

    visit(doc, TypeInfoVisitor(info, V()))
    return out


def _unformat(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        pair = body[i : i + 2]
        if pair == "{{":
            out.append(" {")
            i += 2
        elif pair == "}}":
            out.append("} ")
            i += 2
        elif body[i] == "{":
            end = body.find("}", i)
            end = len(body) - 1 if end < 0 else end
            out.append("a" + " " * (end - i))
            i = end + 1
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


_OPERATION = re.compile(r"^\s*(#[^\n]*\n\s*)*(query|mutation|subscription|fragment|\{)", re.S)


def word_edits(text: str, names: Names, base: int = 0) -> list[tuple[int, int, str, str]]:
    out = []
    if not names.word:
        return out
    pattern = getattr(names, "_pattern", None)
    if pattern is None:
        pattern = names._pattern = re.compile(
            r"(?<![\w$])(" + "|".join(map(re.escape, names.word)) + r")(?!\w)"
        )
    for m in pattern.finditer(text):
        out.append((base + m.start(), base + m.end(), names.word[m.group(1)], m.group(1)))
    return out


def python_file(
    path: Path, edits: EditSet, names: Names, counts: dict, exact_types: bool = True
) -> None:
    """GraphQL in string literals; exact-string response keys in a file that selects them."""
    src = edits.source(path)
    try:
        tokens = src.tokens()
    except (tokenize.TokenError, SyntaxError):
        return
    seen_generic: set[str] = set()
    keyish: list[tuple[int, int, str]] = []
    for t in tokens:
        if t.type != tokenize.STRING:
            continue
        start = src.offset(*t.start)
        body_start = start + len(t.string) - len(t.string.lstrip("rbuRBUfF"))
        qlen = 3 if t.string[body_start - start : body_start - start + 3] in ('"""', "'''") else 1
        body = t.string[body_start - start + qlen : len(t.string) - qlen]
        body_off = body_start + qlen
        is_f = "f" in t.string[: body_start - start].lower()
        try:
            value = ast.literal_eval(t.string) if not is_f else None
        except Exception:
            value = None
        if isinstance(value, str) and value in names.generic | names.word | names.types:
            keyish.append((body_off, body_off + len(body), value))
            continue
        if _OPERATION.match(body) and "\\" not in body:
            # an f-string is read with its braces undoubled and each {expression} as a field
            # `a` padded to its length, so offsets stay those of the source
            doc = rewrite_document(_unformat(body) if is_f else body, names)
            if doc is not None:
                for s, e, new, why in doc:
                    edits.add(path, body_off + s, body_off + e, new, f"document: {why}")
                    old = body[s:e]
                    if old in names.generic:
                        seen_generic.add(old)
                counts["documents"] = counts.get("documents", 0) + 1
                continue
        for s, e, new, why in word_edits(body, names, body_off):
            edits.add(path, s, e, new, f"text: {why}")
    names.pending.extend((path, s, e, old, exact_types) for s, e, old in keyish)
    names.seen_generic |= seen_generic


def key_edits(edits: EditSet, names: Names) -> None:
    """Response keys, variables and `__typename` strings, once every document is read: a
    specific name (`lockVersion`) as any exact string; a one-word name (`client`, `rows`) only
    as a subscript or `.get()` key, and only if some document selected it where it is renamed."""
    for path, s, e, old, exact_types in names.pending:
        if old in names.types and not exact_types:
            continue
        if old in names.word or old in names.types:
            new = names.word.get(old) or names.types[old]
        elif old in names.seen_generic:
            rel = edits.rel(path)
            if not rel.startswith(("tests/", "bench/", "examples/")):
                continue  # the service's own dict keys are not response keys
            text = edits.source(path).text
            before = text[: s - 1].rstrip()
            after = text[e + 1 :].lstrip()
            if not (before.endswith("[") and after.startswith("]") or before.endswith(".get(")):
                continue
            new = names.generic[old]
        else:
            continue
        edits.add(path, s, e, new, f"key: {old}")


_FENCE = re.compile(r"```graphql[^\n]*\n(.*?)```", re.S)


def text_file(path: Path, edits: EditSet, names: Names, counts: dict, prose: bool) -> None:
    """A .graphql file (a document), or Markdown: fenced graphql blocks, and, in living docs,
    the specific names in the prose."""
    src = edits.source(path)
    text = src.text
    if path.suffix == ".graphql":
        doc = rewrite_document(text, names)
        if doc is None:
            for s, e, new, why in word_edits(text, names):
                edits.add(path, s, e, new, f"text: {why}")
            return
        for s, e, new, why in doc:
            edits.add(path, s, e, new, f"document: {why}")
            if text[s:e] in names.generic:
                names.seen_generic.add(text[s:e])
        counts["documents"] = counts.get("documents", 0) + 1
        return
    covered: list[tuple[int, int]] = []
    for m in _FENCE.finditer(text):
        doc = rewrite_document(m.group(1), names)
        if doc is None:
            continue
        covered.append((m.start(1), m.end(1)))
        for s, e, new, why in doc:
            edits.add(path, m.start(1) + s, m.start(1) + e, new, f"document: {why}")
            if m.group(1)[s:e] in names.generic:
                names.seen_generic.add(m.group(1)[s:e])
        counts["documents"] = counts.get("documents", 0) + 1
    if prose:
        for s, e, new, why in word_edits(text, names):
            if not any(a <= s < b for a, b in covered):
                edits.add(path, s, e, new, f"text: {why}")
