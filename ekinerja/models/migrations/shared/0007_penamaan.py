from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('shared', '0006_browser_sessions')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='ApiClient',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='ApiClient',
            name='revoked_at',
            field=fields.DatetimeField(source_field='dicabut_pada', null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='AuditPusat',
            name='action',
            field=fields.CharField(source_field='aksi', max_length=100),
        ),
        ops.AlterField(
            model_name='AuditPusat',
            name='actor',
            field=fields.CharField(source_field='pelaku', max_length=100),
        ),
        ops.AlterField(
            model_name='AuditPusat',
            name='detail',
            field=fields.JSONField(source_field='rincian', default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AlterField(
            model_name='AuditPusat',
            name='occurred_at',
            field=fields.DatetimeField(source_field='terjadi_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='IdentityProvider',
            name='central_admin_role',
            field=fields.CharField(source_field='role_admin_pusat', default='bkn-admin', max_length=100),
        ),
        ops.AlterField(
            model_name='IdentityProvider',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='IdentityProvider',
            name='tenant_claim',
            field=fields.CharField(source_field='instansi_claim', default='instansi', max_length=100),
        ),
        ops.AlterField(
            model_name='Instansi',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='Instansi',
            name='role_name',
            field=fields.CharField(source_field='nama_role', unique=True, max_length=63),
        ),
        ops.AlterField(
            model_name='Instansi',
            name='schema_name',
            field=fields.CharField(source_field='nama_schema', unique=True, max_length=63),
        ),
        ops.AlterField(
            model_name='Instansi',
            name='schema_version',
            field=fields.CharField(source_field='versi_schema', null=True, description='Latest tenant migration applied to the schema.', max_length=100),
        ),
        ops.AlterField(
            model_name='Instansi',
            name='updated_at',
            field=fields.DatetimeField(source_field='diubah_pada', auto_now=True, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='InstansiAdmin',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='SesiBrowser',
            name='created_at',
            field=fields.DatetimeField(source_field='dibuat_pada', auto_now=False, auto_now_add=True),
        ),
        ops.AlterField(
            model_name='SesiBrowser',
            name='expires_at',
            field=fields.DatetimeField(source_field='berakhir_pada', description="Absolute end: the session's maximum life, or the token's expiry if sooner.", auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='SesiBrowser',
            name='ip_address',
            field=fields.CharField(source_field='alamat_ip', null=True, max_length=45),
        ),
        ops.AlterField(
            model_name='SesiBrowser',
            name='last_seen_at',
            field=fields.DatetimeField(source_field='terakhir_dipakai_pada', description='Last use, to a minute (idle expiry).', auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='SesiBrowser',
            name='revoked_at',
            field=fields.DatetimeField(source_field='dicabut_pada', null=True, description="Logout or an admin's revocation.", auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='UnduhanTerpakai',
            name='expires_at',
            field=fields.DatetimeField(source_field='berakhir_pada', db_index=True, description="The link's own expiry.", auto_now=False, auto_now_add=False),
        ),
    ]
