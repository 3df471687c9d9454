"""Models of a tenant schema. Tables are unqualified: the binding transaction's search_path
decides which tenant's schema a query reaches (see ekinerja.tenants.binding)."""

from ekinerja.models.tenant.audit import AuditEvent
from ekinerja.models.tenant.idempotensi import IdempotencyKey
from ekinerja.models.tenant.impor import ImporKepegawaian
from ekinerja.models.tenant.organisasi import Jabatan, UnitKerja, UnitKerjaVersi
from ekinerja.models.tenant.outbox import OutboxEvent, OutboxPangkas
from ekinerja.models.tenant.pegawai import AtasanOverride, Pegawai, Penugasan
from ekinerja.models.tenant.pelaksanaan import (
    BuktiDukung,
    KalimatUmpanBalik,
    ProgresHarian,
    Realisasi,
    TanggapanUmpanBalik,
    UmpanBalik,
)
from ekinerja.models.tenant.pemberitahuan import (
    Pemberitahuan,
    PemberitahuanPosisi,
    PreferensiPemberitahuan,
)
from ekinerja.models.tenant.pengaturan import TenantSetting
from ekinerja.models.tenant.penilaian import (
    AngkaKredit,
    EvaluasiPeriodik,
    Keberatan,
    KinerjaOrganisasi,
    RiwayatEvaluasi,
)
from ekinerja.models.tenant.skp import (
    Indikator,
    PeriodeTahun,
    RencanaAksi,
    Rhk,
    RhkTemplate,
    Skp,
    SkpLampiran,
    SkpPerilaku,
)
from ekinerja.models.tenant.webhook import WebhookLangganan, WebhookPengiriman

__all__ = [
    "AngkaKredit",
    "AtasanOverride",
    "AuditEvent",
    "BuktiDukung",
    "EvaluasiPeriodik",
    "IdempotencyKey",
    "ImporKepegawaian",
    "Indikator",
    "Jabatan",
    "KalimatUmpanBalik",
    "Keberatan",
    "KinerjaOrganisasi",
    "OutboxEvent",
    "OutboxPangkas",
    "Pegawai",
    "Pemberitahuan",
    "PemberitahuanPosisi",
    "Penugasan",
    "PeriodeTahun",
    "PreferensiPemberitahuan",
    "ProgresHarian",
    "Realisasi",
    "RencanaAksi",
    "Rhk",
    "RhkTemplate",
    "RiwayatEvaluasi",
    "Skp",
    "SkpLampiran",
    "SkpPerilaku",
    "TanggapanUmpanBalik",
    "TenantSetting",
    "UmpanBalik",
    "UnitKerja",
    "UnitKerjaVersi",
    "WebhookLangganan",
    "WebhookPengiriman",
]
