from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0012_final_diumumkan')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxPangkas',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('posisi_txid', fields.BigIntField()),
                ('posisi_id', fields.BigIntField()),
                ('dipangkas_pada', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_pangkas', 'app': 'tenant', 'pk_attr': 'id', 'table_description': 'Where the outbox was pruned up to (one row): a feed cursor before it is refused as'},
            bases=['Model'],
        ),
    ]
