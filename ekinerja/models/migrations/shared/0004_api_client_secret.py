from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('shared', '0003_nasional')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiClientSecret',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('api_client', fields.ForeignKeyField('shared.ApiClient', source_field='api_client_id', db_constraint=True, to_field='id', related_name='secrets', on_delete=OnDelete.CASCADE)),
                ('hash', fields.CharField(unique=True, max_length=64)),
                ('awalan', fields.CharField(description="The secret's first characters.", max_length=12)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('dibuat_oleh', fields.CharField(max_length=100)),
                ('berlaku_sampai', fields.DatetimeField(null=True, description='Null: until rotated.', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_client_secret', 'schema': 'shared', 'app': 'shared', 'pk_attr': 'id', 'table_description': "A client secret for this service's own token endpoint (`POST /oauth/token`), kept only"},
            bases=['Model'],
        ),
    ]
