"""Global ids (decision 0028). Every id the API hands out names its type, its instansi and its
row: the unpadded base64url of ``"<Type>:<kode instansi>:<row id>"``, e.g. ``Skp:B001:523`` →
``U2twOkIwMDE6NTIz``. The type is the GraphQL type's name; the instansi is the one the operation
is bound to (ekinerja.tenants.context), so a type builds its id without being told. Clients
treat ids as opaque: the layout is documented for debugging, not as something to build ids
from (docs/integrators.md, "Ids").

Every id argument or input field decodes and checks its id here, and is refused naming the
field when it is not one of the expected type, or of the bound instansi:

- not an id at all (not base64url, not three parts, not a row number 1 to 2147483647):
  INVALID_INPUT;
- an id of another type (an Rhk's id where an Skp's is expected): INVALID_INPUT, naming the
  type expected;
- an id of another instansi: ID_OF_OTHER_INSTANSI. It never falls back to the row with the same
  number here: the row number alone names nothing.

A mutation returns the refusal as data (MutationError); a query reports it as a client error
(the Refusal's code in ``extensions.code``)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

import strawberry

from ekinerja.refusals import Refusal
from ekinerja.tenants.context import current_tenant

INT4_MAX = 2**31 - 1
OTHER_INSTANSI = "ID_OF_OTHER_INSTANSI"
_LONGEST = 100  # characters: the longest id is about 60 (a 20-character type name)
_PLAIN = re.compile(r"([A-Z][A-Za-z0-9]{0,39}):([A-Z0-9]{2,16}):([1-9][0-9]{0,9})")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class GlobalId(str):
    """An id as handed out: the encoded text, which also knows its row (``int(gid)`` and
    ``gid.row_id``), so a resolver holding its type's id reads the row without decoding."""

    row_id: int

    def __int__(self) -> int:
        return self.row_id


@dataclass(frozen=True, slots=True)
class DecodedId:
    type_name: str
    instansi_kode: str
    row_id: int


def encode_id(type_name: str, row_id: int, instansi_kode: str) -> GlobalId:
    row = int(row_id)
    plain = f"{type_name}:{instansi_kode}:{row}"
    found = GlobalId(base64.urlsafe_b64encode(plain.encode()).rstrip(b"=").decode())
    found.row_id = row
    return found


def gid(type_name: str, row_id: int) -> strawberry.ID:
    """The id of row ``row_id`` of ``type_name`` in the instansi this operation is bound to."""
    return strawberry.ID(encode_id(type_name, row_id, current_tenant().kode))


def gid_or_none(type_name: str, row_id: int | None) -> strawberry.ID | None:
    return None if row_id is None else gid(type_name, row_id)


def decode_id(value: object) -> DecodedId | None:
    """What a global id says, or None when ``value`` is not one (any instansi, any type)."""
    text = value if isinstance(value, str) else str(value)
    if not 0 < len(text) <= _LONGEST or not _BASE64URL.fullmatch(text):
        return None
    try:
        plain = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    found = _PLAIN.fullmatch(plain)
    if found is None or (row := int(found[3])) > INT4_MAX:
        return None
    if encode_id(found[1], row, found[2]) != text:  # one spelling per id (no stray bits)
        return None
    return DecodedId(found[1], found[2], row)


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _expected(types: tuple[str, ...]) -> str:
    return " or ".join(types)


def check_id(
    value: object, field: str, types: str | Iterable[str], instansi_kode: str | None = None
) -> DecodedId:
    """The decoded id of one of ``types`` in the bound instansi (or ``instansi_kode``, before
    one is bound), or the refusal naming ``field`` (see the module's docstring)."""
    expected = (types,) if isinstance(types, str) else tuple(types)
    found = decode_id(value)
    if found is None:
        raise Refusal(
            "INVALID_INPUT",
            f"{field}: {_shown(value)} is not an id of this API (expected the id of a "
            f"{_expected(expected)}, as the API handed it out)",
            field,
        )
    if found.type_name not in expected:
        raise Refusal(
            "INVALID_INPUT",
            f"{field}: expected the id of a {_expected(expected)}, got the id of a "
            f"{found.type_name}",
            field,
        )
    bound = instansi_kode or current_tenant().kode
    if found.instansi_kode != bound:
        raise Refusal(
            OTHER_INSTANSI,
            f"{field}: the id belongs to another instansi ({found.instansi_kode}), not to "
            f"{bound}, the instansi of this request",
            field,
        )
    return found


def parse_id(value: object, field: str, types: str | Iterable[str]) -> int | None:
    """The row id an id argument names (None stays None), or a refusal naming the field:
    returned as data by a mutation, a client error in a query, never an unexpected error."""
    if value is None:
        return None
    return check_id(value, field, types).row_id


def parse_ids(values: Iterable[object], field: str, types: str | Iterable[str]) -> list[int]:
    return [parse_id(v, f"{field}[{n}]", types) for n, v in enumerate(values)]


def id_or_none(
    value: object, types: str | Iterable[str], instansi_kode: str | None = None
) -> int | None:
    """The row id ``value`` names when it is an id of one of ``types`` in the bound instansi,
    else None (for authorization look-ups that only need "which row, if any": the operation
    itself then refuses the id with ``parse_id``)."""
    try:
        return check_id(value, "id", types, instansi_kode).row_id
    except Refusal:
        return None


# Events (the change feed and webhook deliveries) carry the same global ids as the API, so an
# integrator can pass them to `node` or `skp(id:)` as they come: the event's own id, the record
# it is about (`entitasId`) and the ids in its data. The outbox stores row numbers; they become
# global ids as the event leaves, in the instansi it belongs to.
ENTITAS_TYPES = {"skp": "Skp", "evaluasi": "EvaluasiPeriodik", "keberatan": "Keberatan"}
EVENT_DATA_TYPES = {
    "skpId": "Skp",
    "menggantikanSkpId": "Skp",
    "evaluasiId": "EvaluasiPeriodik",
    "keberatanId": "Keberatan",
}
EVENT_TYPE = "Peristiwa"


def event_entitas_id(entitas: str, entitas_id: str, instansi_kode: str) -> str:
    type_name = ENTITAS_TYPES.get(entitas)
    if type_name is None or not str(entitas_id).isdigit():
        return str(entitas_id)
    return encode_id(type_name, int(entitas_id), instansi_kode)


def event_data(data: dict, instansi_kode: str) -> dict:
    return {
        key: encode_id(EVENT_DATA_TYPES[key], value, instansi_kode)
        if key in EVENT_DATA_TYPES and isinstance(value, int) and not isinstance(value, bool)
        else value
        for key, value in data.items()
    }
