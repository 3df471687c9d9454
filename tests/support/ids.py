"""Global ids in tests (decision 0028): what the API hands out for a row of a tenant, built the
way ekinerja.schema.ids builds it, so a test can send an id or compare one it got back."""

from __future__ import annotations

import base64
from typing import Any

from ekinerja.schema.ids import decode_id, encode_id

# The GraphQL type (the id's type) of each model whose rows tests refer to by id.
TYPE_OF_MODEL = {
    "Pegawai": "Pegawai",
    "UnitKerja": "UnitKerja",
    "Jabatan": "Jabatan",
    "Skp": "Skp",
    "Rhk": "Rhk",
    "Indikator": "Indikator",
    "RencanaAksi": "RencanaAksi",
    "TemplatRhk": "TemplatRhk",
    "ProgresHarian": "ProgresHarian",
    "Realisasi": "Realisasi",
    "BuktiDukung": "BuktiDukung",
    "UmpanBalik": "UmpanBalik",
    "EvaluasiPeriodik": "EvaluasiPeriodik",
    "Keberatan": "Keberatan",
    "Pemberitahuan": "Pemberitahuan",
    "WebhookLangganan": "WebhookLangganan",
    "WebhookPengiriman": "WebhookPengiriman",
    "ImporKepegawaian": "ImporKepegawaian",
    "OutboxEvent": "Peristiwa",
}


def _kode(tenant: Any) -> str:
    return tenant if isinstance(tenant, str) else tenant.kode


def gid(tenant: Any, type_name: str, row_id: int | str) -> str:
    """The global id of row ``row_id`` of ``type_name`` in ``tenant`` (an Instansi or its kode)."""
    return str(encode_id(type_name, int(row_id), _kode(tenant)))


def gid_of(tenant: Any, row: Any) -> str:
    """The global id of a model row of ``tenant`` (its type from the model's class)."""
    return gid(tenant, TYPE_OF_MODEL[type(row).__name__], row.id)


def row_of(value: str) -> int:
    """The row number a global id names (for looking the row up in a test)."""
    found = decode_id(value)
    assert found is not None, f"not a global id: {value!r}"
    return found.row_id


def raw(plain: str) -> str:
    """base64url of any text, unpadded: for hand-made (malformed or forged) ids."""
    return base64.urlsafe_b64encode(plain.encode()).rstrip(b"=").decode()


def same_row_in(tenant: Any, value: str) -> str:
    """The id of the same type and row number in another tenant: what a bare number sent to
    the wrong instansi used to mean (an id of another instansi is refused as such)."""
    found = decode_id(value)
    assert found is not None, f"not a global id: {value!r}"
    return gid(tenant, found.type_name, found.row_id)
