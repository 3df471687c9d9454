"""Python edits behind the schema's names, found from the Strawberry schema itself.

How each GraphQL name is produced decides the edit:
- a type whose Python class (or union alias) carries the GraphQL name: the symbol is renamed
  where it is defined and wherever it is imported from there (import-aware, so another class of
  the same name elsewhere, e.g. `ekinerja.contract.changes.Change`, is not touched);
- a type, field or argument given `name="…"`: that string is replaced at its definition;
- a field with a resolver: the resolver's `def` is renamed (snake_case of the new name);
- a field without a resolver (a dataclass attribute, read by Python code under its Python
  name): `name="…"` is added at its declaration, so the contract changes and no Python
  reader of the attribute can be missed;
- an argument: the parameter is renamed inside its resolver (ast: the parameter and the
  names that read it; keyword arguments of calls inside are other functions' and stay).
"""

from __future__ import annotations

import ast
import inspect
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from edits import EditSet, Refusal


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass
class Report:
    done: list[str]
    skipped: list[str]
    refused: list[str]


def module_name(root: Path, path: Path) -> str | None:
    rel = path.resolve().relative_to(root.resolve())
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def resolve_from(root: Path, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    here = module_name(root, path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
    return ".".join(base + ([node.module] if node.module else []))


class PythonTree:
    def __init__(self, root: Path, files: list[Path], edits: EditSet) -> None:
        self.root = root
        self.files = files
        self.edits = edits
        self._ast: dict[Path, ast.Module] = {}
        self._names: dict[Path, list[tokenize.TokenInfo]] = {}

    def tree(self, path: Path) -> ast.Module:
        path = path.resolve()
        if path not in self._ast:
            self._ast[path] = ast.parse(self.edits.source(path).text)
        return self._ast[path]

    def name_tokens(self, path: Path) -> list[tokenize.TokenInfo]:
        path = path.resolve()
        if path not in self._names:
            self._names[path] = [
                t for t in self.edits.source(path).tokens() if t.type == tokenize.NAME
            ]
        return self._names[path]

    def rename_all_names(self, path: Path, old: str, new: str, why: str) -> None:
        src = self.edits.source(path)
        for t in self.name_tokens(path):
            if t.string == old:
                self.edits.replace_span(src, t.start[0], t.start[1], old, new, why)

    def has_name(self, path: Path, name: str) -> bool:
        return any(t.string == name for t in self.name_tokens(path))

    # -- module-level symbols -------------------------------------------------------------
    def imports(self, path: Path) -> list:
        path = path.resolve()
        if not hasattr(self, "_imports"):
            self._imports = {}
        if path not in self._imports:
            try:
                tree = self.tree(path)
            except SyntaxError:
                self._imports[path] = []
            else:
                self._imports[path] = [
                    n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                ]
        return self._imports[path]

    def rename_symbol(self, def_file: Path, old: str, new: str, why: str) -> int:
        """Rename a module-level symbol where it is defined and imported (transitively through
        re-exports), and `module.old` attribute reads of a module that holds it."""
        def_file = def_file.resolve()
        holders = {module_name(self.root, def_file)}
        files_using = {def_file}
        changed = True
        while changed:
            changed = False
            for path in self.files:
                path = path.resolve()
                if path in files_using:
                    continue
                for node in self.imports(path):
                    if isinstance(node, ast.ImportFrom) and any(a.name == old for a in node.names):
                        if resolve_from(self.root, path, node) in holders:
                            files_using.add(path)
                            holders.add(module_name(self.root, path))
                            changed = True
                            break
        for path in files_using:
            if self.has_name(path, new):
                raise Refusal(f"{self.edits.rel(path)}: `{new}` is already a name there ({why})")
        for path in files_using:
            self.rename_all_names(path, old, new, why)
        # `module.Old` reads (import ekinerja.x.y as m; m.Old)
        for path in self.files:
            path = path.resolve()
            if path in files_using:
                continue
            bound: set[str] = set()
            for node in self.imports(path):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        if a.name in holders:
                            bound.add(a.asname or a.name)
                elif isinstance(node, ast.ImportFrom):
                    base = resolve_from(self.root, path, node)
                    for a in node.names:
                        if f"{base}.{a.name}" in holders:
                            bound.add(a.asname or a.name)
            if not bound:
                continue
            tree = self.tree(path)
            src = self.edits.source(path)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == old
                    and ast.unparse(node.value) in bound
                ):
                    line, col = node.end_lineno, node.end_col_offset - len(old)
                    self.edits.replace_span(src, line, col, old, new, why)
                    files_using.add(path)
        return len(files_using)

    # -- strings at a definition ------------------------------------------------------------
    def replace_string(self, path: Path, lines: tuple[int, int], old: str, new: str, why: str):
        src = self.edits.source(path)
        hits = 0
        for t in src.tokens():
            if t.type != tokenize.STRING or not (lines[0] <= t.start[0] <= lines[1]):
                continue
            try:
                value = ast.literal_eval(t.string)
            except Exception:
                continue
            if value == old:
                quote = t.string[-1]
                start = src.offset(*t.start)
                prefix_len = len(t.string) - len(t.string.lstrip("rbuRBU"))
                self.edits.add(
                    path,
                    start + prefix_len + 1,
                    start + len(t.string) - 1,
                    new,
                    why,
                )
                hits += 1
                del quote
        return hits

    def function_node(self, func) -> tuple[Path, ast.AsyncFunctionDef | ast.FunctionDef]:
        func = inspect.unwrap(func)
        path = Path(inspect.getsourcefile(func)).resolve()
        first = func.__code__.co_firstlineno
        for node in ast.walk(self.tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == (
                func.__name__
            ):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if start == first or node.lineno == first:
                    return path, node
        raise Refusal(f"cannot find the def of {func.__qualname__} in {path}")

    def class_node(self, cls) -> tuple[Path, ast.ClassDef]:
        path = Path(inspect.getsourcefile(cls)).resolve()
        hits = [
            n
            for n in ast.walk(self.tree(path))
            if isinstance(n, ast.ClassDef) and n.name == cls.__name__
        ]
        if len(hits) != 1:
            raise Refusal(f"{cls.__qualname__}: {len(hits)} classes of that name in {path}")
        return path, hits[0]

    def rename_def(self, func, new: str, why: str) -> None:
        path, node = self.function_node(func)
        src = self.edits.source(path)
        toks = [t for t in self.name_tokens(path) if t.start[0] >= node.lineno]
        for a, b in zip(toks, toks[1:], strict=False):
            if a.string == "def" and b.string == node.name:
                self.edits.replace_span(src, b.start[0], b.start[1], node.name, new, why)
                return
        raise Refusal(f"no def token for {node.name} in {path}")

    def rename_parameter(self, func, old: str, new: str, why: str) -> None:
        path, node = self.function_node(func)
        src = self.edits.source(path)
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        params = {a.arg for a in ast.walk(node) if isinstance(a, ast.arg)}
        if new in names or new in params:
            raise Refusal(
                f"{self.edits.rel(path)}:{node.lineno}: `{new}` already used in {node.name}"
            )
        for n in ast.walk(node):
            if isinstance(n, ast.arg) and n.arg == old:
                self.edits.replace_span(src, n.lineno, n.col_offset, old, new, why)
            elif isinstance(n, ast.Name) and n.id == old:
                self.edits.replace_span(src, n.lineno, n.col_offset, old, new, why)

    def rename_class_attribute(self, cls, old: str, new: str, why: str) -> None:
        path, klass = self.class_node(cls)
        src = self.edits.source(path)
        if any(isinstance(n, ast.Name) and n.id == new for n in ast.walk(klass)):
            raise Refusal(f"{why}: `{new}` is already a name in {cls.__qualname__}")
        for stmt in klass.body:
            targets = (
                stmt.targets
                if isinstance(stmt, ast.Assign)
                else ([stmt.target] if isinstance(stmt, ast.AnnAssign) else [])
            )
            for t in targets:
                if isinstance(t, ast.Name) and t.id == old:
                    self.edits.replace_span(src, t.lineno, t.col_offset, old, new, why)
                    return
        raise Refusal(f"{why}: no `{old} = …` in {cls.__qualname__}")

    def name_argument(self, func, python_name: str, new_graphql: str, why: str) -> None:
        path, node = self.function_node(func)
        src = self.edits.source(path)
        for a in node.args.args + node.args.kwonlyargs:
            if a.arg != python_name:
                continue
            for n in ast.walk(a.annotation) if a.annotation else ():
                if isinstance(n, ast.Call) and ast.unparse(n.func) == "strawberry.argument":
                    end = src.offset(n.end_lineno, n.end_col_offset) - 1
                    before = src.text[src.offset(n.lineno, n.col_offset) : end].rstrip()
                    sep = "" if before.endswith("(") else (" " if before.endswith(",") else ", ")
                    self.edits.add(path, end, end, f'{sep}name="{new_graphql}"', why)
                    return
        raise Refusal(f"{why}: the parameter has no strawberry.argument(...) to take name=")

    def name_attribute(self, cls, python_name: str, new_graphql: str, why: str) -> None:
        """Give a resolver-less field `name="new"` at its declaration in its class body."""
        path, klass = self.class_node(cls)
        src = self.edits.source(path)
        for stmt in klass.body:
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == python_name
            ):
                break
        else:
            raise Refusal(f"{cls.__qualname__}.{python_name}: no declaration in its class body")
        literal = f'name="{new_graphql}"'
        value = stmt.value
        if value is None:
            end = src.offset(stmt.end_lineno, stmt.end_col_offset)
            self.edits.add(path, end, end, f" = strawberry.field({literal})", why)
            self._need_strawberry(path)
        elif isinstance(value, ast.Call) and ast.unparse(value.func) in (
            "strawberry.field",
            "field",
        ):
            if any(k.arg == "name" for k in value.keywords):
                raise Refusal(f"{cls.__qualname__}.{python_name}: has name= already")
            end = src.offset(value.end_lineno, value.end_col_offset) - 1  # before ")"
            before = src.text[src.offset(value.lineno, value.col_offset) : end].rstrip()
            sep = "" if before.endswith("(") else ", "
            if before.endswith(","):
                sep = " "
            self.edits.add(path, end, end, f"{sep}{literal}", why)
        else:
            start = src.offset(value.lineno, value.col_offset)
            end = src.offset(value.end_lineno, value.end_col_offset)
            default = src.text[start:end]
            kw = (
                "default_factory=lambda: "
                if isinstance(value, (ast.List, ast.Dict, ast.Set))
                else "default="
            )
            self.edits.add(path, start, end, f"strawberry.field({kw}{default}, {literal})", why)
            self._need_strawberry(path)

    def _need_strawberry(self, path: Path) -> None:
        for node in self.tree(path).body:
            if isinstance(node, ast.Import) and any(a.name == "strawberry" for a in node.names):
                return
        raise Refusal(f"{self.edits.rel(path)}: needs `import strawberry` for name=")


def schema_edits(root: Path, tree: PythonTree, mapping: dict, report: Report) -> dict:
    """Collect the Python edits for [fields], [arguments] and [types]; returns the old SDL."""
    from strawberry.types.base import StrawberryObjectDefinition
    from strawberry.types.enum import StrawberryEnumDefinition as EnumDefinition
    from strawberry.types.union import StrawberryUnion

    from ekinerja.schema import build_schema
    from ekinerja.settings import Settings

    schema = build_schema(Settings())
    old_sdl = schema.as_str() + "\n"
    gql = schema._schema

    def field_of(type_name: str, field_name: str):
        definition = schema.get_type_by_name(type_name)
        if not isinstance(definition, StrawberryObjectDefinition):
            return None
        for f in definition.fields:
            if schema.config.name_converter.get_graphql_name(f) == field_name:
                return definition, f
        return None

    # fields
    for coord, new in mapping.get("fields", {}).items():
        type_name, field_name = coord.split(".")
        hit = field_of(type_name, field_name)
        if not hit:
            report.skipped.append(f"field {coord}: not in the schema any more")
            continue
        definition, f = hit
        if gql.get_type(type_name) and new in gql.get_type(type_name).fields:
            report.refused.append(f"field {coord} → {new}: {type_name}.{new} exists already")
            continue
        why = f"field {coord} → {new}"
        try:
            if f.graphql_name:
                func = f.base_resolver.wrapped_func if f.base_resolver else None
                if func:
                    path, node = tree.function_node(func)
                    lines = (
                        min([node.lineno] + [d.lineno for d in node.decorator_list]),
                        node.lineno,
                    )
                else:
                    path, node = tree.class_node(f.origin or definition.origin)
                    lines = (node.lineno, node.end_lineno)
                if not tree.replace_string(path, lines, f.graphql_name, new, why):
                    raise Refusal(f"{why}: name={f.graphql_name!r} not found at the definition")
            elif f.base_resolver and f.base_resolver.wrapped_func.__name__ == f.python_name:
                tree.rename_def(f.base_resolver.wrapped_func, snake(new), why)
            elif f.base_resolver:
                # `me = strawberry.field(resolver=resolve_me)`: the attribute carries the name
                tree.rename_class_attribute(
                    f.origin or definition.origin, f.python_name, snake(new), why
                )
            else:
                tree.name_attribute(f.origin or definition.origin, f.python_name, new, why)
            report.done.append(why)
        except Refusal as e:
            report.refused.append(str(e))

    # arguments
    for coord, new in mapping.get("arguments", {}).items():
        m = re.fullmatch(r"(\w+)\.(\w+)\((\w+)\)", coord)
        type_name, field_name, arg_name = m.groups()
        hit = field_of(type_name, field_name)
        why = f"argument {coord} → {new}"
        if not hit:
            report.skipped.append(f"argument {coord}: field not in the schema any more")
            continue
        _, f = hit
        args = [
            a for a in f.arguments if schema.config.name_converter.get_graphql_name(a) == arg_name
        ]
        if not args:
            report.skipped.append(f"argument {coord}: not in the schema any more")
            continue
        arg = args[0]
        try:
            if arg.graphql_name:
                path, node = tree.function_node(f.base_resolver.wrapped_func)
                if not tree.replace_string(
                    path, (node.lineno, node.end_lineno), arg.graphql_name, new, why
                ):
                    raise Refusal(f"{why}: name= not found")
            else:
                try:
                    tree.rename_parameter(
                        f.base_resolver.wrapped_func, arg.python_name, snake(new), why
                    )
                except Refusal:
                    # the new Python name is taken inside the resolver: name= on the argument
                    tree.name_argument(f.base_resolver.wrapped_func, arg.python_name, new, why)
            report.done.append(why)
        except Refusal as e:
            report.refused.append(str(e))

    # types
    schema_dir = (root / "ekinerja" / "schema").resolve()
    for old, new in mapping.get("types", {}).items():
        why = f"type {old} → {new}"
        definition = schema.get_type_by_name(old)
        if definition is None:
            report.skipped.append(f"type {old}: not in the schema any more")
            continue
        if gql.get_type(new) is not None:
            report.refused.append(f"{why}: {new} exists already")
            continue
        try:
            if isinstance(definition, StrawberryUnion):
                hits = 0
                for path in tree.files:
                    if schema_dir in path.resolve().parents:
                        hits += tree.replace_string(path, (1, 10**9), old, new, why)
                if hits != 1:
                    raise Refusal(f"{why}: the union's name string found {hits} times")
                # the alias that carries the union, if it has the same name
                defs = [
                    p
                    for p in tree.files
                    if schema_dir in p.resolve().parents
                    and any(
                        isinstance(n, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == old for t in n.targets)
                        or isinstance(n, ast.AnnAssign)
                        and isinstance(n.target, ast.Name)
                        and n.target.id == old
                        for n in tree.tree(p).body
                    )
                ]
                if len(defs) == 1:
                    tree.rename_symbol(defs[0], old, new, why)
                elif len(defs) > 1:
                    raise Refusal(f"{why}: the union alias is defined {len(defs)} times")
            else:
                cls = (
                    definition.wrapped_cls
                    if isinstance(definition, EnumDefinition)
                    else definition.origin
                )
                path = Path(inspect.getsourcefile(cls)).resolve()
                # name="Old" where the type is made (decorator or described_enum), if given
                # Every exact "Old" string in the schema package names the GraphQL type:
                # name="Old" where the type is made, the typename of its global ids.
                hits = 0
                for p in tree.files:
                    if schema_dir in p.resolve().parents or p.resolve() == path:
                        hits += tree.replace_string(p, (1, 10**9), old, new, why)
                if cls.__name__ == old:
                    try:
                        tree.rename_symbol(path, old, new, why)
                    except Refusal:
                        if not hits:
                            raise
                        # name= carries the GraphQL name; the Python class keeps its own
                elif not hits:
                    raise Refusal(f"{why}: neither the class nor a name= carries the name")
            report.done.append(why)
        except Refusal as e:
            report.refused.append(str(e))
    return {"old_sdl": old_sdl}
