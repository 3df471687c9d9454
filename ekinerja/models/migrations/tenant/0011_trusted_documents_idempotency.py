from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0010_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client_id', fields.CharField(description='The API client that sent it.', max_length=255)),
                ('key', fields.CharField(description='The Idempotency-Key header as sent.', max_length=200)),
                ('request_hash', fields.CharField(description='SHA-256 of the canonical JSON of document, name, variables.', max_length=64)),
                ('response_status', fields.IntField(null=True, description='Null only before commit.')),
                ('response_body', fields.TextField(null=True, description='The JSON body exactly as sent.', unique=False)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'idempotency_key', 'app': 'tenant', 'unique_together': (('client_id', 'key'),), 'pk_attr': 'id', 'table_description': 'One `Idempotency-Key` of one API client, with the request it answered and the response'},
            bases=['Model'],
        ),
    ]
