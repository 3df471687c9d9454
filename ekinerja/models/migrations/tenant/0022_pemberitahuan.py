"""Notifications (decision 0041): `pemberitahuan` per pegawai (unique per pegawai and the
event or deadline it comes from), `preferensi_pemberitahuan`, and the producer's place in the
outbox, started at the outbox's current end so an existing instansi is not told its history.
Only adds."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

ADDITIVE = True


class Migration(migrations.Migration):
    dependencies = [('tenant', '0021_pemberitahuan_pengaturan')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Pemberitahuan',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pegawai', fields.ForeignKeyField('tenant.Pegawai', source_field='pegawai_id', db_constraint=True, to_field='id', related_name='pemberitahuan', on_delete=OnDelete.CASCADE)),
                ('jenis', fields.CharField(description='JenisPemberitahuan.', max_length=40)),
                ('kunci', fields.CharField(description='What it comes from (an event, a deadline): one per pegawai.', max_length=120)),
                ('entitas', fields.CharField(description='skp, evaluasi or keberatan.', max_length=20)),
                ('entitas_id', fields.CharField(max_length=40)),
                ('judul', fields.CharField(max_length=200)),
                ('isi', fields.TextField(unique=False)),
                ('tampil', fields.BooleanField(default=True, description='Shown in the app (preference).')),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('dibaca_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('surel_status', fields.CharField(null=True, description='Email: MENUNGGU, TERKIRIM, GAGAL; null: none.', max_length=10)),
                ('surel_percobaan', fields.IntField(default=0)),
                ('surel_berikutnya_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('surel_galat', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'pemberitahuan', 'app': 'tenant', 'unique_together': (('pegawai', 'kunci'),), 'indexes': [Index(fields=['pegawai_id', 'id']), Index(fields=['surel_status', 'surel_berikutnya_pada'])], 'pk_attr': 'id', 'table_description': 'One notification to one pegawai (shown in the app and/or sent by email).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PemberitahuanPosisi',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('posisi_txid', fields.BigIntField(default=0)),
                ('posisi_id', fields.BigIntField(default=0)),
                ('tenggat_diperiksa', fields.DateField(null=True)),
            ],
            options={'table': 'pemberitahuan_posisi', 'app': 'tenant', 'pk_attr': 'id', 'table_description': "The producer's place in the outbox (one row), and the last day deadlines were checked."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PreferensiPemberitahuan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pegawai', fields.ForeignKeyField('tenant.Pegawai', source_field='pegawai_id', db_constraint=True, to_field='id', related_name='preferensi_pemberitahuan', on_delete=OnDelete.CASCADE)),
                ('jenis', fields.CharField(max_length=40)),
                ('dalam_aplikasi', fields.BooleanField(default=True)),
                ('surel', fields.BooleanField(default=True)),
            ],
            options={'table': 'preferensi_pemberitahuan', 'app': 'tenant', 'unique_together': (('pegawai', 'jenis'),), 'pk_attr': 'id', 'table_description': "A pegawai's choice for one kind of notification (none stored: both on)."},
            bases=['Model'],
        ),
        ops.RunSQL(
            "INSERT INTO pemberitahuan_posisi (posisi_txid, posisi_id) "
            "SELECT COALESCE(max(txid), 0), COALESCE(max(id), 0) FROM outbox_event",
            reverse_sql="DELETE FROM pemberitahuan_posisi",
        ),
    ]
