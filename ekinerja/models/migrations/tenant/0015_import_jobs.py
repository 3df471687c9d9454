"""Import jobs of the admin instansi (decision 0022): the uploaded pegawai or unit file, state,
progress, lease and report."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.models.tenant.impor import JenisImpor, StatusImpor
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0014_ledger_per_skp')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImporKepegawaian',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('jenis', fields.CharEnumField(description='PEGAWAI: PEGAWAI\nUNOR: UNOR', enum_type=JenisImpor, max_length=10)),
                ('dry_run', fields.BooleanField(description='Check (and count) only; nothing is kept.')),
                ('status', fields.CharEnumField(default=StatusImpor.QUEUED, description='QUEUED: QUEUED\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nREJECTED: REJECTED\nFAILED: FAILED', enum_type=StatusImpor, max_length=10)),
                ('dari_uji_id', fields.BigIntField(null=True, db_index=True, description='The dry run this job applies (again only after a FAILED apply).')),
                ('nama_berkas', fields.CharField(max_length=255)),
                ('format', fields.CharField(description='csv or xlsx', max_length=4)),
                ('ukuran_berkas', fields.BigIntField()),
                ('berkas', fields.BinaryField(null=True, description='The file; dropped after the retention.')),
                ('fase', fields.CharField(default='queued', max_length=20)),
                ('baris_selesai', fields.IntField(default=0)),
                ('baris_total', fields.IntField(null=True)),
                ('laporan', fields.JSONField(null=True, description='Counts, the first errors and their total.', encoder=JSON_DUMPS, decoder=loads)),
                ('kesalahan', fields.JSONField(null=True, description='Every row error: [row, column, reason].', encoder=JSON_DUMPS, decoder=loads)),
                ('pesan', fields.TextField(null=True, description='Why the job was rejected or failed.', unique=False)),
                ('dibuat_oleh', fields.CharField(description='The subject who uploaded.', max_length=255)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('dimulai_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('selesai_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('percobaan', fields.IntField(default=0, description="Claims so far: the lease's fencing token.")),
                ('sewa_sampai', fields.DatetimeField(null=True, description="The running claim's lease end.", auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'impor_kepegawaian', 'app': 'tenant', 'indexes': [Index(fields=['status', 'sewa_sampai']), Index(fields=['dibuat_pada'])], 'pk_attr': 'id', 'table_description': 'One import job of a pegawai or unit file, run by the background worker.'},
            bases=['Model'],
        ),
    ]
