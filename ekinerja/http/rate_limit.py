"""An in-process token bucket per key (a client id, an address): ``per_minute`` requests at
once, refilled evenly over a minute. Each process counts its own requests, so N processes allow
up to N times the rate; that bounds guessing well enough without a shared store.

The table of buckets is bounded: a full bucket is the same as no bucket, so those go first when
it grows past ``max_keys``, then the least recently used. Forgetting a key only ever forgives
it, and the keys flooding the table are themselves limited per address first.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60.0


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self._capacity = float(per_minute)
        self._refill_per_second = per_minute / WINDOW_SECONDS
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def retry_after(self, key: str) -> int | None:
        """Take one request for ``key``: None when allowed, else whole seconds until it
        would be."""
        now = self._clock()
        bucket = self._buckets.pop(key, None) or _Bucket(self._capacity, now)
        bucket.tokens = min(
            self._capacity, bucket.tokens + (now - bucket.at) * self._refill_per_second
        )
        bucket.at = now
        self._buckets[key] = bucket  # most recently used last
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            self._trim(now)
            return None
        return max(1, math.ceil((1 - bucket.tokens) / self._refill_per_second))

    def _trim(self, now: float) -> None:
        if len(self._buckets) <= self._max_keys:
            return
        for key in [k for k, b in self._buckets.items() if self._is_full(b, now)]:
            del self._buckets[key]
        # Down to 90 %, so a flood pays this scan once per thousand new keys, not per request.
        while len(self._buckets) > self._max_keys * 9 // 10:
            self._buckets.popitem(last=False)

    def _is_full(self, bucket: _Bucket, now: float) -> bool:
        return bucket.tokens + (now - bucket.at) * self._refill_per_second >= self._capacity
