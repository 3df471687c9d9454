from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.models.shared import JenisInstansi, StatusInstansi
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateSchema(schema_name='shared'),
        ops.CreateModel(
            name='Instansi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kode', fields.CharField(unique=True, description='Kode instansi (BKN).', max_length=16)),
                ('nama', fields.CharField(max_length=255)),
                ('jenis', fields.CharEnumField(description='PUSAT: PUSAT\nPROVINSI: PROVINSI\nKABUPATEN: KABUPATEN\nKOTA: KOTA', enum_type=JenisInstansi, max_length=16)),
                ('schema_name', fields.CharField(unique=True, max_length=63)),
                ('role_name', fields.CharField(unique=True, max_length=63)),
                ('status', fields.CharEnumField(default=StatusInstansi.ACTIVE, description='ACTIVE: ACTIVE\nSUSPENDED: SUSPENDED', enum_type=StatusInstansi, max_length=16)),
                ('schema_version', fields.CharField(null=True, description='Latest tenant migration applied to the schema.', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'instansi', 'schema': 'shared', 'app': 'shared', 'pk_attr': 'id', 'table_description': 'The tenant registry: one row per agency and the PostgreSQL schema holding its data.'},
            bases=['Model'],
        ),
    ]
