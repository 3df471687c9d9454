"""Changing the instansi's settings: `tetapkan` sets one key after the registry has read the
value (a bad one is refused naming what was wrong, so nothing unreadable is ever written this
way), `kembalikan` puts it back to its default; both audited with the value before and after.
The cadence of a year has its own mutation (`aturKadensi`), because changing it is refused once
a year is planned (and its own table: it is not a setting here).

Both tell the reader the settings are changing (`reader.berubah`): what the process remembers
of them is forgotten, and the running transaction reads them from the database until it ends.
The caller forgets them again once its transaction is over (`reader.lupakan`; the GraphQL
mutations do, schema/pengaturan_request.py), and the trigger on `tenant_setting` tells every
process's watcher at commit."""

from __future__ import annotations

import json
from typing import Any

from ekinerja import audit
from ekinerja.db.locks import serialize
from ekinerja.models.tenant import TenantSetting
from ekinerja.pengaturan.reader import Nilai, berubah, nilai_of
from ekinerja.pengaturan.registry import SETTINGS, Setting
from ekinerja.refusals import Refusal


def _known(kunci: str) -> Setting:
    setting = SETTINGS.get(kunci)
    if setting is None:
        raise Refusal(
            "UNKNOWN_SETTING",
            f"{kunci!r} is not a setting (known: {', '.join(sorted(SETTINGS))})",
            "kunci",
        )
    return setting


async def _locked(kunci: str) -> TenantSetting | None:
    """The key's row, if set, with the key held until the transaction ends: a row lock alone
    cannot hold a key that has no row yet, and two first writes would both insert (the second
    failing on the unique key); with the key held the second waits and updates instead."""
    await serialize("pengaturan", kunci)
    berubah()
    return await TenantSetting.select_for_update().get_or_none(key=kunci)


async def tetapkan(kunci: str, nilai: Any, actor: str) -> Nilai:
    """Set one key after checking the value; audited with the value before and after."""
    setting = _known(kunci)
    try:
        setting.check(nilai)
    except ValueError as exc:
        raise Refusal("INVALID_INPUT", f"{kunci}: {exc}", "nilai") from None
    row = await _locked(kunci)
    before = row.value if row else None
    # Tortoise takes a Python str for a JSON field as JSON text already: a string value (the
    # time zone) is encoded here, and assigned rather than passed to the constructor, which
    # would decode it again.
    stored = json.dumps(nilai) if isinstance(nilai, str) else nilai
    if row is None:
        row = TenantSetting(key=kunci)
        row.value = stored
        await row.save()
    else:
        row.value = stored
        await row.save(update_fields=["value", "updated_at"])
    row.value = nilai  # as read back: the decoded value, not the text handed to Tortoise
    await audit.record(actor, "pengaturan.tetapkan", "tenant_setting", kunci,
                       sebelum=before, sesudah=nilai)  # fmt: skip
    return nilai_of(setting, row)


async def kembalikan(kunci: str, actor: str) -> Nilai:
    """Back to the default: the key's row is removed; audited."""
    setting = _known(kunci)
    row = await _locked(kunci)
    if row is not None:
        await audit.record(actor, "pengaturan.kembalikan", "tenant_setting", kunci,
                           sebelum=row.value)  # fmt: skip
        await row.delete()
    return nilai_of(setting, None)
