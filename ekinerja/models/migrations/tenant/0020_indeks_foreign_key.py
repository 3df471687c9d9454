"""An index leading with every foreign key's columns (issue 17 item 4): a read joining along a
foreign key (the compiled read path joins along all of them) finds the child rows by an index
scan, not a sequential scan of the child table per parent row (`indikator(rhk_id)` was one);
deleting a parent row checks its children the same way. Where the children are read in an
order, the index carries it too: indikator (rhk, urutan), rencana aksi (rhk, periode), lampiran
(skp, urutan), overrides naming an atasan (atasan, berlaku_mulai).
tests/test_foreign_key_indexes.py reads the catalog and fails on a foreign key without one.

Plain CREATE INDEX: migrations run in one transaction per tenant, where CONCURRENTLY is not
possible. On a big existing tenant each build holds a lock on its table that blocks writes (not
reads) until the index is built; run `ekinerja migrate` outside the working day."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('tenant', '0019_penamaan')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='AtasanOverride',
            index=Index(fields=['atasan_id', 'berlaku_mulai']),
        ),
        ops.AddIndex(
            model_name='BuktiDukung',
            index=Index(fields=['realisasi_id']),
        ),
        ops.AddIndex(
            model_name='BuktiDukung',
            index=Index(fields=['progres_id']),
        ),
        ops.AddIndex(
            model_name='Indikator',
            index=Index(fields=['rhk_id', 'urutan']),
        ),
        ops.AddIndex(
            model_name='Indikator',
            index=Index(fields=['asal_id']),
        ),
        ops.AddIndex(
            model_name='Jabatan',
            index=Index(fields=['atasan_jabatan_id']),
        ),
        ops.AddIndex(
            model_name='RencanaAksi',
            index=Index(fields=['rhk_id', 'periode']),
        ),
        ops.AddIndex(
            model_name='Rhk',
            index=Index(fields=['asal_id']),
        ),
        ops.AddIndex(
            model_name='RiwayatEvaluasi',
            index=Index(fields=['evaluasi_id']),
        ),
        ops.AddIndex(
            model_name='Skp',
            index=Index(fields=['menggantikan_id']),
        ),
        ops.AddIndex(
            model_name='SkpLampiran',
            index=Index(fields=['skp_id', 'urutan']),
        ),
        ops.AddIndex(
            model_name='TanggapanUmpanBalik',
            index=Index(fields=['umpan_balik_id']),
        ),
        ops.AddIndex(
            model_name='UmpanBalik',
            index=Index(fields=['rhk_id']),
        ),
        ops.AddIndex(
            model_name='WebhookPengiriman',
            index=Index(fields=['event_id']),
        ),
    ]
