from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('shared', '0004_api_client_secret')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DokumenTerpercaya',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('api_client', fields.ForeignKeyField('shared.ApiClient', source_field='api_client_id', db_constraint=True, to_field='id', related_name='dokumen_terpercaya', on_delete=OnDelete.CASCADE)),
                ('hash', fields.CharField(description='Lowercase hex SHA-256 of the text exactly as registered.', max_length=64)),
                ('dokumen', fields.TextField(unique=False)),
                ('nama', fields.CharField(null=True, description='An optional label.', max_length=255)),
                ('dibuat_pada', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dokumen_terpercaya', 'schema': 'shared', 'app': 'shared', 'unique_together': (('api_client_id', 'hash'),), 'pk_attr': 'id', 'table_description': 'A trusted document: one GraphQL operation registered for an API client'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ApiClient',
            name='hanya_dokumen_terdaftar',
            field=fields.BooleanField(default=False, description='Only its registered operations (DokumenTerpercaya) may run (decision 0015).', db_default=False),
        ),
    ]
