"""Guards on the migration files themselves."""

from __future__ import annotations

import importlib
import pkgutil

from tortoise.migrations import operations as ops

from ekinerja.db.config import MIGRATION_MODULES, TENANT_APP


def _migrations(app: str):
    package = importlib.import_module(MIGRATION_MODULES[app])
    for _, name, _ in pkgutil.iter_modules(package.__path__):
        yield name, importlib.import_module(f"{package.__name__}.{name}").Migration


def test_tenant_migrations_never_reach_outside_the_tenant_schema():
    # makemigrations copies the shared app's CreateSchema into tenant migrations; a tenant
    # migration must create tables only in the schema it is bound to.
    for name, migration in _migrations(TENANT_APP):
        for operation in migration.operations:
            assert not isinstance(operation, ops.CreateSchema), name
            options = getattr(operation, "options", None) or {}
            assert not options.get("schema"), name


def test_migration_names_are_numbered_and_linear():
    for app in MIGRATION_MODULES:
        names = sorted(name for name, _ in _migrations(app))
        assert [int(n[:4]) for n in names] == list(range(1, len(names) + 1)), app
