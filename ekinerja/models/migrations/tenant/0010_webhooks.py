from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.webhooks.enums import StatusPengiriman
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0009_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookLangganan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client_id', fields.CharField(description='The subscribing API client.', max_length=255)),
                ('url', fields.CharField(max_length=500)),
                ('jenis', fields.JSONField(description='Event types delivered (a list of jenis).', encoder=JSON_DUMPS, decoder=loads)),
                ('rahasia', fields.TextField(description='The signing secret, sealed (AES-GCM).', unique=False)),
                ('rahasia_lama', fields.TextField(null=True, description='The previous secret, while valid.', unique=False)),
                ('rahasia_lama_sampai', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('aktif', fields.BooleanField(default=True)),
                ('posisi_txid', fields.BigIntField(default=0, description='Fanned out up to here (feed).')),
                ('posisi_id', fields.BigIntField(default=0)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('dicabut_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_langganan', 'app': 'tenant', 'indexes': [Index(fields=['client_id'])], 'pk_attr': 'id', 'table_description': "One API client's subscription: where to POST which event types."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookPengiriman',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('langganan', fields.ForeignKeyField('tenant.WebhookLangganan', source_field='langganan_id', db_constraint=True, to_field='id', related_name='pengiriman', on_delete=OnDelete.CASCADE)),
                ('event', fields.ForeignKeyField('tenant.OutboxEvent', source_field='event_id', db_constraint=True, to_field='id', related_name='pengiriman', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(description='MENUNGGU: MENUNGGU\nTERKIRIM: TERKIRIM\nGAGAL: GAGAL', enum_type=StatusPengiriman, max_length=10)),
                ('percobaan', fields.IntField(default=0, description='Attempts made so far.')),
                ('berikutnya_pada', fields.DatetimeField(description='When it is due (or its lease ends).', auto_now=False, auto_now_add=False)),
                ('kode_terakhir', fields.IntField(null=True, description='HTTP status of the last attempt.')),
                ('galat_terakhir', fields.TextField(null=True, unique=False)),
                ('terkirim_pada', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_pengiriman', 'app': 'tenant', 'unique_together': (('langganan', 'event'),), 'indexes': [Index(fields=['status', 'berikutnya_pada'])], 'pk_attr': 'id', 'table_description': 'One event to one subscription, with its attempts.'},
            bases=['Model'],
        ),
    ]
