"""An index leading with every foreign key's columns in the shared schema too (issue 17 item 4,
as tenant 0020): an identity provider's, a grant's and a secret's lookups by instansi or client,
and the checks when an instansi or client is deleted. tests/test_foreign_key_indexes.py reads
the catalog.

Plain CREATE INDEX inside the migration's transaction (no CONCURRENTLY there): each build blocks
writes to its table until done; these tables hold one row per issuer, client or grant."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('shared', '0008_pemberitahuan_registry')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ApiClientGrant',
            index=Index(fields=['instansi_id']),
        ),
        ops.AddIndex(
            model_name='ApiClientSecret',
            index=Index(fields=['api_client_id']),
        ),
        ops.AddIndex(
            model_name='IdentityProvider',
            index=Index(fields=['instansi_id']),
        ),
    ]
