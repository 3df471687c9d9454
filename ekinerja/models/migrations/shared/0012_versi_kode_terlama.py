"""Rolling a release out while the fleet serves (issue 18): the oldest code (tenant migration
name) that can still serve a tenant's schema, written by `migrate` with the schema version.
A release whose tenant migrations only add (ADDITIVE = True in the migration module) keeps the
previous floor, so the running code goes on serving a tenant the new release's setup has
already migrated. Null: only code at exactly the schema version serves it."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('shared', '0011_sesi_refresh_token')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Instansi',
            name='oldest_serving_version',
            field=fields.CharField(source_field='versi_kode_terlama', null=True, description='The oldest code (tenant migration name) that can serve this schema; null: only code at exactly schema_version.', max_length=100),
        ),
    ]
