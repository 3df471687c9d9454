"""The schema version the code expects: the newest migration on disk for an app.

Migrations are numbered (`0001_initial`, `0002_…`) and history is kept linear, so the newest is
the greatest name. Comparing it with the registry's `schema_version` lets a no-op `migrate` skip an
up-to-date tenant without touching its schema.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ekinerja.db.config import MIGRATION_MODULES, SHARED_APP, TENANT_APP


@cache
def latest_version(app: str) -> str:
    package = importlib.import_module(MIGRATION_MODULES[app])
    names = sorted(name for _, name, is_pkg in pkgutil.iter_modules(package.__path__) if not is_pkg)
    if not names:
        raise RuntimeError(f"app {app} has no migrations")
    return names[-1]


def latest_tenant_version() -> str:
    return latest_version(TENANT_APP)


def latest_shared_version() -> str:
    return latest_version(SHARED_APP)
