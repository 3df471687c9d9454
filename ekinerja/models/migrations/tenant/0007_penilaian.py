from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.enums import HasilKeberatan, HasilKurva, PredikatOrganisasi, PredikatPegawai, Rating, StatusKeberatan
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0006_pelaksanaan')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AngkaKredit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pegawai_id', fields.IntField()),
                ('periode', fields.CharField(max_length=10)),
                ('evaluasi', fields.ForeignKeyField('tenant.EvaluasiPeriodik', source_field='evaluasi_id', db_constraint=True, to_field='id', related_name='angka_kredit', on_delete=OnDelete.RESTRICT)),
                ('jenjang', fields.CharField(max_length=16)),
                ('predikat', fields.CharEnumField(description='SANGAT_BAIK: SANGAT_BAIK\nBAIK: BAIK\nBUTUH_PERBAIKAN: BUTUH_PERBAIKAN\nKURANG: KURANG\nSANGAT_KURANG: SANGAT_KURANG', enum_type=PredikatPegawai, max_length=16)),
                ('bulan', fields.IntField()),
                ('persentase', fields.DecimalField(max_digits=6, decimal_places=2)),
                ('koefisien', fields.DecimalField(max_digits=6, decimal_places=2)),
                ('nilai', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'angka_kredit', 'app': 'tenant', 'unique_together': (('pegawai_id', 'periode'),), 'pk_attr': 'id', 'table_description': 'One ledger line: the angka kredit a jabatan fungsional pegawai earned in one window,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Keberatan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('evaluasi', fields.ForeignKeyField('tenant.EvaluasiPeriodik', source_field='evaluasi_id', db_constraint=True, to_field='id', related_name='keberatan', on_delete=OnDelete.RESTRICT)),
                ('pegawai_id', fields.IntField()),
                ('penilai_pegawai_id', fields.IntField(null=True)),
                ('atasan_pegawai_id', fields.IntField(description='The snapshotted atasan pejabat penilai.')),
                ('status', fields.CharEnumField(description='DIAJUKAN: DIAJUKAN\nDIPERIKSA: DIPERIKSA\nDIPUTUS: DIPUTUS\nFINAL: FINAL', enum_type=StatusKeberatan, max_length=10)),
                ('alasan', fields.TextField(unique=False)),
                ('lampiran', fields.JSONField(default=list, description='[{nama, tautan}]', encoder=JSON_DUMPS, decoder=loads)),
                ('permintaan_penjelasan', fields.TextField(null=True, unique=False)),
                ('penjelasan_penilai', fields.TextField(null=True, unique=False)),
                ('penjelasan_pegawai', fields.TextField(null=True, unique=False)),
                ('hasil', fields.CharEnumField(null=True, description='DITOLAK: DITOLAK\nDIUBAH: DIUBAH', enum_type=HasilKeberatan, max_length=8)),
                ('rating_hasil_kerja_baru', fields.CharEnumField(null=True, description='DI_ATAS_EKSPEKTASI: DI_ATAS_EKSPEKTASI\nSESUAI_EKSPEKTASI: SESUAI_EKSPEKTASI\nDI_BAWAH_EKSPEKTASI: DI_BAWAH_EKSPEKTASI', enum_type=Rating, max_length=20)),
                ('rating_perilaku_baru', fields.CharEnumField(null=True, description='DI_ATAS_EKSPEKTASI: DI_ATAS_EKSPEKTASI\nSESUAI_EKSPEKTASI: SESUAI_EKSPEKTASI\nDI_BAWAH_EKSPEKTASI: DI_BAWAH_EKSPEKTASI', enum_type=Rating, max_length=20)),
                ('catatan_keputusan', fields.TextField(null=True, unique=False)),
                ('diajukan_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('diputus_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'keberatan', 'app': 'tenant', 'indexes': [Index(fields=['atasan_pegawai_id', 'status']), Index(fields=['evaluasi_id'])], 'pk_attr': 'id', 'table_description': 'An objection to a fixed evaluation, decided by the atasan pejabat penilai.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KinerjaOrganisasi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('tenant.UnitKerja', source_field='unit_id', db_constraint=True, to_field='id', related_name='kinerja', on_delete=OnDelete.RESTRICT)),
                ('periode', fields.CharField(max_length=10)),
                ('predikat', fields.CharEnumField(description='ISTIMEWA: ISTIMEWA\nBAIK: BAIK\nBUTUH_PERBAIKAN: BUTUH_PERBAIKAN\nKURANG: KURANG\nSANGAT_KURANG: SANGAT_KURANG', enum_type=PredikatOrganisasi, max_length=16)),
                ('catatan', fields.TextField(null=True, unique=False)),
                ('ditetapkan_oleh_pegawai_id', fields.IntField(null=True)),
                ('hasil_kurva', fields.CharEnumField(null=True, description='OK: OK\nWARNING: WARNING\nBLOCK: BLOCK', enum_type=HasilKurva, max_length=8)),
                ('pelanggaran', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('distribusi', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('ditetapkan_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'kinerja_organisasi', 'app': 'tenant', 'unique_together': (('unit_id', 'periode'),), 'pk_attr': 'id', 'table_description': "A unit's predikat for a window, set by the leader one level up, and the penetapan that"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RiwayatEvaluasi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('evaluasi', fields.ForeignKeyField('tenant.EvaluasiPeriodik', source_field='evaluasi_id', db_constraint=True, to_field='id', related_name='riwayat', on_delete=OnDelete.CASCADE)),
                ('aksi', fields.CharField(max_length=30)),
                ('status', fields.CharEnumField(description='BELUM_DIAJUKAN: BELUM_DIAJUKAN\nDIAJUKAN: DIAJUKAN\nDINILAI: DINILAI\nDITETAPKAN: DITETAPKAN', enum_type=StatusEvaluasi, max_length=16)),
                ('rating_hasil_kerja', fields.CharEnumField(null=True, description='DI_ATAS_EKSPEKTASI: DI_ATAS_EKSPEKTASI\nSESUAI_EKSPEKTASI: SESUAI_EKSPEKTASI\nDI_BAWAH_EKSPEKTASI: DI_BAWAH_EKSPEKTASI', enum_type=Rating, max_length=20)),
                ('rating_perilaku', fields.CharEnumField(null=True, description='DI_ATAS_EKSPEKTASI: DI_ATAS_EKSPEKTASI\nSESUAI_EKSPEKTASI: SESUAI_EKSPEKTASI\nDI_BAWAH_EKSPEKTASI: DI_BAWAH_EKSPEKTASI', enum_type=Rating, max_length=20)),
                ('predikat', fields.CharEnumField(null=True, description='SANGAT_BAIK: SANGAT_BAIK\nBAIK: BAIK\nBUTUH_PERBAIKAN: BUTUH_PERBAIKAN\nKURANG: KURANG\nSANGAT_KURANG: SANGAT_KURANG', enum_type=PredikatPegawai, max_length=16)),
                ('catatan', fields.TextField(null=True, unique=False)),
                ('oleh', fields.CharField(max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'riwayat_evaluasi', 'app': 'tenant', 'pk_attr': 'id', 'table_description': "Every change of an evaluation's ratings or state, with who did it: nothing is lost when"},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='EvaluasiPeriodik',
            options={'table': 'evaluasi_periodik', 'app': 'tenant', 'unique_together': (('skp_id', 'periode'),), 'indexes': [Index(fields=['unit_id', 'periode']), Index(fields=['status', 'periode'])], 'pk_attr': 'id', 'table_description': "One SKP's evaluation for one window (or the year, periode `YYYY-THN`). Submitting it"},
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='catatan_penilai',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='dinilai_pada',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='ditetapkan_pada',
            field=fields.DatetimeField(null=True, description='When the pegawai received it.', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='jenjang',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='lock_version',
            field=fields.IntField(default=1),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='penilai_pegawai_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='predikat',
            field=fields.CharEnumField(null=True, description='SANGAT_BAIK: SANGAT_BAIK\nBAIK: BAIK\nBUTUH_PERBAIKAN: BUTUH_PERBAIKAN\nKURANG: KURANG\nSANGAT_KURANG: SANGAT_KURANG', enum_type=PredikatPegawai, max_length=16),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='rating_hasil_kerja',
            field=fields.CharEnumField(null=True, description='DI_ATAS_EKSPEKTASI: DI_ATAS_EKSPEKTASI\nSESUAI_EKSPEKTASI: SESUAI_EKSPEKTASI\nDI_BAWAH_EKSPEKTASI: DI_BAWAH_EKSPEKTASI', enum_type=Rating, max_length=20),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='rating_perilaku',
            field=fields.CharEnumField(null=True, description='DI_ATAS_EKSPEKTASI: DI_ATAS_EKSPEKTASI\nSESUAI_EKSPEKTASI: SESUAI_EKSPEKTASI\nDI_BAWAH_EKSPEKTASI: DI_BAWAH_EKSPEKTASI', enum_type=Rating, max_length=20),
        ),
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='unit_id',
            field=fields.IntField(null=True),
        ),
        ops.AddIndex(
            model_name='EvaluasiPeriodik',
            index=Index(fields=['unit_id', 'periode']),
        ),
        ops.AddIndex(
            model_name='EvaluasiPeriodik',
            index=Index(fields=['status', 'periode']),
        ),
    ]
