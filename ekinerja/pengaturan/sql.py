"""Settings in SQL, for statements that judge many rows at once (finality): the same reading
as `reader.baca`, spelled from the registry's names so the two cannot disagree."""

from __future__ import annotations

from ekinerja.pengaturan.registry import DEFAULT_ZONE, ZONA_WAKTU, ZONES

# The bound instansi's zone name: its setting, the default when unset or not one of ZONES
# (an unreadable value, as in `baca`).
ZONA_SQL = (
    "coalesce((SELECT z.nilai #>> '{}' FROM tenant_setting z "
    f"WHERE z.kunci = '{ZONA_WAKTU}' AND z.nilai #>> '{{}}' IN "
    f"({', '.join(repr(name) for name in ZONES)})), '{DEFAULT_ZONE}')"
)
