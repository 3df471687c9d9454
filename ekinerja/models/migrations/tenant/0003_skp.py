from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.skp.enums import AspekIki, JenisFormSkp, JenisLampiran, JenisRhk, Kadensi, KlasifikasiRhk, PendekatanSkp, PerspektifJpt, StatusSkp
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0002_kepegawaian')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PeriodeTahun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tahun', fields.IntField(unique=True)),
                ('kadensi', fields.CharEnumField(description='BULANAN: BULANAN\nTRIWULANAN: TRIWULANAN\nSEMESTERAN: SEMESTERAN', enum_type=Kadensi, max_length=12)),
            ],
            options={'table': 'periode_tahun', 'app': 'tenant', 'pk_attr': 'id', 'table_description': "A year's evaluation cadence in this instansi (monthly, quarterly or by semester)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Skp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pegawai', fields.ForeignKeyField('tenant.Pegawai', source_field='pegawai_id', db_constraint=True, to_field='id', related_name='skp', on_delete=OnDelete.RESTRICT)),
                ('tahun', fields.IntField()),
                ('periode_awal', fields.DateField()),
                ('periode_akhir', fields.DateField()),
                ('pendekatan', fields.CharEnumField(description='KUANTITATIF: KUANTITATIF\nKUALITATIF: KUALITATIF', enum_type=PendekatanSkp, max_length=12)),
                ('jenis_form', fields.CharEnumField(description='JPT: JPT\nJA_JF: JA_JF', enum_type=JenisFormSkp, max_length=6)),
                ('status', fields.CharEnumField(default=StatusSkp.DRAFT, description='DRAFT: DRAFT\nDIAJUKAN: DIAJUKAN\nDISETUJUI: DISETUJUI', enum_type=StatusSkp, max_length=10)),
                ('lock_version', fields.IntField(default=1)),
                ('lineage_id', fields.IntField(null=True, description='Id of the first version.')),
                ('versi', fields.IntField(default=1)),
                ('menggantikan', fields.ForeignKeyField('tenant.Skp', source_field='menggantikan_id', null=True, db_constraint=True, to_field='id', related_name='perubahan', on_delete=OnDelete.RESTRICT)),
                ('digantikan_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('penilai_pegawai_id', fields.IntField(null=True)),
                ('atasan_penilai_pegawai_id', fields.IntField(null=True)),
                ('snapshot_pegawai', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('snapshot_penilai', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('snapshot_atasan_penilai', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('catatan_pengembalian', fields.TextField(null=True, unique=False)),
                ('diajukan_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('disetujui_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'skp', 'app': 'tenant', 'indexes': [Index(fields=['pegawai_id', 'tahun']), Index(fields=['penilai_pegawai_id', 'status']), Index(fields=['lineage_id'])], 'pk_attr': 'id', 'table_description': "One version of a pegawai's SKP for a period. An approved version never changes; a"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Rhk',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='rhk', on_delete=OnDelete.CASCADE)),
                ('urutan', fields.IntField(default=0)),
                ('teks', fields.TextField(unique=False)),
                ('jenis', fields.CharEnumField(default=JenisRhk.UTAMA, description='UTAMA: UTAMA\nTAMBAHAN: TAMBAHAN', enum_type=JenisRhk, max_length=10)),
                ('klasifikasi', fields.CharEnumField(null=True, description='ORGANISASI: ORGANISASI\nINDIVIDU: INDIVIDU', enum_type=KlasifikasiRhk, max_length=12)),
                ('intervensi', fields.ForeignKeyField('tenant.Rhk', source_field='intervensi_id', null=True, db_constraint=True, to_field='id', related_name='diintervensi_oleh', on_delete=OnDelete.RESTRICT)),
                ('intervensi_eksternal', fields.TextField(null=True, description="The superior's result as text, for a superior outside the system.", unique=False)),
                ('penugasan_dari', fields.TextField(null=True, description='JPT form: who assigned it.', unique=False)),
                ('asal', fields.ForeignKeyField('tenant.Rhk', source_field='asal_id', null=True, description='The RHK of the previous version this one was copied from.', db_constraint=True, to_field='id', related_name='salinan', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'rhk', 'app': 'tenant', 'indexes': [Index(fields=['skp_id', 'urutan']), Index(fields=['intervensi_id'])], 'pk_attr': 'id', 'table_description': "A rencana hasil kerja, possibly intervening (supporting) a superior's RHK."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Indikator',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rhk', fields.ForeignKeyField('tenant.Rhk', source_field='rhk_id', db_constraint=True, to_field='id', related_name='indikator', on_delete=OnDelete.CASCADE)),
                ('urutan', fields.IntField(default=0)),
                ('aspek', fields.CharEnumField(null=True, description='KUANTITAS: KUANTITAS\nKUALITAS: KUALITAS\nWAKTU: WAKTU\nBIAYA: BIAYA', enum_type=AspekIki, max_length=10)),
                ('teks', fields.TextField(unique=False)),
                ('target_min', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('target_max', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('satuan', fields.CharField(null=True, max_length=50)),
                ('target_kualitatif', fields.TextField(null=True, unique=False)),
                ('perspektif', fields.CharEnumField(null=True, description='PENERIMA_LAYANAN: PENERIMA_LAYANAN\nPROSES_BISNIS: PROSES_BISNIS\nPENGUATAN_INTERNAL: PENGUATAN_INTERNAL\nANGGARAN: ANGGARAN', enum_type=PerspektifJpt, max_length=20)),
            ],
            options={'table': 'indikator', 'app': 'tenant', 'pk_attr': 'id', 'table_description': 'An indikator kinerja individu (IKI) of an RHK with its target.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RencanaAksi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rhk', fields.ForeignKeyField('tenant.Rhk', source_field='rhk_id', db_constraint=True, to_field='id', related_name='rencana_aksi', on_delete=OnDelete.CASCADE)),
                ('periode', fields.CharField(max_length=10)),
                ('teks', fields.TextField(unique=False)),
                ('target', fields.CharField(null=True, max_length=255)),
            ],
            options={'table': 'rencana_aksi', 'app': 'tenant', 'pk_attr': 'id', 'table_description': 'What will be done for an RHK in one periodic window (e.g. `2026-T1`), with its target.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SkpLampiran',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='lampiran', on_delete=OnDelete.CASCADE)),
                ('jenis', fields.CharEnumField(description='DUKUNGAN_SUMBER_DAYA: DUKUNGAN_SUMBER_DAYA\nSKEMA_PERTANGGUNGJAWABAN: SKEMA_PERTANGGUNGJAWABAN\nKONSEKUENSI: KONSEKUENSI', enum_type=JenisLampiran, max_length=30)),
                ('urutan', fields.IntField(default=0)),
                ('teks', fields.TextField(unique=False)),
            ],
            options={'table': 'skp_lampiran', 'app': 'tenant', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SkpPerilaku',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='perilaku', on_delete=OnDelete.CASCADE)),
                ('nilai', fields.CharField(max_length=30)),
                ('ekspektasi', fields.TextField(unique=False)),
            ],
            options={'table': 'skp_perilaku', 'app': 'tenant', 'unique_together': (('skp_id', 'nilai'),), 'pk_attr': 'id', 'table_description': 'Ekspektasi khusus pimpinan for one BerAKHLAK value, set by the penilai.'},
            bases=['Model'],
        ),
    ]
