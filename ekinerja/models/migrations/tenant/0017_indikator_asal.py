"""Where an indikator was copied from in a revision, so direct-cascading parts follow it
(decision 0019)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0016_keberatan_atasan_eksternal')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Indikator',
            name='asal',
            field=fields.ForeignKeyField('tenant.Indikator', source_field='asal_id', null=True, description='The indikator of the previous version this one was copied from.', db_constraint=True, to_field='id', related_name='salinan', on_delete=OnDelete.SET_NULL),
        ),
    ]
