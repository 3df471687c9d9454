"""Indexes for the keyset order of the deliveries list (decision 0029): `webhookPengiriman` is
read newest first (`id DESC`) after a cursor, filtered by subscription or by state, so each page
is a range scan of one index instead of a sort of every delivery of the subscription or state.
The other connections' orders already have theirs (pegawai (nama, id), skp (penilai, status),
keberatan (atasan, status), the primary keys)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0017_indikator_asal')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='WebhookPengiriman',
            index=Index(fields=['langganan_id', 'id']),
        ),
        ops.AddIndex(
            model_name='WebhookPengiriman',
            index=Index(fields=['status', 'id']),
        ),
    ]
