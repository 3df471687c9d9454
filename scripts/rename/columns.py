"""Columns: the model field keeps its Python name and gets `source_field="new_column"`; raw SQL
that names the column is rewritten; the migration is Tortoise's own (`makemigrations` sees a
changed `source_field` as an AlterField, which its schema editor runs as
ALTER TABLE … RENAME COLUMN).

Raw SQL is a string that looks like SQL. A column word is replaced in it only when the old name
means the same column in every table that has it (every `created_at` becomes `dibuat_pada`) and,
for a word that is also ordinary SQL or a catalog's column (`key`, `value`, `schema_name`), only
in a statement that names one of its tables.
"""

from __future__ import annotations

import ast
import inspect
import re
import tokenize
from pathlib import Path

from edits import EditSet

_SQL = re.compile(
    r"\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|RETURNING|WHERE|ORDER\s+BY|GROUP\s+BY|"
    r"ON\s+CONFLICT|CREATE\s+INDEX|ALTER\s+TABLE|JOIN|VALUES)\b"
)
# Words that need their table named in the same statement to be replaced.
_GUARDED = {
    "key",
    "value",
    "action",
    "actor",
    "detail",
    "entity",
    "entity_id",
    "parent_id",
    "schema_name",
    "role_name",
    "event_id",
}


def load_models():
    from tortoise import Tortoise

    Tortoise.init_models(["ekinerja.models.tenant"], "tenant", _init_relations=True)
    Tortoise.init_models(["ekinerja.models.shared"], "shared", _init_relations=True)
    return Tortoise.apps


def plan(mapping: dict, report) -> dict:
    """{(app, table, column): (model, field_name, fk_name | None, new)} and the SQL words."""

    apps = load_models()
    tables: dict[tuple[str, str], type] = {}
    for app in ("shared", "tenant"):
        for model in apps[app].values():
            tables[(app, model._meta.db_table)] = model
    todo = {}
    columns_by_name: dict[str, set[tuple[str, str]]] = {}
    for (app, table), model in tables.items():
        for col in model._meta.fields_db_projection.values():
            columns_by_name.setdefault(col, set()).add((app, table))
    for key, new in mapping.get("columns", {}).items():
        app, table, col = key.split(".")
        model = tables.get((app, table))
        if model is None:
            report.skipped.append(f"column {key}: no table {app}.{table}")
            continue
        hit = None
        for fname, dbcol in model._meta.fields_db_projection.items():
            if dbcol == col:
                hit = (fname, model._meta.fields_map[fname])
        if hit is None:
            report.skipped.append(f"column {key}: not a column any more")
            continue
        fname, field = hit
        fk = None
        if fname.endswith("_id") and fname[:-3] in (model._meta.fk_fields | model._meta.o2o_fields):
            fk = fname[:-3]
        if fk:
            report.refused.append(
                f"column {key} → {new}: left as is — a foreign key's column; Tortoise 1.x's "
                "makemigrations does not see a changed source_field on a ForeignKeyField "
                "(hand-written migration)"
            )
            continue
        if new in model._meta.fields_db_projection.values():
            report.refused.append(f"column {key} → {new}: {table}.{new} exists already")
            continue
        todo[(app, table, col)] = (model, fname, fk, new)
    # SQL words: an old column name renamed the same way in every table that has it
    words: dict[str, tuple[str, set[str]]] = {}
    for col, holders in columns_by_name.items():
        news = {todo[(a, t, col)][3] for a, t in holders if (a, t, col) in todo}
        if not news:
            continue
        if len(news) == 1 and all((a, t, col) in todo for a, t in holders):
            words[col] = (next(iter(news)), {t for _, t in holders})
        else:
            report.refused.append(
                f"column word `{col}`: renamed in some tables only or differently "
                f"({sorted(t for _, t in holders)}); its raw SQL is left as is"
            )
    return {"todo": todo, "words": words}


def model_edits(tree, plan_: dict, edits: EditSet, report) -> None:
    for (app, table, col), (model, fname, fk, new) in sorted(plan_["todo"].items()):
        why = f"column {app}.{table}.{col} → {new}"
        if fk:
            report.refused.append(
                f"{why}: left as is — a foreign key's column; Tortoise 1.x's makemigrations does "
                "not see a changed source_field on a ForeignKeyField (hand-written migration)"
            )
            continue
        target = fname
        path = Path(inspect.getsourcefile(model)).resolve()
        klass = [
            n
            for n in ast.walk(tree.tree(path))
            if isinstance(n, ast.ClassDef) and n.name == model.__name__
        ]
        if len(klass) != 1:
            report.refused.append(f"{why}: model class not found")
            continue
        stmt = None
        for s in klass[0].body:
            if isinstance(s, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == target for t in s.targets
            ):
                stmt = s
        if stmt is None or not isinstance(stmt.value, ast.Call):
            report.refused.append(f"{why}: declaration of `{target}` not found in its class")
            continue
        src = edits.source(path)
        call = stmt.value
        existing = [k for k in call.keywords if k.arg == "source_field"]
        if existing:
            k = existing[0].value
            start = src.offset(k.lineno, k.col_offset)
            end = src.offset(k.end_lineno, k.end_col_offset)
            edits.add(path, start, end, f'"{new}"', why)
        else:
            end = src.offset(call.end_lineno, call.end_col_offset) - 1
            before = src.text[src.offset(call.lineno, call.col_offset) : end].rstrip()
            sep = "" if before.endswith("(") else (" " if before.endswith(",") else ", ")
            edits.add(path, end, end, f'{sep}source_field="{new}"', why)
        report.done.append(why)


def sql_edits(path: Path, plan_: dict, edits: EditSet, counts: dict) -> None:
    words = plan_["words"]
    if not words:
        return
    src = edits.source(path)
    try:
        tokens = src.tokens()
    except (tokenize.TokenError, SyntaxError):
        return
    # runs of adjacent string tokens are one statement
    runs: list[list[tokenize.TokenInfo]] = []
    current: list[tokenize.TokenInfo] = []
    for t in tokens:
        if t.type == tokenize.STRING:
            current.append(t)
        elif (
            t.type in (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE)
            and current
            and t.type != tokenize.NEWLINE
        ):
            continue
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    pattern = re.compile(r"(?<![\w$])(" + "|".join(map(re.escape, words)) + r")(?![\w(])")
    for run in runs:
        whole = " ".join(t.string for t in run)
        if not _SQL.search(whole):
            continue
        for t in run:
            start = src.offset(*t.start)
            for m in pattern.finditer(t.string):
                col = m.group(1)
                new, tables = words[col]
                if col in _GUARDED and not any(
                    re.search(rf"\b{re.escape(tb)}\b", whole) for tb in tables
                ):
                    continue
                edits.add(path, start + m.start(), start + m.end(), new, f"sql: {col}")
                counts["sql"] = counts.get("sql", 0) + 1
