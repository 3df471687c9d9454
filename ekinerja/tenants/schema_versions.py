"""The schema version the code expects: the newest migration on disk for an app.

Migrations are numbered (`0001_initial`, `0002_…`) and history is kept linear, so the newest is
the greatest name. Comparing it with the registry's `schema_version` lets a no-op `migrate` skip an
up-to-date tenant without touching its schema.

Rolling a release out (expand, then contract): a tenant migration that only adds (a table, a
nullable or defaulted column, an index, a backfill of what it added) says `ADDITIVE = True` in its
module; code of the release before it works on the schema after it. `migrate` writes, beside the
schema version, the oldest code that can serve it (`oldest_serving_version`: the newest migration
that is not additive), so the release still running goes on serving tenants the new release's
setup has migrated (`serves`). A migration that drops or renames what older code reads is not
additive: it runs in the release after the code stopped reading it.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ekinerja.db.config import MIGRATION_MODULES, SHARED_APP, TENANT_APP


@cache
def versions(app: str) -> tuple[str, ...]:
    """The app's migrations, oldest first."""
    package = importlib.import_module(MIGRATION_MODULES[app])
    names = sorted(name for _, name, is_pkg in pkgutil.iter_modules(package.__path__) if not is_pkg)
    if not names:
        raise RuntimeError(f"app {app} has no migrations")
    return tuple(names)


def latest_version(app: str) -> str:
    return versions(app)[-1]


def is_additive(name: str) -> bool:
    """Whether tenant migration ``name`` only adds (its module's ``ADDITIVE``)."""
    module = importlib.import_module(f"{MIGRATION_MODULES[TENANT_APP]}.{name}")
    return getattr(module, "ADDITIVE", False) is True


@cache
def oldest_serving_version(target: str) -> str:
    """The oldest code that can serve a tenant schema at ``target``: the newest migration up to
    it that is not additive (the first migration is never additive)."""
    floor = None
    for name in versions(TENANT_APP):
        if name > target:
            break
        if floor is None or not is_additive(name):
            floor = name
    if floor is None:
        raise RuntimeError(f"no tenant migration up to {target}")
    return floor


def serves(schema_version: str | None, oldest_serving: str | None, code: str) -> bool:
    """Whether code at tenant version ``code`` can serve a schema at ``schema_version`` whose
    oldest serving code is ``oldest_serving``: the same version, or a newer schema that only
    added since ``code``."""
    if schema_version is None:
        return False
    if schema_version == code:
        return True
    return schema_version > code and oldest_serving is not None and oldest_serving <= code


def latest_tenant_version() -> str:
    return latest_version(TENANT_APP)


def latest_shared_version() -> str:
    return latest_version(SHARED_APP)
