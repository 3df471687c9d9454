from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.skp.enums import JenisRhk
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0004_direct_cascading')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RhkTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('jabatan', fields.ForeignKeyField('tenant.Jabatan', source_field='jabatan_id', db_constraint=True, to_field='id', related_name='rhk_template', on_delete=OnDelete.RESTRICT)),
                ('urutan', fields.IntField(default=0)),
                ('teks', fields.TextField(unique=False)),
                ('jenis', fields.CharEnumField(default=JenisRhk.UTAMA, description='UTAMA: UTAMA\nTAMBAHAN: TAMBAHAN', enum_type=JenisRhk, max_length=10)),
                ('indikator', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'rhk_template', 'app': 'tenant', 'indexes': [Index(fields=['jabatan_id', 'urutan'])], 'pk_attr': 'id', 'table_description': 'An RHK the admin instansi offers to everyone holding a jabatan, with its indikator'},
            bases=['Model'],
        ),
    ]
