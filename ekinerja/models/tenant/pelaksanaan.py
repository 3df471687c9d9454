"""Pelaksanaan (execution): daily progress, realisation per indikator and window, evidence and
feedback. The evaluation record whose submission closes a window is in penilaian.py."""

from __future__ import annotations

from datetime import time

from tortoise import fields
from tortoise.models import Model

from ekinerja.pelaksanaan.enums import JenisBukti, SasaranUmpanBalik, StatusBukti


class WallClockTimeField(fields.TimeField):
    """A time of day as the pegawai wrote it (08:00 is 08:00 wherever they are): never given
    a time zone, unlike Tortoise's TimeField under use_tz (TIMETZ in PostgreSQL)."""

    class _db_postgres:
        SQL_TYPE = "TIME"

    def to_python_value(self, value):
        value = super().to_python_value(value)
        return value.replace(tzinfo=None) if isinstance(value, time) else value

    def to_db_value(self, value, instance):
        return value.replace(tzinfo=None) if isinstance(value, time) else value


class ProgresHarian(Model):
    """A day's logged work towards a rencana aksi (the e-Kinerja "progres harian" form)."""

    id = fields.IntField(primary_key=True)
    rencana_aksi = fields.ForeignKeyField(
        "tenant.RencanaAksi", related_name="progres", on_delete=fields.RESTRICT
    )
    # Denormalised from the rencana aksi so monitoring and window checks need no joins.
    skp = fields.ForeignKeyField("tenant.Skp", related_name="progres", on_delete=fields.RESTRICT)
    pegawai_id = fields.IntField()
    periode = fields.CharField(max_length=10)
    tanggal = fields.DateField()
    jam_mulai = WallClockTimeField()
    jam_selesai = WallClockTimeField()
    kegiatan = fields.TextField()
    realisasi = fields.IntField()
    satuan = fields.CharField(max_length=50)
    sumber_data = fields.CharField(max_length=100, default="ekinerja")
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "progres_harian"
        indexes = (("skp_id", "periode"), ("pegawai_id", "tanggal"), ("rencana_aksi_id",))


class Realisasi(Model):
    """What an indikator achieved in one window: a quantity and/or a narrative."""

    id = fields.IntField(primary_key=True)
    indikator = fields.ForeignKeyField(
        "tenant.Indikator", related_name="realisasi", on_delete=fields.RESTRICT
    )
    skp = fields.ForeignKeyField("tenant.Skp", related_name="realisasi", on_delete=fields.RESTRICT)
    periode = fields.CharField(max_length=10)
    kuantitas = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    narasi = fields.TextField(null=True)
    sumber_data = fields.CharField(max_length=100, default="ekinerja")
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "realisasi"
        unique_together = (("indikator_id", "periode"),)
        indexes = (("skp_id", "periode"),)


class BuktiDukung(Model):
    """Evidence for a realisasi or a progres entry: a file in object storage (uploaded straight
    to it, then confirmed) or a link."""

    id = fields.IntField(primary_key=True)
    jenis = fields.CharEnumField(JenisBukti, max_length=8)
    status = fields.CharEnumField(StatusBukti, max_length=20)
    pemilik_pegawai_id = fields.IntField()
    skp = fields.ForeignKeyField("tenant.Skp", related_name="bukti", on_delete=fields.RESTRICT)
    realisasi = fields.ForeignKeyField(
        "tenant.Realisasi", related_name="bukti", null=True, on_delete=fields.CASCADE
    )
    progres = fields.ForeignKeyField(
        "tenant.ProgresHarian", related_name="bukti", null=True, on_delete=fields.CASCADE
    )
    nama = fields.CharField(max_length=255)
    tautan = fields.TextField(null=True)
    object_key = fields.CharField(max_length=512, null=True, unique=True)
    content_type = fields.CharField(max_length=100, null=True)
    ukuran = fields.BigIntField(null=True)
    sha256 = fields.CharField(max_length=64, null=True)
    sha256_terverifikasi = fields.BooleanField(
        default=False,
        description="The store hashed the bytes itself; else the SHA-256 is the uploader's claim.",
    )
    kedaluwarsa_pada = fields.DatetimeField(null=True, description="Unconfirmed uploads only.")
    dikonfirmasi_pada = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")

    class Meta:
        table = "bukti_dukung"
        indexes = (
            ("skp_id",),
            ("status", "kedaluwarsa_pada"),
            ("realisasi_id",),
            ("progres_id",),
        )


class UmpanBalik(Model):
    """The penilai's feedback on one RHK or one BerAKHLAK value of an SKP in one window."""

    id = fields.IntField(primary_key=True)
    skp = fields.ForeignKeyField(
        "tenant.Skp", related_name="umpan_balik", on_delete=fields.RESTRICT
    )
    periode = fields.CharField(max_length=10)
    sasaran = fields.CharEnumField(SasaranUmpanBalik, max_length=12)
    rhk = fields.ForeignKeyField(
        "tenant.Rhk", related_name="umpan_balik", null=True, on_delete=fields.RESTRICT
    )
    nilai_perilaku = fields.CharField(max_length=30, null=True)
    # The target as one key ("RHK:12", "PERILAKU:AKUNTABEL"): one feedback per target per window.
    kunci_sasaran = fields.CharField(max_length=50)
    kalimat = fields.JSONField(default=list, description="Chosen suggestion sentences.")
    teks = fields.TextField(null=True)
    penilai_pegawai_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "umpan_balik"
        unique_together = (("skp_id", "periode", "kunci_sasaran"),)
        indexes = (("rhk_id",),)


class TanggapanUmpanBalik(Model):
    """A note in the dialog about one feedback: the pegawai's reply, or the penilai's answer."""

    id = fields.IntField(primary_key=True)
    umpan_balik = fields.ForeignKeyField(
        "tenant.UmpanBalik", related_name="tanggapan", on_delete=fields.CASCADE
    )
    penulis_pegawai_id = fields.IntField()
    teks = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")

    class Meta:
        table = "tanggapan_umpan_balik"
        indexes = (("umpan_balik_id",),)


class KalimatUmpanBalik(Model):
    """A suggestion sentence the penilai can pick, edited by the admin instansi."""

    id = fields.IntField(primary_key=True)
    sasaran = fields.CharEnumField(SasaranUmpanBalik, max_length=12)
    urutan = fields.IntField(default=0)
    teks = fields.TextField()

    class Meta:
        table = "kalimat_umpan_balik"
