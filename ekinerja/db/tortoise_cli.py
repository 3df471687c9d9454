"""Configuration for Tortoise's own CLI, used to write new migrations:

    tortoise -c ekinerja.db.tortoise_cli.TORTOISE_ORM makemigrations --name what_changed

Writing migrations reads models only; applying them is `ekinerja migrate`, which runs each app in
its own schema. Review a generated tenant migration before committing: it must not touch any
other schema (tests/test_migration_files.py checks).
"""

from ekinerja.db.config import DatabaseAddress, tortoise_config
from ekinerja.settings import get_settings

_settings = get_settings()
TORTOISE_ORM = tortoise_config(
    DatabaseAddress.parse(
        _settings.database_url or "postgresql://postgres@127.0.0.1:5432/ekinerja"
    ),
    _settings,
)
