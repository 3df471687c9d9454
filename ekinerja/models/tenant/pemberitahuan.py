"""In-app notifications of a pegawai, their preferences, and the producer's place in the
outbox (decision 0041). Produced by the worker from the outbox and from deadlines, never in a
request; one row per pegawai and `kunci` (the event or deadline it comes from), so producing
twice makes nothing twice."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Pemberitahuan(Model):
    """One notification to one pegawai (shown in the app and/or sent by email)."""

    id = fields.BigIntField(primary_key=True)
    pegawai = fields.ForeignKeyField(
        "tenant.Pegawai", related_name="pemberitahuan", on_delete=fields.CASCADE
    )
    jenis = fields.CharField(max_length=40, description="JenisPemberitahuan.")
    kunci = fields.CharField(
        max_length=120, description="What it comes from (an event, a deadline): one per pegawai."
    )
    entitas = fields.CharField(max_length=20, description="skp, evaluasi or keberatan.")
    entitas_id = fields.CharField(max_length=40)
    judul = fields.CharField(max_length=200)
    isi = fields.TextField()
    tampil = fields.BooleanField(default=True, description="Shown in the app (preference).")
    dibuat_pada = fields.DatetimeField(auto_now_add=True)
    dibaca_pada = fields.DatetimeField(null=True)
    surel_status = fields.CharField(
        max_length=10, null=True, description="Email: MENUNGGU, TERKIRIM, GAGAL; null: none."
    )
    surel_percobaan = fields.IntField(default=0)
    surel_berikutnya_pada = fields.DatetimeField(null=True)
    surel_galat = fields.TextField(null=True)

    class Meta:
        table = "pemberitahuan"
        unique_together = (("pegawai", "kunci"),)
        indexes = (("pegawai_id", "id"), ("surel_status", "surel_berikutnya_pada"))


class PreferensiPemberitahuan(Model):
    """A pegawai's choice for one kind of notification (none stored: both on)."""

    id = fields.IntField(primary_key=True)
    pegawai = fields.ForeignKeyField(
        "tenant.Pegawai", related_name="preferensi_pemberitahuan", on_delete=fields.CASCADE
    )
    jenis = fields.CharField(max_length=40)
    dalam_aplikasi = fields.BooleanField(default=True)
    surel = fields.BooleanField(default=True)

    class Meta:
        table = "preferensi_pemberitahuan"
        unique_together = (("pegawai", "jenis"),)


class PemberitahuanPosisi(Model):
    """The producer's place in the outbox (one row), and the last day deadlines were checked."""

    id = fields.IntField(primary_key=True)
    posisi_txid = fields.BigIntField(default=0)
    posisi_id = fields.BigIntField(default=0)
    tenggat_diperiksa = fields.DateField(null=True)

    class Meta:
        table = "pemberitahuan_posisi"
