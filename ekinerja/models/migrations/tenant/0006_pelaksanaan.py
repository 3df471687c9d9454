from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.models.tenant.pelaksanaan import WallClockTimeField
from ekinerja.pelaksanaan.enums import JenisBukti, SasaranUmpanBalik, StatusBukti, StatusEvaluasi
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0005_rhk_template')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EvaluasiPeriodik',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='evaluasi', on_delete=OnDelete.RESTRICT)),
                ('periode', fields.CharField(max_length=10)),
                ('status', fields.CharEnumField(default=StatusEvaluasi.BELUM_DIAJUKAN, description='BELUM_DIAJUKAN: BELUM_DIAJUKAN\nDIAJUKAN: DIAJUKAN\nDINILAI: DINILAI\nDITETAPKAN: DITETAPKAN', enum_type=StatusEvaluasi, max_length=16)),
                ('catatan_pegawai', fields.TextField(null=True, unique=False)),
                ('diajukan_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'evaluasi_periodik', 'app': 'tenant', 'unique_together': (('skp_id', 'periode'),), 'pk_attr': 'id', 'table_description': "One SKP's evaluation for one window. Once submitted, that window's progres and realisasi"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KalimatUmpanBalik',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sasaran', fields.CharEnumField(description='HASIL_KERJA: HASIL_KERJA\nPERILAKU: PERILAKU', enum_type=SasaranUmpanBalik, max_length=12)),
                ('urutan', fields.IntField(default=0)),
                ('teks', fields.TextField(unique=False)),
            ],
            options={'table': 'kalimat_umpan_balik', 'app': 'tenant', 'pk_attr': 'id', 'table_description': 'A suggestion sentence the penilai can pick, edited by the admin instansi.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProgresHarian',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rencana_aksi', fields.ForeignKeyField('tenant.RencanaAksi', source_field='rencana_aksi_id', db_constraint=True, to_field='id', related_name='progres', on_delete=OnDelete.RESTRICT)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='progres', on_delete=OnDelete.RESTRICT)),
                ('pegawai_id', fields.IntField()),
                ('periode', fields.CharField(max_length=10)),
                ('tanggal', fields.DateField()),
                ('jam_mulai', WallClockTimeField(auto_now=False, auto_now_add=False)),
                ('jam_selesai', WallClockTimeField(auto_now=False, auto_now_add=False)),
                ('kegiatan', fields.TextField(unique=False)),
                ('realisasi', fields.IntField()),
                ('satuan', fields.CharField(max_length=50)),
                ('sumber_data', fields.CharField(default='ekinerja', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'progres_harian', 'app': 'tenant', 'indexes': [Index(fields=['skp_id', 'periode']), Index(fields=['pegawai_id', 'tanggal']), Index(fields=['rencana_aksi_id'])], 'pk_attr': 'id', 'table_description': 'A day\'s logged work towards a rencana aksi (the e-Kinerja "progres harian" form).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Realisasi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('indikator', fields.ForeignKeyField('tenant.Indikator', source_field='indikator_id', db_constraint=True, to_field='id', related_name='realisasi', on_delete=OnDelete.RESTRICT)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='realisasi', on_delete=OnDelete.RESTRICT)),
                ('periode', fields.CharField(max_length=10)),
                ('kuantitas', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('narasi', fields.TextField(null=True, unique=False)),
                ('sumber_data', fields.CharField(default='ekinerja', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'realisasi', 'app': 'tenant', 'unique_together': (('indikator_id', 'periode'),), 'indexes': [Index(fields=['skp_id', 'periode'])], 'pk_attr': 'id', 'table_description': 'What an indikator achieved in one window: a quantity and/or a narrative.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BuktiDukung',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('jenis', fields.CharEnumField(description='BERKAS: BERKAS\nTAUTAN: TAUTAN', enum_type=JenisBukti, max_length=8)),
                ('status', fields.CharEnumField(description='MENUNGGU_UNGGAHAN: MENUNGGU_UNGGAHAN\nTERSEDIA: TERSEDIA', enum_type=StatusBukti, max_length=20)),
                ('pemilik_pegawai_id', fields.IntField()),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='bukti', on_delete=OnDelete.RESTRICT)),
                ('realisasi', fields.ForeignKeyField('tenant.Realisasi', source_field='realisasi_id', null=True, db_constraint=True, to_field='id', related_name='bukti', on_delete=OnDelete.CASCADE)),
                ('progres', fields.ForeignKeyField('tenant.ProgresHarian', source_field='progres_id', null=True, db_constraint=True, to_field='id', related_name='bukti', on_delete=OnDelete.CASCADE)),
                ('nama', fields.CharField(max_length=255)),
                ('tautan', fields.TextField(null=True, unique=False)),
                ('object_key', fields.CharField(null=True, unique=True, max_length=512)),
                ('content_type', fields.CharField(null=True, max_length=100)),
                ('ukuran', fields.BigIntField(null=True)),
                ('sha256', fields.CharField(null=True, max_length=64)),
                ('sha256_terverifikasi', fields.BooleanField(default=False, description="The store hashed the bytes itself; else the SHA-256 is the uploader's claim.")),
                ('kedaluwarsa_pada', fields.DatetimeField(null=True, description='Unconfirmed uploads only.', auto_now=False, auto_now_add=False)),
                ('dikonfirmasi_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'bukti_dukung', 'app': 'tenant', 'indexes': [Index(fields=['skp_id']), Index(fields=['status', 'kedaluwarsa_pada'])], 'pk_attr': 'id', 'table_description': 'Evidence for a realisasi or a progres entry: a file in object storage (uploaded straight'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UmpanBalik',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('skp', fields.ForeignKeyField('tenant.Skp', source_field='skp_id', db_constraint=True, to_field='id', related_name='umpan_balik', on_delete=OnDelete.RESTRICT)),
                ('periode', fields.CharField(max_length=10)),
                ('sasaran', fields.CharEnumField(description='HASIL_KERJA: HASIL_KERJA\nPERILAKU: PERILAKU', enum_type=SasaranUmpanBalik, max_length=12)),
                ('rhk', fields.ForeignKeyField('tenant.Rhk', source_field='rhk_id', null=True, db_constraint=True, to_field='id', related_name='umpan_balik', on_delete=OnDelete.RESTRICT)),
                ('nilai_perilaku', fields.CharField(null=True, max_length=30)),
                ('kunci_sasaran', fields.CharField(max_length=50)),
                ('kalimat', fields.JSONField(default=list, description='Chosen suggestion sentences.', encoder=JSON_DUMPS, decoder=loads)),
                ('teks', fields.TextField(null=True, unique=False)),
                ('penilai_pegawai_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'umpan_balik', 'app': 'tenant', 'unique_together': (('skp_id', 'periode', 'kunci_sasaran'),), 'pk_attr': 'id', 'table_description': "The penilai's feedback on one RHK or one BerAKHLAK value of an SKP in one window."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TanggapanUmpanBalik',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('umpan_balik', fields.ForeignKeyField('tenant.UmpanBalik', source_field='umpan_balik_id', db_constraint=True, to_field='id', related_name='tanggapan', on_delete=OnDelete.CASCADE)),
                ('penulis_pegawai_id', fields.IntField()),
                ('teks', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'tanggapan_umpan_balik', 'app': 'tenant', 'pk_attr': 'id', 'table_description': "A note in the dialog about one feedback: the pegawai's reply, or the penilai's answer."},
            bases=['Model'],
        ),
    ]
