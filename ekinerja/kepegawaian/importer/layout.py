"""The column layouts of import files (documented in docs/import.md).

Header names are matched case-insensitively, and spaces or hyphens count as underscores, so
`Unor Id`, `unor-id` and `UNOR_ID` are the same column. Columns the layout does not know are
ignored (a SIASN export carries many more), and reported back so a misspelling is noticed.
"""

from __future__ import annotations

import re

NIP = "NIP"
NIP_LAMA = "NIP_LAMA"
NAMA = "NAMA"
GELAR_DEPAN = "GELAR_DEPAN"
GELAR_BELAKANG = "GELAR_BELAKANG"
JENIS_PEGAWAI = "JENIS_PEGAWAI"
GOLONGAN = "GOLONGAN"
STATUS = "STATUS"
EMAIL = "EMAIL"
UNOR_ID = "UNOR_ID"
UNOR_NAMA = "UNOR_NAMA"
UNOR_ATASAN_ID = "UNOR_ATASAN_ID"
JABATAN_NAMA = "JABATAN_NAMA"
JENIS_JABATAN = "JENIS_JABATAN"
JENJANG = "JENJANG"
KEPALA_UNIT = "KEPALA_UNIT"
TMT_JABATAN = "TMT_JABATAN"
PENILAI_EKSTERNAL_NAMA = "PENILAI_EKSTERNAL_NAMA"
PENILAI_EKSTERNAL_JABATAN = "PENILAI_EKSTERNAL_JABATAN"

# One row per pegawai with their current definitive position, in this order when written.
PEGAWAI_COLUMNS: tuple[str, ...] = (
    NIP,
    NIP_LAMA,
    NAMA,
    GELAR_DEPAN,
    GELAR_BELAKANG,
    JENIS_PEGAWAI,
    GOLONGAN,
    STATUS,
    EMAIL,
    UNOR_ID,
    UNOR_NAMA,
    UNOR_ATASAN_ID,
    JABATAN_NAMA,
    JENIS_JABATAN,
    JENJANG,
    KEPALA_UNIT,
    TMT_JABATAN,
    PENILAI_EKSTERNAL_NAMA,
    PENILAI_EKSTERNAL_JABATAN,
)
PEGAWAI_REQUIRED: frozenset[str] = frozenset(
    {NIP, NAMA, JENIS_PEGAWAI, UNOR_ID, UNOR_NAMA, JABATAN_NAMA, JENIS_JABATAN, TMT_JABATAN}
)

# One row per unit: lets vacant units exist before anyone is assigned to them.
UNOR_COLUMNS: tuple[str, ...] = (UNOR_ID, UNOR_NAMA, UNOR_ATASAN_ID)
UNOR_REQUIRED: frozenset[str] = frozenset({UNOR_ID, UNOR_NAMA})

# A reader puts cells beyond the header's last column here (an unquoted separator in a name
# shifts a CSV row); validation reports them instead of importing a shifted row.
EXTRA_CELLS = "__EXTRA_CELLS__"

_SEPARATORS = re.compile(r"[\s\-]+")


def canonical_column(header: str) -> str:
    """`Unor Id` → `UNOR_ID`: the form every layout constant is written in."""
    return _SEPARATORS.sub("_", (header or "").strip()).upper()


# Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
HEADER_ROW = 1


def data_row_number(index: int) -> int:
    """The file row of the ``index``-th (0-based) data row."""
    return index + HEADER_ROW + 1
