"""One keberatan per evaluation (a unique constraint, replacing the plain index); the unused
DIPUTUS status leaves the enum."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from ekinerja.penilaian.enums import StatusKeberatan
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tenant', '0007_penilaian')]

    initial = False

    operations = [
        ops.RemoveIndex(
            model_name='Keberatan',
            name=None,
            fields=['evaluasi_id'],
        ),
        ops.AlterField(
            model_name='Keberatan',
            name='evaluasi',
            field=fields.ForeignKeyField('tenant.EvaluasiPeriodik', source_field='evaluasi_id', unique=True, db_constraint=True, to_field='id', related_name='keberatan', on_delete=OnDelete.RESTRICT),
        ),
        # Tortoise 1.x records unique=True on a ForeignKeyField in the state but does not emit
        # the constraint for it (alter_field compares the source IntField), so it is added here.
        ops.RunSQL(
            'ALTER TABLE "keberatan" ADD CONSTRAINT "keberatan_evaluasi_id_key" UNIQUE ("evaluasi_id")',
            reverse_sql='ALTER TABLE "keberatan" DROP CONSTRAINT "keberatan_evaluasi_id_key"',
        ),
        ops.AlterField(
            model_name='Keberatan',
            name='status',
            field=fields.CharEnumField(description='DIAJUKAN: DIAJUKAN\nDIPERIKSA: DIPERIKSA\nFINAL: FINAL', enum_type=StatusKeberatan, max_length=10),
        ),
    ]
