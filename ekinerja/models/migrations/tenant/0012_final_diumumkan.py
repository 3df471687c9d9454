from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0011_trusted_documents_idempotency')]

    initial = False

    operations = [
        ops.AddField(
            model_name='EvaluasiPeriodik',
            name='final_diumumkan_pada',
            field=fields.DatetimeField(null=True, description='When `evaluasi.final` went to the outbox (once per result).', auto_now=False, auto_now_add=False),
        ),
    ]
