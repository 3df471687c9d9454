"""The instansi's settings: the rules docs/domain.md marks unverified ([L]), which each agency's
admin sets for itself (docs/decisions/0021-typed-instansi-settings.md).

- `registry.py` — every key once: what it means, its default, how a stored value is read
  (and so checked: a bad value is refused when written, with the path of what was wrong).
- `reader.py` — `baca()`: every setting of the bound instansi as one typed
  `PengaturanInstansi`, one query, remembered in the process until a change is announced
  (`lupakan`) or 30 s have passed. The only code that reads `tenant_setting` (with `sql.py`,
  its form for statements that judge many rows at once). A stored value the registry cannot
  read never fails a domain operation: its default is in force and a warning is logged.
- `writer.py` — `tetapkan` / `kembalikan`, checked and audited.
"""

from ekinerja.pengaturan.reader import (
    NOTIFY_PREFIX,
    Nilai,
    PengaturanInstansi,
    baca,
    bawaan,
    daftar,
    lupakan,
)
from ekinerja.pengaturan.registry import SETTINGS, Setting
from ekinerja.pengaturan.writer import kembalikan, tetapkan

__all__ = [
    "NOTIFY_PREFIX",
    "SETTINGS",
    "Nilai",
    "PengaturanInstansi",
    "Setting",
    "baca",
    "bawaan",
    "daftar",
    "kembalikan",
    "lupakan",
    "tetapkan",
]
