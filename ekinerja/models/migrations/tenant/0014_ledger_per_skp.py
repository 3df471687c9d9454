"""The angka kredit ledger is keyed by evaluation (SKP and window), not by pegawai and window: a
pegawai transferred mid-window has a line under each SKP (issue 15, #1). (pegawai, periode)
stays as a plain index for reading a pegawai's ledger."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('tenant', '0013_outbox_pangkas')]

    initial = False

    operations = [
        ops.RemoveConstraint(
            model_name='AngkaKredit',
            name=None,
            fields=['pegawai_id', 'periode'],
        ),
        ops.AlterModelOptions(
            name='AngkaKredit',
            options={'table': 'angka_kredit', 'app': 'tenant', 'unique_together': (('evaluasi_id',),), 'indexes': [Index(fields=['pegawai_id', 'periode'])], 'pk_attr': 'id', 'table_description': 'One ledger line: the angka kredit a jabatan fungsional pegawai earned in one window'},
        ),
        ops.AddIndex(
            model_name='AngkaKredit',
            index=Index(fields=['pegawai_id', 'periode']),
        ),
        ops.AddConstraint(
            model_name='AngkaKredit',
            constraint=UniqueConstraint(fields=('evaluasi_id',), name=None),
        ),
    ]
