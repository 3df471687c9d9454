from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('shared', '0002_identity')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditPusat',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('actor', fields.CharField(max_length=100)),
                ('action', fields.CharField(max_length=100)),
                ('detail', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('request_id', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'audit_pusat', 'schema': 'shared', 'app': 'shared', 'pk_attr': 'id', 'table_description': "The central audit log: reads that span instansi (BKN's national views). A read of one"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatistikInstansi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('instansi', fields.ForeignKeyField('shared.Instansi', source_field='instansi_id', db_constraint=True, to_field='id', related_name='statistik', on_delete=OnDelete.CASCADE)),
                ('tahun', fields.IntField()),
                ('pegawai', fields.IntField(description='Active pegawai.')),
                ('skp_dibuat', fields.IntField(description='Pegawai with an SKP for the year.')),
                ('skp_diajukan', fields.IntField(description='… whose SKP was submitted (or approved).')),
                ('skp_disetujui', fields.IntField(description='… whose SKP was approved.')),
                ('rhk_jumlah', fields.IntField(description='RHK of approved, current JA/JF SKPs.')),
                ('rhk_terhubung', fields.IntField(description="… of which cascade from a superior's RHK.")),
                ('evaluasi_diajukan', fields.IntField(description='Periodic evaluations submitted (any state).')),
                ('evaluasi_dinilai', fields.IntField(description='… rated or fixed.')),
                ('evaluasi_ditetapkan', fields.IntField(description='… fixed.')),
                ('tahunan_ditetapkan', fields.IntField(description='Annual results fixed.')),
                ('predikat', fields.JSONField(description='Fixed annual results per predikat.', encoder=JSON_DUMPS, decoder=loads)),
                ('kurva', fields.JSONField(description='Fixed unit batches of the year per curve outcome.', encoder=JSON_DUMPS, decoder=loads)),
                ('dihitung_pada', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'statistik_instansi', 'schema': 'shared', 'app': 'shared', 'unique_together': (('instansi', 'tahun'),), 'indexes': [Index(fields=['tahun'])], 'pk_attr': 'id', 'table_description': "The national read model: one instansi's figures for one year, computed inside its"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Instansi',
            name='provinsi',
            field=fields.CharField(null=True, description='BPS code of the province it is in (central: null).', max_length=2),
        ),
    ]
