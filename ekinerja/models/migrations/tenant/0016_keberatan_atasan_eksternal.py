"""A keberatan may go to an atasan pejabat penilai outside the system (decision 0023): its
atasan pegawai id is then empty."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0015_import_jobs')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Keberatan',
            name='atasan_pegawai_id',
            field=fields.IntField(null=True, description='The snapshotted atasan pejabat penilai; null when external.'),
        ),
    ]
