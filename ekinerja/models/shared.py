"""Models of the `shared` schema: what spans tenants."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from ekinerja.db.config import SHARED_SCHEMA


class JenisInstansi(StrEnum):
    PUSAT = "PUSAT"
    PROVINSI = "PROVINSI"
    KABUPATEN = "KABUPATEN"
    KOTA = "KOTA"


class StatusInstansi(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"


class Instansi(Model):
    """The tenant registry: one row per agency and the PostgreSQL schema holding its data."""

    id = fields.IntField(primary_key=True)
    kode = fields.CharField(max_length=16, unique=True, description="Kode instansi (BKN).")
    nama = fields.CharField(max_length=255)
    jenis = fields.CharEnumField(JenisInstansi, max_length=16)
    schema_name = fields.CharField(max_length=63, unique=True, source_field="nama_schema")
    role_name = fields.CharField(max_length=63, unique=True, source_field="nama_role")
    status = fields.CharEnumField(StatusInstansi, max_length=16, default=StatusInstansi.ACTIVE)
    schema_version = fields.CharField(
        max_length=100,
        null=True,
        description="Latest tenant migration applied to the schema.",
        source_field="versi_schema",
    )
    oldest_serving_version = fields.CharField(
        max_length=100,
        null=True,
        description="The oldest code (tenant migration name) that can serve this schema; null: "
        "only code at exactly schema_version.",
        source_field="versi_kode_terlama",
    )
    provinsi = fields.CharField(
        max_length=2, null=True, description="BPS code of the province it is in (central: null)."
    )
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    updated_at = fields.DatetimeField(auto_now=True, source_field="diubah_pada")

    class Meta:
        schema = SHARED_SCHEMA
        table = "instansi"
        ordering = ("kode",)

    @property
    def is_active(self) -> bool:
        return self.status is StatusInstansi.ACTIVE


class IdentityProvider(Model):
    """A trusted token issuer. With `instansi` it speaks for that tenant only; without, it is a
    central issuer (BKN's Keycloak) whose tokens name their tenant in `tenant_claim`. Keys are
    fetched only from `jwks_uri`, never from a location named in a token."""

    id = fields.IntField(primary_key=True)
    issuer = fields.CharField(max_length=255, unique=True)
    jwks_uri = fields.CharField(max_length=500)
    audiences = fields.JSONField(default=list, description="Accepted `aud` / `azp` values.")
    instansi = fields.ForeignKeyField(
        "shared.Instansi", related_name="identity_providers", null=True, on_delete=fields.CASCADE
    )
    nip_claim = fields.CharField(max_length=100, default="preferred_username")
    tenant_claim = fields.CharField(
        max_length=100, default="instansi", source_field="instansi_claim"
    )
    roles_claim = fields.CharField(max_length=100, default="realm_access.roles")
    admin_role = fields.CharField(max_length=100, default="admin-instansi")
    central_admin_role = fields.CharField(
        max_length=100, default="bkn-admin", source_field="role_admin_pusat"
    )
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")

    class Meta:
        schema = SHARED_SCHEMA
        table = "identity_provider"
        indexes = (("instansi_id",),)


class ApiClient(Model):
    """A machine client (an HR or payroll system) authenticating with client credentials. Its
    token's `azp` / `client_id` names it; it may use only its scopes, in its granted tenants."""

    id = fields.IntField(primary_key=True)
    client_id = fields.CharField(max_length=255, unique=True)
    nama = fields.CharField(max_length=255)
    scopes = fields.JSONField(default=list)
    aktif = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    revoked_at = fields.DatetimeField(null=True, source_field="dicabut_pada")
    hanya_dokumen_terdaftar = fields.BooleanField(
        default=False,
        db_default=False,  # existing rows get it too: ADD COLUMN … NOT NULL needs a default
        description="Only its registered operations (DokumenTerpercaya) may run (decision 0015).",
    )

    class Meta:
        schema = SHARED_SCHEMA
        table = "api_client"


class ApiClientSecret(Model):
    """A client secret for this service's own token endpoint (`POST /oauth/token`), kept only
    as its SHA-256 (secrets are 256 random bits, so a plain hash is enough). A rotation leaves
    the previous secret valid until `berlaku_sampai`, so the client can switch without a gap."""

    id = fields.IntField(primary_key=True)
    api_client = fields.ForeignKeyField(
        "shared.ApiClient", related_name="secrets", on_delete=fields.CASCADE
    )
    hash = fields.CharField(max_length=64, unique=True)
    awalan = fields.CharField(max_length=12, description="The secret's first characters.")
    dibuat_pada = fields.DatetimeField(auto_now_add=True)
    dibuat_oleh = fields.CharField(max_length=100)
    berlaku_sampai = fields.DatetimeField(null=True, description="Null: until rotated.")

    class Meta:
        schema = SHARED_SCHEMA
        table = "api_client_secret"
        indexes = (("api_client_id",),)


class ApiClientGrant(Model):
    id = fields.IntField(primary_key=True)
    api_client = fields.ForeignKeyField(
        "shared.ApiClient", related_name="grants", on_delete=fields.CASCADE
    )
    instansi = fields.ForeignKeyField(
        "shared.Instansi", related_name="api_client_grants", on_delete=fields.CASCADE
    )

    class Meta:
        schema = SHARED_SCHEMA
        table = "api_client_grant"
        unique_together = (("api_client_id", "instansi_id"),)
        indexes = (("instansi_id",),)


class DokumenTerpercaya(Model):
    """A trusted document: one GraphQL operation registered for an API client
    (`ekinerja clients documents add`). The client runs it by `documentId: "sha256:<hash>"` or
    by sending the identical text; a client with `hanya_dokumen_terdaftar` may run nothing else
    (decision 0015)."""

    id = fields.IntField(primary_key=True)
    api_client = fields.ForeignKeyField(
        "shared.ApiClient", related_name="dokumen_terpercaya", on_delete=fields.CASCADE
    )
    hash = fields.CharField(
        max_length=64, description="Lowercase hex SHA-256 of the text exactly as registered."
    )
    dokumen = fields.TextField()
    nama = fields.CharField(max_length=255, null=True, description="An optional label.")
    dibuat_pada = fields.DatetimeField(auto_now_add=True)

    class Meta:
        schema = SHARED_SCHEMA
        table = "dokumen_terpercaya"
        unique_together = (("api_client_id", "hash"),)


class InstansiAdmin(Model):
    """Admin instansi granted in the registry (besides those whose token carries the role)."""

    id = fields.IntField(primary_key=True)
    instansi = fields.ForeignKeyField(
        "shared.Instansi", related_name="admins", on_delete=fields.CASCADE
    )
    nip = fields.CharField(max_length=18)
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")

    class Meta:
        schema = SHARED_SCHEMA
        table = "instansi_admin"
        unique_together = (("instansi_id", "nip"),)


class StatistikInstansi(Model):
    """The national read model: one instansi's figures for one year, computed inside its
    schema and copied here so national questions read ~630 rows, not ~630 schemas
    (decision 0014). Refreshed by the worker and `ekinerja statistik segarkan`."""

    id = fields.IntField(primary_key=True)
    instansi = fields.ForeignKeyField(
        "shared.Instansi", related_name="statistik", on_delete=fields.CASCADE
    )
    tahun = fields.IntField()
    pegawai = fields.IntField(description="Active pegawai.")
    skp_dibuat = fields.IntField(description="Pegawai with an SKP for the year.")
    skp_diajukan = fields.IntField(description="… whose SKP was submitted (or approved).")
    skp_disetujui = fields.IntField(description="… whose SKP was approved.")
    rhk_jumlah = fields.IntField(description="RHK of approved, current JA/JF SKPs.")
    rhk_terhubung = fields.IntField(description="… of which cascade from a superior's RHK.")
    evaluasi_diajukan = fields.IntField(description="Periodic evaluations submitted (any state).")
    evaluasi_dinilai = fields.IntField(description="… rated or fixed.")
    evaluasi_ditetapkan = fields.IntField(description="… fixed.")
    tahunan_ditetapkan = fields.IntField(description="Annual results fixed.")
    predikat = fields.JSONField(description="Fixed annual results per predikat.")
    kurva = fields.JSONField(description="Fixed unit batches of the year per curve outcome.")
    dihitung_pada = fields.DatetimeField()

    class Meta:
        schema = SHARED_SCHEMA
        table = "statistik_instansi"
        unique_together = (("instansi", "tahun"),)
        indexes = (("tahun",),)


class AuditPusat(Model):
    """The central audit log: reads that span instansi (BKN's national views). A read of one
    instansi is audited in that instansi's own log instead."""

    id = fields.BigIntField(primary_key=True)
    occurred_at = fields.DatetimeField(auto_now_add=True, source_field="terjadi_pada")
    actor = fields.CharField(max_length=100, source_field="pelaku")
    action = fields.CharField(max_length=100, source_field="aksi")
    detail = fields.JSONField(default=dict, source_field="rincian")
    request_id = fields.CharField(max_length=64, null=True)

    class Meta:
        schema = SHARED_SCHEMA
        table = "audit_pusat"


class SesiBrowser(Model):
    """A browser login (decision 0017). The cookie carries only a random 256-bit session id;
    this row keeps its SHA-256, the principal validated at login and, sealed, the refresh token."""

    id = fields.BigIntField(primary_key=True)
    hash = fields.CharField(max_length=64, unique=True, description="SHA-256 of the session id.")
    nip = fields.CharField(max_length=18, description="The person (their principal's subject).")
    roles = fields.JSONField(default=list, description="Roles the login's token granted.")
    instansi_kode = fields.CharField(
        max_length=16, null=True, description="The person's own instansi (central admin: null)."
    )
    created_at = fields.DatetimeField(auto_now_add=True, source_field="dibuat_pada")
    last_seen_at = fields.DatetimeField(
        description="Last use, to a minute (idle expiry).", source_field="terakhir_dipakai_pada"
    )
    expires_at = fields.DatetimeField(
        description="Absolute end: the session's maximum life, or the token's expiry if sooner.",
        source_field="berakhir_pada",
    )
    revoked_at = fields.DatetimeField(
        null=True, description="Logout or an admin's revocation.", source_field="dicabut_pada"
    )
    user_agent = fields.CharField(max_length=255, null=True)
    ip_address = fields.CharField(max_length=45, null=True, source_field="alamat_ip")
    refresh_token_sealed = fields.TextField(
        null=True,
        description="The identity provider's refresh token, sealed (AES-GCM, issue 18); null: "
        "none was given, or the session ended.",
        source_field="refresh_token",
    )
    token_expires_at = fields.DatetimeField(
        null=True,
        description="End of the access grant (the token's exp, never past berakhir_pada); a "
        "refresh moves it.",
        source_field="token_berakhir_pada",
    )

    class Meta:
        schema = SHARED_SCHEMA
        table = "sesi_browser"
        indexes = (("instansi_kode", "nip"),)


class UnduhanTerpakai(Model):
    """A local-store download link already used: each link works once (decision 0017)."""

    nonce = fields.CharField(max_length=32, primary_key=True)
    expires_at = fields.DatetimeField(
        db_index=True, description="The link's own expiry.", source_field="berakhir_pada"
    )

    class Meta:
        schema = SHARED_SCHEMA
        table = "unduhan_terpakai"
