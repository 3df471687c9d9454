from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.kepegawaian.enums import JenisJabatan, JenisKelamin, JenisKepegawaian, JenisPenugasan, JenjangFungsional, PeranAtasan, StatusPegawai
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('actor', fields.CharField(description='NIP, client id or `system`.', max_length=100)),
                ('action', fields.CharField(max_length=100)),
                ('entity', fields.CharField(max_length=50)),
                ('entity_id', fields.CharField(null=True, max_length=50)),
                ('detail', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('request_id', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'audit_event', 'app': 'tenant', 'indexes': [Index(fields=['entity', 'entity_id'])], 'pk_attr': 'id', 'table_description': 'Who did what, when, to which records. Rows are only ever inserted.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Pegawai',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('nip', fields.CharField(unique=True, description='NIP (PNS) or NI PPPK.', max_length=18)),
                ('nip_lama', fields.CharField(null=True, max_length=9)),
                ('nama', fields.CharField(max_length=255)),
                ('gelar_depan', fields.CharField(null=True, max_length=50)),
                ('gelar_belakang', fields.CharField(null=True, max_length=100)),
                ('jenis_kepegawaian', fields.CharEnumField(description='PNS: PNS\nPPPK: PPPK\nPPPK_PARUH_WAKTU: PPPK_PARUH_WAKTU', enum_type=JenisKepegawaian, max_length=20)),
                ('golongan', fields.CharField(null=True, max_length=8)),
                ('status', fields.CharEnumField(default=StatusPegawai.AKTIF, description='AKTIF: AKTIF\nCLTN: CLTN\nDIBERHENTIKAN_SEMENTARA: DIBERHENTIKAN_SEMENTARA\nPENSIUN: PENSIUN\nBERHENTI: BERHENTI\nMENINGGAL: MENINGGAL', enum_type=StatusPegawai, max_length=30)),
                ('tanggal_lahir', fields.DateField()),
                ('jenis_kelamin', fields.CharEnumField(null=True, description='LAKI_LAKI: LAKI_LAKI\nPEREMPUAN: PEREMPUAN', enum_type=JenisKelamin, max_length=10)),
                ('email', fields.CharField(null=True, max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'pegawai', 'app': 'tenant', 'indexes': [Index(fields=['nama', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AtasanOverride',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pegawai', fields.ForeignKeyField('tenant.Pegawai', source_field='pegawai_id', db_constraint=True, to_field='id', related_name='atasan_override', on_delete=OnDelete.RESTRICT)),
                ('peran', fields.CharEnumField(description='PENILAI: PENILAI\nATASAN_PENILAI: ATASAN_PENILAI', enum_type=PeranAtasan, max_length=20)),
                ('atasan', fields.ForeignKeyField('tenant.Pegawai', source_field='atasan_id', null=True, db_constraint=True, to_field='id', related_name='override_sebagai_atasan', on_delete=OnDelete.RESTRICT)),
                ('eksternal_nama', fields.CharField(null=True, max_length=255)),
                ('eksternal_jabatan', fields.CharField(null=True, max_length=255)),
                ('berlaku_mulai', fields.DateField()),
                ('berlaku_sampai', fields.DateField(null=True)),
                ('alasan', fields.TextField(unique=False)),
                ('dibuat_oleh', fields.CharField(max_length=100)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'atasan_override', 'app': 'tenant', 'indexes': [Index(fields=['pegawai_id', 'berlaku_mulai'])], 'pk_attr': 'id', 'table_description': "An admin's correction of who appraises a pegawai (or who is the appraiser's superior)"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnitKerja',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('siasn_id', fields.CharField(null=True, unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'unit_kerja', 'app': 'tenant', 'pk_attr': 'id', 'table_description': "A unit's identity. What it is called, where it hangs and whether it is active are"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Jabatan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('nama', fields.CharField(max_length=255)),
                ('jenis', fields.CharEnumField(description='JPT_UTAMA: JPT_UTAMA\nJPT_MADYA: JPT_MADYA\nJPT_PRATAMA: JPT_PRATAMA\nADMINISTRATOR: ADMINISTRATOR\nPENGAWAS: PENGAWAS\nPELAKSANA: PELAKSANA\nFUNGSIONAL: FUNGSIONAL', enum_type=JenisJabatan, max_length=16)),
                ('jenjang', fields.CharEnumField(null=True, description='AHLI_PERTAMA: AHLI_PERTAMA\nAHLI_MUDA: AHLI_MUDA\nAHLI_MADYA: AHLI_MADYA\nAHLI_UTAMA: AHLI_UTAMA\nPEMULA: PEMULA\nTERAMPIL: TERAMPIL\nMAHIR: MAHIR\nPENYELIA: PENYELIA', enum_type=JenjangFungsional, max_length=16)),
                ('unit', fields.ForeignKeyField('tenant.UnitKerja', source_field='unit_id', db_constraint=True, to_field='id', related_name='jabatan', on_delete=OnDelete.RESTRICT)),
                ('kepala_unit', fields.BooleanField(default=False, description='Heads its unit.')),
                ('atasan_jabatan', fields.ForeignKeyField('tenant.Jabatan', source_field='atasan_jabatan_id', null=True, description='Explicit superior position, overriding the one derived from the unit tree.', db_constraint=True, to_field='id', related_name='bawahan_jabatan', on_delete=OnDelete.SET_NULL)),
                ('penilai_eksternal_nama', fields.CharField(null=True, description='A NON-ASN penilai outside the system (Bupati …).', max_length=255)),
                ('penilai_eksternal_jabatan', fields.CharField(null=True, max_length=255)),
                ('aktif', fields.BooleanField(default=True)),
            ],
            options={'table': 'jabatan', 'app': 'tenant', 'unique_together': (('unit_id', 'nama'),), 'pk_attr': 'id', 'table_description': 'A position in a unit. Structural heads are single seats (`kepala_unit`); a fungsional or'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Penugasan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pegawai', fields.ForeignKeyField('tenant.Pegawai', source_field='pegawai_id', db_constraint=True, to_field='id', related_name='penugasan', on_delete=OnDelete.RESTRICT)),
                ('jabatan', fields.ForeignKeyField('tenant.Jabatan', source_field='jabatan_id', db_constraint=True, to_field='id', related_name='penugasan', on_delete=OnDelete.RESTRICT)),
                ('jenis', fields.CharEnumField(default=JenisPenugasan.DEFINITIF, description='DEFINITIF: DEFINITIF\nPLT: PLT\nPLH: PLH', enum_type=JenisPenugasan, max_length=10)),
                ('berlaku_mulai', fields.DateField()),
                ('berlaku_sampai', fields.DateField(null=True)),
                ('nomor_sk', fields.CharField(null=True, max_length=100)),
            ],
            options={'table': 'penugasan', 'app': 'tenant', 'indexes': [Index(fields=['pegawai_id', 'berlaku_mulai']), Index(fields=['jabatan_id', 'berlaku_mulai'])], 'pk_attr': 'id', 'table_description': 'Pegawai held (DEFINITIF) or acted in (PLT / PLH) a jabatan from `berlaku_mulai` until'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnitKerjaVersi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('tenant.UnitKerja', source_field='unit_id', db_constraint=True, to_field='id', related_name='versi', on_delete=OnDelete.CASCADE)),
                ('nama', fields.CharField(max_length=255)),
                ('parent', fields.ForeignKeyField('tenant.UnitKerja', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='versi_anak', on_delete=OnDelete.RESTRICT)),
                ('aktif', fields.BooleanField(default=True)),
                ('berlaku_mulai', fields.DateField()),
                ('berlaku_sampai', fields.DateField(null=True)),
            ],
            options={'table': 'unit_kerja_versi', 'app': 'tenant', 'indexes': [Index(fields=['unit_id', 'berlaku_mulai']), Index(fields=['parent_id', 'berlaku_mulai'])], 'pk_attr': 'id', 'table_description': 'The unit as it was from `berlaku_mulai` until `berlaku_sampai` (exclusive; null = still).'},
            bases=['Model'],
        ),
    ]
