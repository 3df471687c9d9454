"""How many webhook attempts a worker process has open: at most ``total`` in all and
``per_penerima`` to one receiver (the normalised host and port of its URL,
`alamat.penerima`). A claim takes only the room there is, so a receiver that hangs holds its own
slots until its attempts time out, and every other receiver is still served."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


class Kapasitas:
    def __init__(self, total: int, per_penerima: int) -> None:
        self.total = total
        self.per_penerima = per_penerima
        self._terbuka: Counter[str] = Counter()

    def ruang(self) -> tuple[int, dict[str, int]]:
        """Room left in all, and the attempts open per receiver that has any."""
        return self.total - sum(self._terbuka.values()), dict(self._terbuka)

    def ambil(self, penerima: Iterable[str]) -> None:
        """Take a slot for each claimed attempt (a receiver named once per attempt)."""
        self._terbuka.update(penerima)

    def lepas(self, penerima: str) -> None:
        """Give a finished attempt's slot back."""
        self._terbuka[penerima] -= 1
        if self._terbuka[penerima] <= 0:
            del self._terbuka[penerima]
