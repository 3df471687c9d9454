"""SKP planning: the yearly period settings, SKP versions, RHK with their IKI and rencana aksi,
perilaku expectations and lampiran."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from ekinerja.skp.enums import (
    AspekIki,
    DasarPembagian,
    JenisFormSkp,
    JenisLampiran,
    JenisRhk,
    Kadensi,
    KlasifikasiRhk,
    PendekatanSkp,
    PerspektifJpt,
    StatusSkp,
)


class PeriodeTahun(Model):
    """A year's evaluation cadence in this instansi (monthly, quarterly or by semester)."""

    id = fields.IntField(primary_key=True)
    tahun = fields.IntField(unique=True)
    kadensi = fields.CharEnumField(Kadensi, max_length=12)

    class Meta:
        table = "periode_tahun"


class Skp(Model):
    """One version of a pegawai's SKP for a period. An approved version never changes; a
    perubahan makes a new version (same `lineage_id`, `versi` + 1) that replaces it once
    approved. `lock_version` guards against two editors overwriting each other."""

    id = fields.IntField(primary_key=True)
    pegawai = fields.ForeignKeyField(
        "tenant.Pegawai", related_name="skp", on_delete=fields.RESTRICT
    )
    tahun = fields.IntField()
    periode_awal = fields.DateField()
    periode_akhir = fields.DateField()
    pendekatan = fields.CharEnumField(PendekatanSkp, max_length=12)
    jenis_form = fields.CharEnumField(JenisFormSkp, max_length=6)
    status = fields.CharEnumField(StatusSkp, max_length=10, default=StatusSkp.DRAFT)
    lock_version = fields.IntField(default=1, source_field="versi_kunci")
    lineage_id = fields.IntField(
        null=True, description="Id of the first version.", source_field="asal_id"
    )
    versi = fields.IntField(default=1)
    menggantikan = fields.ForeignKeyField(
        "tenant.Skp", related_name="perubahan", null=True, on_delete=fields.RESTRICT
    )
    digantikan_pada = fields.DatetimeField(null=True)
    # Who approves, fixed at creation (refreshed only by an audited action).
    penilai_pegawai_id = fields.IntField(null=True)
    atasan_penilai_pegawai_id = fields.IntField(null=True)
    snapshot_pegawai = fields.JSONField()
    snapshot_penilai = fields.JSONField(null=True)
    snapshot_atasan_penilai = fields.JSONField(null=True)
    catatan_pengembalian = fields.TextField(null=True)
    diajukan_pada = fields.DatetimeField(null=True)
    disetujui_pada = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "skp"
        indexes = (
            ("pegawai_id", "tahun"),
            ("penilai_pegawai_id", "status"),
            ("lineage_id",),
            ("menggantikan_id",),
        )


class Rhk(Model):
    """A rencana hasil kerja, possibly intervening (supporting) a superior's RHK."""

    id = fields.IntField(primary_key=True)
    skp = fields.ForeignKeyField("tenant.Skp", related_name="rhk", on_delete=fields.CASCADE)
    urutan = fields.IntField(default=0)
    teks = fields.TextField()
    jenis = fields.CharEnumField(JenisRhk, max_length=10, default=JenisRhk.UTAMA)
    klasifikasi = fields.CharEnumField(KlasifikasiRhk, max_length=12, null=True)
    intervensi = fields.ForeignKeyField(
        "tenant.Rhk", related_name="diintervensi_oleh", null=True, on_delete=fields.RESTRICT
    )
    intervensi_eksternal = fields.TextField(
        null=True, description="The superior's result as text, for a superior outside the system."
    )
    penugasan_dari = fields.TextField(null=True, description="JPT form: who assigned it.")
    asal = fields.ForeignKeyField(
        "tenant.Rhk",
        related_name="salinan",
        null=True,
        on_delete=fields.SET_NULL,
        description="The RHK of the previous version this one was copied from.",
    )

    class Meta:
        table = "rhk"
        indexes = (("skp_id", "urutan"), ("intervensi_id",), ("asal_id",))


class Indikator(Model):
    """An indikator kinerja individu (IKI) of an RHK with its target."""

    id = fields.IntField(primary_key=True)
    rhk = fields.ForeignKeyField("tenant.Rhk", related_name="indikator", on_delete=fields.CASCADE)
    urutan = fields.IntField(default=0)
    aspek = fields.CharEnumField(AspekIki, max_length=10, null=True)
    teks = fields.TextField()
    target_min = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    target_max = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    satuan = fields.CharField(max_length=50, null=True)
    target_kualitatif = fields.TextField(null=True)
    perspektif = fields.CharEnumField(PerspektifJpt, max_length=20, null=True)
    # Direct cascading: this indikator is a part of the superior's indikator, split by share,
    # region or aspect; the parts of one superior indikator should add up to its target.
    bagian_dari = fields.ForeignKeyField(
        "tenant.Indikator", related_name="bagian", null=True, on_delete=fields.RESTRICT
    )
    dasar_pembagian = fields.CharEnumField(DasarPembagian, max_length=10, null=True)
    wilayah = fields.CharField(max_length=255, null=True)
    # As `Rhk.asal`: the parts split from this indikator follow it into a revision.
    asal = fields.ForeignKeyField(
        "tenant.Indikator",
        related_name="salinan",
        null=True,
        on_delete=fields.SET_NULL,
        description="The indikator of the previous version this one was copied from.",
    )

    class Meta:
        table = "indikator"
        indexes = (("rhk_id", "urutan"), ("bagian_dari_id",), ("asal_id",))


class RencanaAksi(Model):
    """What will be done for an RHK in one periodic window (e.g. `2026-T1`), with its target."""

    id = fields.IntField(primary_key=True)
    rhk = fields.ForeignKeyField(
        "tenant.Rhk", related_name="rencana_aksi", on_delete=fields.CASCADE
    )
    periode = fields.CharField(max_length=10)
    teks = fields.TextField()
    target = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "rencana_aksi"
        indexes = (("rhk_id", "periode"),)


class SkpPerilaku(Model):
    """Ekspektasi khusus pimpinan for one BerAKHLAK value, set by the penilai."""

    id = fields.IntField(primary_key=True)
    skp = fields.ForeignKeyField("tenant.Skp", related_name="perilaku", on_delete=fields.CASCADE)
    nilai = fields.CharField(max_length=30)
    ekspektasi = fields.TextField()

    class Meta:
        table = "skp_perilaku"
        unique_together = (("skp_id", "nilai"),)


class SkpLampiran(Model):
    id = fields.IntField(primary_key=True)
    skp = fields.ForeignKeyField("tenant.Skp", related_name="lampiran", on_delete=fields.CASCADE)
    jenis = fields.CharEnumField(JenisLampiran, max_length=30)
    urutan = fields.IntField(default=0)
    teks = fields.TextField()

    class Meta:
        table = "skp_lampiran"
        indexes = (("skp_id", "urutan"),)


class RhkTemplate(Model):
    """An RHK the admin instansi offers to everyone holding a jabatan, with its indikator
    (a list of {teks, aspek, targetMin, targetMax, satuan, targetKualitatif})."""

    id = fields.IntField(primary_key=True)
    jabatan = fields.ForeignKeyField(
        "tenant.Jabatan", related_name="rhk_template", on_delete=fields.RESTRICT
    )
    urutan = fields.IntField(default=0)
    teks = fields.TextField()
    jenis = fields.CharEnumField(JenisRhk, max_length=10, default=JenisRhk.UTAMA)
    indikator = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "rhk_template"
        indexes = (("jabatan_id", "urutan"),)
