from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('shared', '0005_trusted_documents_idempotency')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SesiBrowser',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hash', fields.CharField(unique=True, description='SHA-256 of the session id.', max_length=64)),
                ('nip', fields.CharField(description="The person (their principal's subject).", max_length=18)),
                ('roles', fields.JSONField(default=list, description="Roles the login's token granted.", encoder=JSON_DUMPS, decoder=loads)),
                ('instansi_kode', fields.CharField(null=True, description="The person's own instansi (central admin: null).", max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_seen_at', fields.DatetimeField(description='Last use, to a minute (idle expiry).', auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(description="Absolute end: the session's maximum life, or the token's expiry if sooner.", auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, description="Logout or an admin's revocation.", auto_now=False, auto_now_add=False)),
                ('user_agent', fields.CharField(null=True, max_length=255)),
                ('ip_address', fields.CharField(null=True, max_length=45)),
            ],
            options={'table': 'sesi_browser', 'schema': 'shared', 'app': 'shared', 'indexes': [Index(fields=['instansi_kode', 'nip'])], 'pk_attr': 'id', 'table_description': 'A browser login (decision 0017). The cookie carries only a random 256-bit session id;'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnduhanTerpakai',
            fields=[
                ('nonce', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('expires_at', fields.DatetimeField(db_index=True, description="The link's own expiry.", auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'unduhan_terpakai', 'schema': 'shared', 'app': 'shared', 'pk_attr': 'nonce', 'table_description': 'A local-store download link already used: each link works once (decision 0017).'},
            bases=['Model'],
        ),
    ]
