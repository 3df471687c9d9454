"""Delivery states."""

from __future__ import annotations

from enum import StrEnum


class StatusPengiriman(StrEnum):
    """MENUNGGU (due now or at its next attempt) → TERKIRIM (2xx) | GAGAL (dead letter: the last
    attempt failed; only a replay sends it again)."""

    MENUNGGU = "MENUNGGU"
    TERKIRIM = "TERKIRIM"
    GAGAL = "GAGAL"
