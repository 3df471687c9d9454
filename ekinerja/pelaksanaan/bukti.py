"""Bukti dukung (evidence) for a realisasi or a progres entry.

A file never passes through the API: `request_upload` records a pending row and returns a
presigned upload under the tenant's prefix (`tenants/<kode>/bukti/…`) bound to the declared
type, size and SHA-256; the client uploads to storage; `confirm` checks the stored object
(HEAD) against the declaration before the evidence counts. Pending rows expire; `collect`
(`ekinerja storage gc`) deletes expired rows and every object no row refers to. A link, as
today's e-Kinerja stores, is evidence too. See docs/decisions/0009-evidence-storage.md.

No database transaction is open while the object store is called (decision 0018): a store
that hangs must not hold row locks or a pooled connection. So a confirm asks the store first
(`inspect_upload`, before the request's transaction) and decides in the transaction with what
it was told; wrong bytes are deleted after it (`discard`); gc reads, calls the store and
deletes rows in separate steps.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from tortoise.timezone import now

from ekinerja import audit
from ekinerja.auth.policy import Operation, widest_reach
from ekinerja.auth.principal import Principal, Role
from ekinerja.models.tenant import BuktiDukung, Pegawai, ProgresHarian, Realisasi
from ekinerja.pelaksanaan import peristiwa
from ekinerja.pelaksanaan.enums import JenisBukti, StatusBukti
from ekinerja.pelaksanaan.periode import ensure_open
from ekinerja.refusals import Refusal, invalid, storage_code
from ekinerja.skp.lifecycle import Caller
from ekinerja.storage import ObjectStore, StorageError, StoredObject, UploadForm
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import BoundTenant

# PDF, images and office documents (docs/domain.md 4.2; decision 0009).
ALLOWED_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
MAX_NAMA = 255
MAX_TAUTAN = 2000
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    upload_expiry_seconds: int
    download_expiry_seconds: int
    pending_ttl_seconds: int


@dataclass(frozen=True)
class Target:
    """What the evidence supports: exactly one of a realisasi or a progres entry."""

    realisasi_id: int | None = None
    progres_id: int | None = None


def _storage_refusal(error: StorageError) -> Refusal:
    """A storage failure as a refusal (data, not a stack trace): STORAGE_UNAVAILABLE when the
    store did not answer; the savepoint around the mutation undoes the rows written so far."""
    return Refusal(storage_code(error.code), f"evidence storage: {error}", None)


@contextmanager
def _storage() -> Iterator[None]:
    """For calls that only sign (presigned forms and links): no request leaves the process."""
    try:
        yield
    except StorageError as error:
        raise _storage_refusal(error) from None


def tenant_prefix(kode: str) -> str:
    return f"tenants/{kode}/"


def ensure_in_tenant(key: str, kode: str) -> None:
    """Every key this tenant touches lies under its prefix: a key of another tenant (or none
    at all) is refused before storage is asked anything."""
    if not key.startswith(tenant_prefix(kode)) or ".." in key.split("/"):
        raise Refusal(
            "KEY_OUTSIDE_TENANT", "the object key is outside this instansi's storage", "objectKey"
        )


async def _owned_target(target: Target, caller: Caller) -> tuple[int, int, str]:
    """(skp id, owner pegawai id, periode) of the target, refusing others' and closed ones."""
    if (target.realisasi_id is None) == (target.progres_id is None):
        raise invalid("realisasiId", "give either a realisasiId or a progresId")
    if target.realisasi_id is not None:
        found = await Realisasi.get_or_none(id=target.realisasi_id).select_related("skp")
        field, value = "realisasiId", target.realisasi_id
        owner = found.skp.pegawai_id if found else None
    else:
        found = await ProgresHarian.get_or_none(id=target.progres_id)
        field, value = "progresId", target.progres_id
        owner = found.pegawai_id if found else None
    if found is None or (caller.pegawai_id is not None and caller.pegawai_id != owner):
        raise Refusal("NOT_FOUND", f"no {field[:-2]} with id {value}", field)
    await ensure_open(found.skp_id, found.periode)  # and kept open until the write commits
    return found.skp_id, owner, found.periode


def _clean_name(nama: str) -> str:
    nama = " ".join((nama or "").split())
    if not nama:
        raise invalid("nama", "the evidence needs a name")
    if len(nama) > MAX_NAMA:
        raise invalid("nama", f"the name is longer than {MAX_NAMA} characters")
    return nama


@dataclass(frozen=True)
class UploadRequest:
    target: Target
    nama: str
    content_type: str
    ukuran: int
    sha256: str


async def request_upload(
    request: UploadRequest, caller: Caller, store: ObjectStore, kode: str, limits: Limits
) -> tuple[BuktiDukung, UploadForm]:
    nama = _clean_name(request.nama)
    content_type = request.content_type.strip().lower()
    if content_type not in ALLOWED_TYPES:
        raise Refusal(
            "UNSUPPORTED_TYPE",
            f"{request.content_type!r} is not accepted: upload PDF, images or office documents",
            "contentType",
        )
    if request.ukuran < 1 or request.ukuran > limits.max_bytes:
        raise Refusal(
            "TOO_LARGE" if request.ukuran > limits.max_bytes else "INVALID_INPUT",
            f"the size must be from 1 byte to {limits.max_bytes} bytes",
            "ukuran",
        )
    sha256 = request.sha256.strip().lower()
    if not _SHA256.fullmatch(sha256):
        raise invalid("sha256", "the SHA-256 must be 64 hexadecimal characters")
    skp_id, owner, _ = await _owned_target(request.target, caller)
    safe = _UNSAFE.sub("_", nama)[-80:].strip("._") or "berkas"
    key = f"{tenant_prefix(kode)}bukti/{skp_id}/{uuid.uuid4().hex}/{safe}"
    row = await BuktiDukung.create(
        jenis=JenisBukti.BERKAS,
        status=StatusBukti.MENUNGGU_UNGGAHAN,
        pemilik_pegawai_id=owner,
        skp_id=skp_id,
        realisasi_id=request.target.realisasi_id,
        progres_id=request.target.progres_id,
        nama=nama,
        object_key=key,
        content_type=content_type,
        ukuran=request.ukuran,
        sha256=sha256,
        kedaluwarsa_pada=now() + timedelta(seconds=limits.pending_ttl_seconds),
    )
    with _storage():
        form = await store.presign_upload(
            key,
            content_type=content_type,
            max_bytes=request.ukuran,
            sha256_hex=sha256,
            expires_in=limits.upload_expiry_seconds,
        )
    await audit.record(caller.subject, "bukti.request_upload", "skp", skp_id, bukti_id=row.id)
    return row, form


@dataclass(frozen=True)
class Inspection:
    """What the store said about a pending upload's object, asked before the transaction that
    confirms it: the object's facts (None: nothing there), or why the store could not say."""

    key: str
    stored: StoredObject | None
    error: StorageError | None = None


async def inspect_upload(
    bukti_id: int, tenant: BoundTenant, store: ObjectStore, principal: Principal | None
) -> Inspection | None:
    """Step one of a confirm: the pending row read in a short transaction of its own, then its
    object asked for outside any. None when there is nothing to ask: no such pending upload, a
    key outside the tenant, or a caller `confirm` will refuse anyway (one without the scope, or
    a person whose upload it is not, judged from the same rows `confirm` reads), so a caller
    cannot make the store be asked about someone else's object. `confirm` then refuses with
    the reason, as it always did."""
    if principal is None or widest_reach(principal, Operation.REPORT_PELAKSANAAN) is None:
        return None
    async with tenant_transaction(tenant):
        row = (
            await BuktiDukung.filter(id=bukti_id, status=StatusBukti.MENUNGGU_UNGGAHAN)
            .first()
            .values("object_key", "pemilik_pegawai_id")
        )
        if row is None or not await _may_confirm(principal, row["pemilik_pegawai_id"]):
            return None
    key = row["object_key"]
    if key is None or not key.startswith(tenant_prefix(tenant.kode)) or ".." in key.split("/"):
        return None
    try:
        return Inspection(key, await store.head(key))
    except StorageError as error:
        return Inspection(key, None, error)


async def _may_confirm(principal: Principal, owner_id: int) -> bool:
    """`confirm`'s ownership rule before the request's transaction: a person (identified as
    the view does, by NIP in this instansi) only their own upload; a non-person with the scope
    any of the instansi's."""
    if not principal.is_person or principal.has_role(Role.CENTRAL_ADMIN):
        return not principal.is_person
    pegawai_id = await Pegawai.filter(nip=principal.nip).first().values_list("id", flat=True)
    return pegawai_id is not None and pegawai_id == owner_id


async def confirm(
    bukti_id: int,
    caller: Caller,
    inspection: Inspection | None,
    kode: str,
    discard: Callable[[str], None],
) -> BuktiDukung:
    """Step two, in the request's transaction: the row locked and checked again, then judged by
    what `inspect_upload` found. Wrong bytes are handed to ``discard`` (deleted once the
    transaction is over) so the client starts afresh."""
    row = await BuktiDukung.select_for_update().get_or_none(id=bukti_id)
    if row is None or (
        caller.pegawai_id is not None and caller.pegawai_id != row.pemilik_pegawai_id
    ):
        raise Refusal("NOT_FOUND", f"no upload with id {bukti_id} of yours", "buktiId")
    if row.status is not StatusBukti.MENUNGGU_UNGGAHAN:
        raise Refusal("ALREADY_CONFIRMED", "this evidence is already confirmed", "buktiId")
    if row.kedaluwarsa_pada is not None and row.kedaluwarsa_pada <= now():
        raise Refusal("EXPIRED", "this upload expired: request a new one", "buktiId")
    # Evidence counts once confirmed: not in a window submitted since the upload was asked for.
    _, _, periode = await _owned_target(Target(row.realisasi_id, row.progres_id), caller)
    ensure_in_tenant(row.object_key, kode)
    if inspection is None or inspection.key != row.object_key:
        # inspect_upload read this very row as pending before the transaction began.
        raise RuntimeError(f"bukti {bukti_id} was not inspected before its confirmation")
    if inspection.error is not None:
        raise _storage_refusal(inspection.error)
    stored = inspection.stored
    if stored is None:
        raise Refusal("NOT_UPLOADED", "no file was uploaded for this evidence yet", "buktiId")
    problem = _mismatch(row, stored)
    if problem:
        discard(row.object_key)  # the client may upload again with the same form
        raise Refusal(*problem)
    row.status = StatusBukti.TERSEDIA
    row.sha256_terverifikasi = stored.sha256_verified
    row.kedaluwarsa_pada = None
    row.dikonfirmasi_pada = now()
    await row.save()
    await audit.record(caller.subject, "bukti.confirm", "skp", row.skp_id, bukti_id=row.id)
    await peristiwa.realisasi(peristiwa.BUKTI_DITAMBAHKAN, row.skp_id, periode)
    return row


def _mismatch(row: BuktiDukung, stored: StoredObject) -> tuple[str, str, str] | None:
    if stored.size != row.ukuran:
        return (
            "SIZE_MISMATCH",
            f"the uploaded file has {stored.size} bytes, {row.ukuran} were declared",
            "ukuran",
        )
    if stored.content_type.split(";")[0].strip().lower() != row.content_type:
        return (
            "TYPE_MISMATCH",
            f"the uploaded file is {stored.content_type}, {row.content_type} was declared",
            "contentType",
        )
    if stored.sha256_hex is None or stored.sha256_hex.lower() != row.sha256:
        return (
            "CHECKSUM_MISMATCH",
            "the uploaded file's SHA-256 differs from the one declared",
            "sha256",
        )
    return None


async def add_link(target: Target, nama: str, tautan: str, caller: Caller) -> BuktiDukung:
    nama = _clean_name(nama)
    tautan = (tautan or "").strip()
    parts = urlsplit(tautan)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(tautan) > MAX_TAUTAN:
        raise invalid("tautan", "the link must be an http(s) URL of at most 2000 characters")
    skp_id, owner, periode = await _owned_target(target, caller)
    row = await BuktiDukung.create(
        jenis=JenisBukti.TAUTAN,
        status=StatusBukti.TERSEDIA,
        pemilik_pegawai_id=owner,
        skp_id=skp_id,
        realisasi_id=target.realisasi_id,
        progres_id=target.progres_id,
        nama=nama,
        tautan=tautan,
        dikonfirmasi_pada=now(),
    )
    await audit.record(caller.subject, "bukti.add_link", "skp", skp_id, bukti_id=row.id)
    await peristiwa.realisasi(peristiwa.BUKTI_DITAMBAHKAN, skp_id, periode)
    return row


async def remove(bukti_id: int, caller: Caller) -> int:
    """Remove evidence while its window is open. The object goes with the next gc run (a
    storage call inside the transaction could not be rolled back with it)."""
    row = await BuktiDukung.select_for_update().get_or_none(id=bukti_id)
    if row is None or (
        caller.pegawai_id is not None and caller.pegawai_id != row.pemilik_pegawai_id
    ):
        raise Refusal("NOT_FOUND", f"no bukti dukung with id {bukti_id} of yours", "buktiId")
    target = Target(row.realisasi_id, row.progres_id)
    _, _, periode = await _owned_target(target, caller)
    await row.delete()
    await audit.record(caller.subject, "bukti.remove", "skp", row.skp_id, bukti_id=bukti_id)
    if row.status is StatusBukti.TERSEDIA:  # a pending upload counted nowhere
        await peristiwa.realisasi(peristiwa.BUKTI_DIHAPUS, row.skp_id, periode)
    return bukti_id


async def download_url(row: BuktiDukung, store: ObjectStore, kode: str, limits: Limits) -> str:
    """A short-lived URL of a confirmed file (authorization is the caller's job), or its link."""
    if row.jenis is JenisBukti.TAUTAN:
        return row.tautan
    ensure_in_tenant(row.object_key, kode)
    with _storage():
        return await store.presign_download(
            row.object_key, filename=row.nama, expires_in=limits.download_expiry_seconds
        )


@dataclass(frozen=True)
class Collected:
    expired_rows: int
    orphan_objects: int


async def collect(store: ObjectStore, tenant: BoundTenant, grace_seconds: int) -> Collected:
    """Delete expired pending uploads and every object under the tenant's prefix that no row
    refers to (older than ``grace_seconds``, so an upload in flight is never taken).

    No transaction is open while the store is called: the candidates are read in one short
    transaction, their objects deleted outside any, and then the rows in another short one,
    only those still pending and expired (an expired upload can no longer be confirmed, so its
    object may go first; if the store fails, the rows stay for the next run)."""
    cutoff: datetime = now() - timedelta(seconds=grace_seconds)
    async with tenant_transaction(tenant):
        expired = await BuktiDukung.filter(
            status=StatusBukti.MENUNGGU_UNGGAHAN, kedaluwarsa_pada__lte=now()
        ).values_list("id", "object_key")
        known = set(
            await BuktiDukung.filter(object_key__isnull=False).values_list("object_key", flat=True)
        )
    for _, key in expired:
        if key:
            await store.delete(key)
    removed = 0
    if expired:
        async with tenant_transaction(tenant):
            removed = await BuktiDukung.filter(
                id__in=[i for i, _ in expired],
                status=StatusBukti.MENUNGGU_UNGGAHAN,
                kedaluwarsa_pada__lte=now(),
            ).delete()
    orphans = 0
    async for listed in store.list(tenant_prefix(tenant.kode)):
        # A row made after `known` was read is younger than its object's upload, so the cutoff
        # (taken before the read) spares it.
        if listed.key not in known and listed.last_modified <= cutoff:
            await store.delete(listed.key)
            orphans += 1
    return Collected(removed, orphans)
