from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0018_keyset_indexes')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='AngkaKredit',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='AngkaKredit',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='AuditEvent',
            name='action',
            field=fields.CharField(source_field='aksi', max_length=100),
        ),
        ops.AlterField(
            model_name='AuditEvent',
            name='actor',
            field=fields.CharField(source_field='pelaku', description='NIP, client id or `system`.', max_length=100),
        ),
        ops.AlterField(
            model_name='AuditEvent',
            name='detail',
            field=fields.JSONField(source_field='rincian', default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AlterField(
            model_name='AuditEvent',
            name='entity',
            field=fields.CharField(source_field='entitas', max_length=50),
        ),
        ops.AlterField(
            model_name='AuditEvent',
            name='entity_id',
            field=fields.CharField(source_field='entitas_id', null=True, max_length=50),
        ),
        ops.AlterField(
            model_name='AuditEvent',
            name='occurred_at',
            field=fields.DatetimeField(source_field='terjadi_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='BuktiDukung',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='EvaluasiPeriodik',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='EvaluasiPeriodik',
            name='lock_version',
            field=fields.IntField(source_field='versi_kunci', default=1),
        ),
        ops.AlterField(
            model_name='EvaluasiPeriodik',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='IdempotencyKey',
            name='key',
            field=fields.CharField(source_field='kunci', description='The Idempotency-Key header as sent.', max_length=200),
        ),
        ops.AlterField(
            model_name='ImporKepegawaian',
            name='dry_run',
            field=fields.BooleanField(source_field='uji', description='Check (and count) only; nothing is kept.'),
        ),
        ops.AlterField(
            model_name='KinerjaOrganisasi',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='KinerjaOrganisasi',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Pegawai',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='Pegawai',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='ProgresHarian',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='ProgresHarian',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Realisasi',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='Realisasi',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='RhkTemplate',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='RiwayatEvaluasi',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='Skp',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='Skp',
            name='lineage_id',
            field=fields.IntField(source_field='asal_id', null=True, description='Id of the first version.'),
        ),
        ops.AlterField(
            model_name='Skp',
            name='lock_version',
            field=fields.IntField(source_field='versi_kunci', default=1),
        ),
        ops.AlterField(
            model_name='Skp',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='TanggapanUmpanBalik',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='TenantSetting',
            name='key',
            field=fields.CharField(source_field='kunci', unique=True, max_length=100),
        ),
        ops.AlterField(
            model_name='TenantSetting',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='TenantSetting',
            name='value',
            field=fields.JSONField(source_field='nilai', encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AlterField(
            model_name='UmpanBalik',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='UmpanBalik',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='UnitKerja',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
    ]
