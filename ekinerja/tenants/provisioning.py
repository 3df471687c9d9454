"""Creating a tenant: registry row, PostgreSQL role, schema and tables in one transaction."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from ekinerja.db.config import CONNECTION
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.tenants.errors import TenantAlreadyExists, TenantError
from ekinerja.tenants.identifiers import (
    normalize_kode,
    quote_identifier,
    role_name_for,
    schema_name_for,
)
from ekinerja.tenants.migrations import (
    TenantMigration,
    migrate_tenant_in,
    prepare_fresh_tenant_script,
)
from ekinerja.tenants.provinsi import check_provinsi


class InvalidTenantField(TenantError):
    code = "INVALID_TENANT_FIELD"


class TenantProvisioningFailed(TenantError):
    code = "TENANT_PROVISIONING_FAILED"
    http_status = 500


def _validate_nama(nama: str) -> str:
    nama = (nama or "").strip()
    if not nama or len(nama) > 255:
        raise InvalidTenantField("nama instansi must be 1 to 255 characters")
    return nama


def _validate_jenis(jenis: str | JenisInstansi) -> JenisInstansi:
    try:
        return JenisInstansi(str(jenis).upper())
    except ValueError:
        allowed = ", ".join(j.value for j in JenisInstansi)
        raise InvalidTenantField(
            f"jenis instansi {jenis!r} is invalid: use one of {allowed}"
        ) from None


async def create_tenant(
    kode: str,
    nama: str,
    jenis: str | JenisInstansi,
    role_prefix: str,
    provinsi: str | None = None,
) -> tuple[Instansi, TenantMigration]:
    """Register and provision a tenant; on any failure nothing of it remains. ``provinsi``:
    the BPS code of its province (regional instansi), for the national view's filter."""
    kode = normalize_kode(kode)
    nama = _validate_nama(nama)
    jenis = _validate_jenis(jenis)
    try:
        provinsi = check_provinsi(provinsi)
    except ValueError as exc:
        raise InvalidTenantField(str(exc)) from None
    schema = schema_name_for(kode)
    role = role_name_for(schema, role_prefix)
    if await Instansi.filter(kode=kode).exists():
        raise TenantAlreadyExists(f"instansi {kode} already exists")
    await prepare_fresh_tenant_script()
    try:
        async with in_transaction(CONNECTION) as connection:
            instansi = await Instansi.create(
                kode=kode,
                nama=nama,
                jenis=jenis,
                provinsi=provinsi,
                schema_name=schema,
                role_name=role,
            )
            # A role that can use nothing but its own schema: the database-enforced wall.
            await connection.execute_script(
                f"CREATE ROLE {quote_identifier(role)} NOLOGIN NOINHERIT;"
                f"GRANT {quote_identifier(role)} TO CURRENT_USER;"
                f"CREATE SCHEMA {quote_identifier(schema)} AUTHORIZATION {quote_identifier(role)};"
            )
            migration = await migrate_tenant_in(connection, instansi, fresh=True)
    except IntegrityError:  # a concurrent create of the same kode won the race
        raise TenantAlreadyExists(f"instansi {kode} already exists") from None
    except OperationalError as exc:  # e.g. a leftover role or schema of the same name
        raise TenantProvisioningFailed(
            f"instansi {kode} could not be provisioned, nothing was kept: {exc}"
        ) from exc
    # Fields by name: without them Tortoise 1.x copies attributes named by column, and
    # `schema_version` (column `versi_schema`) would stay unset.
    await instansi.refresh_from_db(fields=list(instansi._meta.fields_db_projection))
    return instansi, migration
