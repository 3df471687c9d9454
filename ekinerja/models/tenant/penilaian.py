"""Penilaian (assessment): each window's evaluation with its ratings and history, the
organisation's predikat and penetapan per unit and window, keberatan, and the angka kredit
ledger."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.enums import (
    HasilKeberatan,
    HasilKurva,
    PredikatOrganisasi,
    PredikatPegawai,
    Rating,
    StatusKeberatan,
)


class EvaluasiPeriodik(Model):
    """One SKP's evaluation for one window (or the year, periode `YYYY-THN`). Submitting it
    closes the window for execution records; the penilai rates it; penetapan of the unit's batch
    fixes it; a keberatan may change its ratings, the original staying in the history."""

    id = fields.IntField(primary_key=True)
    skp = fields.ForeignKeyField("tenant.Skp", related_name="evaluasi", on_delete=fields.RESTRICT)
    periode = fields.CharField(max_length=10)
    status = fields.CharEnumField(
        StatusEvaluasi, max_length=16, default=StatusEvaluasi.BELUM_DIAJUKAN
    )
    catatan_pegawai = fields.TextField(null=True)
    diajukan_pada = fields.DatetimeField(null=True)
    # Fixed when rated, from the assignment at the window's end: the batch it belongs to and
    # the jenjang its angka kredit is counted in.
    unit_id = fields.IntField(null=True)
    jenjang = fields.CharField(max_length=16, null=True)
    rating_hasil_kerja = fields.CharEnumField(Rating, max_length=20, null=True)
    rating_perilaku = fields.CharEnumField(Rating, max_length=20, null=True)
    predikat = fields.CharEnumField(PredikatPegawai, max_length=16, null=True)
    catatan_penilai = fields.TextField(null=True)
    penilai_pegawai_id = fields.IntField(null=True)
    dinilai_pada = fields.DatetimeField(null=True)
    ditetapkan_pada = fields.DatetimeField(null=True, description="When the pegawai received it.")
    final_diumumkan_pada = fields.DatetimeField(
        null=True, description="When `evaluasi.final` went to the outbox (once per result)."
    )
    lock_version = fields.IntField(default=1, source_field="versi_kunci")
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "evaluasi_periodik"
        unique_together = (("skp_id", "periode"),)
        indexes = (("unit_id", "periode"), ("status", "periode"))


class RiwayatEvaluasi(Model):
    """Every change of an evaluation's ratings or state, with who did it: nothing is lost when
    an assessment is cancelled or a keberatan changes it."""

    id = fields.IntField(primary_key=True)
    evaluasi = fields.ForeignKeyField(
        "tenant.EvaluasiPeriodik", related_name="riwayat", on_delete=fields.CASCADE
    )
    aksi = fields.CharField(max_length=30)
    status = fields.CharEnumField(StatusEvaluasi, max_length=16)
    rating_hasil_kerja = fields.CharEnumField(Rating, max_length=20, null=True)
    rating_perilaku = fields.CharEnumField(Rating, max_length=20, null=True)
    predikat = fields.CharEnumField(PredikatPegawai, max_length=16, null=True)
    catatan = fields.TextField(null=True)
    oleh = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")

    class Meta:
        table = "riwayat_evaluasi"
        indexes = (("evaluasi_id",),)


class KinerjaOrganisasi(Model):
    """A unit's predikat for a window, set by the leader one level up, and the penetapan that
    checks its pegawai's distribution against the curve and fixes their evaluations."""

    id = fields.IntField(primary_key=True)
    unit = fields.ForeignKeyField(
        "tenant.UnitKerja", related_name="kinerja", on_delete=fields.RESTRICT
    )
    periode = fields.CharField(max_length=10)
    predikat = fields.CharEnumField(PredikatOrganisasi, max_length=16)
    catatan = fields.TextField(null=True)
    ditetapkan_oleh_pegawai_id = fields.IntField(null=True)
    hasil_kurva = fields.CharEnumField(HasilKurva, max_length=8, null=True)
    pelanggaran = fields.JSONField(default=list)
    distribusi = fields.JSONField(default=dict)
    ditetapkan_pada = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "kinerja_organisasi"
        unique_together = (("unit_id", "periode"),)


class Keberatan(Model):
    """An objection to a fixed evaluation, decided by the atasan pejabat penilai."""

    id = fields.IntField(primary_key=True)
    # One keberatan per evaluation (PP 30/2019 Pasal 59): unique, so two concurrent filings
    # cannot both land.
    evaluasi = fields.ForeignKeyField(
        "tenant.EvaluasiPeriodik", related_name="keberatan", on_delete=fields.RESTRICT, unique=True
    )
    pegawai_id = fields.IntField()
    penilai_pegawai_id = fields.IntField(null=True)
    # None: the atasan pejabat penilai is outside the system (the SKP's NON_ASN snapshot, e.g.
    # the Bupati); an admin instansi records their acts (penilaian/eksternal.py).
    atasan_pegawai_id = fields.IntField(
        null=True, description="The snapshotted atasan pejabat penilai; null when external."
    )
    status = fields.CharEnumField(StatusKeberatan, max_length=10)
    alasan = fields.TextField()
    lampiran = fields.JSONField(default=list, description="[{nama, tautan}]")
    permintaan_penjelasan = fields.TextField(null=True)
    penjelasan_penilai = fields.TextField(null=True)
    penjelasan_pegawai = fields.TextField(null=True)
    hasil = fields.CharEnumField(HasilKeberatan, max_length=8, null=True)
    rating_hasil_kerja_baru = fields.CharEnumField(Rating, max_length=20, null=True)
    rating_perilaku_baru = fields.CharEnumField(Rating, max_length=20, null=True)
    catatan_keputusan = fields.TextField(null=True)
    diajukan_pada = fields.DatetimeField(auto_now_add=True)
    diputus_pada = fields.DatetimeField(null=True)

    class Meta:
        table = "keberatan"
        indexes = (("atasan_pegawai_id", "status"),)


class AngkaKredit(Model):
    """One ledger line: the angka kredit a jabatan fungsional pegawai earned in one window
    under one SKP, from that evaluation's final predikat. Recomputing replaces the line (keyed
    by the evaluation, i.e. by SKP and window: a pegawai transferred mid-window has two)."""

    id = fields.IntField(primary_key=True)
    pegawai_id = fields.IntField()
    periode = fields.CharField(max_length=10)
    evaluasi = fields.ForeignKeyField(
        "tenant.EvaluasiPeriodik", related_name="angka_kredit", on_delete=fields.RESTRICT
    )
    jenjang = fields.CharField(max_length=16)
    predikat = fields.CharEnumField(PredikatPegawai, max_length=16)
    bulan = fields.IntField()
    persentase = fields.DecimalField(max_digits=6, decimal_places=2)
    koefisien = fields.DecimalField(max_digits=6, decimal_places=2)
    nilai = fields.DecimalField(max_digits=8, decimal_places=2)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        table = "angka_kredit"
        unique_together = (("evaluasi_id",),)
        indexes = (("pegawai_id", "periode"),)
