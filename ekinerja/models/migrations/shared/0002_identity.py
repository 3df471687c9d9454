from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('shared', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ApiClient',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client_id', fields.CharField(unique=True, max_length=255)),
                ('nama', fields.CharField(max_length=255)),
                ('scopes', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('aktif', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_client', 'schema': 'shared', 'app': 'shared', 'pk_attr': 'id', 'table_description': 'A machine client (an HR or payroll system) authenticating with client credentials. Its'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApiClientGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('api_client', fields.ForeignKeyField('shared.ApiClient', source_field='api_client_id', db_constraint=True, to_field='id', related_name='grants', on_delete=OnDelete.CASCADE)),
                ('instansi', fields.ForeignKeyField('shared.Instansi', source_field='instansi_id', db_constraint=True, to_field='id', related_name='api_client_grants', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'api_client_grant', 'schema': 'shared', 'app': 'shared', 'unique_together': (('api_client_id', 'instansi_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IdentityProvider',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('issuer', fields.CharField(unique=True, max_length=255)),
                ('jwks_uri', fields.CharField(max_length=500)),
                ('audiences', fields.JSONField(default=list, description='Accepted `aud` / `azp` values.', encoder=JSON_DUMPS, decoder=loads)),
                ('instansi', fields.ForeignKeyField('shared.Instansi', source_field='instansi_id', null=True, db_constraint=True, to_field='id', related_name='identity_providers', on_delete=OnDelete.CASCADE)),
                ('nip_claim', fields.CharField(default='preferred_username', max_length=100)),
                ('tenant_claim', fields.CharField(default='instansi', max_length=100)),
                ('roles_claim', fields.CharField(default='realm_access.roles', max_length=100)),
                ('admin_role', fields.CharField(default='admin-instansi', max_length=100)),
                ('central_admin_role', fields.CharField(default='bkn-admin', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'identity_provider', 'schema': 'shared', 'app': 'shared', 'pk_attr': 'id', 'table_description': 'A trusted token issuer. With `instansi` it speaks for that tenant only; without, it is a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InstansiAdmin',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('instansi', fields.ForeignKeyField('shared.Instansi', source_field='instansi_id', db_constraint=True, to_field='id', related_name='admins', on_delete=OnDelete.CASCADE)),
                ('nip', fields.CharField(max_length=18)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'instansi_admin', 'schema': 'shared', 'app': 'shared', 'unique_together': (('instansi_id', 'nip'),), 'pk_attr': 'id', 'table_description': 'Admin instansi granted in the registry (besides those whose token carries the role).'},
            bases=['Model'],
        ),
    ]
