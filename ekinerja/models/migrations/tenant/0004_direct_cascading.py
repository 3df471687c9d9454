from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.skp.enums import DasarPembagian
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0003_skp')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Indikator',
            name='bagian_dari',
            field=fields.ForeignKeyField('tenant.Indikator', source_field='bagian_dari_id', null=True, db_constraint=True, to_field='id', related_name='bagian', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Indikator',
            name='dasar_pembagian',
            field=fields.CharEnumField(null=True, description='PORSI: PORSI\nWILAYAH: WILAYAH\nASPEK: ASPEK', enum_type=DasarPembagian, max_length=10),
        ),
        ops.AddField(
            model_name='Indikator',
            name='wilayah',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddIndex(
            model_name='Indikator',
            index=Index(fields=['bagian_dari_id']),
        ),
    ]
