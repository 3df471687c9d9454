from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0008_keberatan_unique')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('txid', fields.BigIntField(description="pg_current_xact_id() of the writing transaction: the feed's order.")),
                ('jenis', fields.CharField(description='Event type, e.g. skp.disetujui.', max_length=60)),
                ('entitas', fields.CharField(max_length=40)),
                ('entitas_id', fields.CharField(max_length=50)),
                ('data', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('terjadi_pada', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_event', 'app': 'tenant', 'indexes': [Index(fields=['txid', 'id'])], 'pk_attr': 'id', 'table_description': 'One domain event. Rows are only ever inserted (by `ekinerja.peristiwa.outbox`, which sets'},
            bases=['Model'],
        ),
    ]
