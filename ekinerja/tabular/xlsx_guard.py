"""Refusing an XLSX that would unpack to too much, before anything decompresses it.

An XLSX is a zip archive: a few KB can declare gigabytes of sheet XML (a zip bomb), and
openpyxl would inflate it all. The central directory states every part's unpacked size, so
the sum and each part's compression ratio are judged from it alone. The stated sizes can be
trusted because Python's zipfile (which openpyxl reads through) never inflates a part beyond
its stated size: a part that lies fails its CRC check and the file is refused as unreadable.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ekinerja.tabular.errors import ReadError, TooLarge

# A workbook has about ten parts, more with many sheets or pictures; a million tiny parts is
# work of its own.
MAX_PARTS = 1000
# Sheet XML deflates about tenfold (repetitive sheets a few times more); a hundredfold and
# more over a megabyte is a bomb, not a spreadsheet.
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024
# What Excel, LibreOffice and openpyxl write. zipfile inflates other methods (bzip2, lzma)
# without an output bound per call, so a part in one of them is refused, not opened.
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def check_xlsx(path: Path, max_unpacked: int) -> None:
    """Raise TooLarge when ``path`` would unpack to more than ``max_unpacked`` bytes, has a part
    compressed suspiciously well, or too many parts; ReadError when it is no zip archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ReadError(f"{path.name}: not a readable XLSX file ({error})") from None
    if len(parts) > MAX_PARTS:
        raise TooLarge(f"{path.name}: {len(parts)} parts in the archive, at most {MAX_PARTS}")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        raise TooLarge(
            f"{path.name}: unpacks to {unpacked:,} bytes, more than the {max_unpacked:,} "
            "allowed; split it into smaller files"
        )
    for part in parts:
        if part.compress_type not in _COMPRESSIONS:
            raise ReadError(f"{path.name}: {part.filename} is not compressed as XLSX parts are")
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > _RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise TooLarge(
                f"{path.name}: {part.filename} unpacks {ratio:,} times larger than it is "
                f"stored (at most {MAX_RATIO}): not read"
            )
