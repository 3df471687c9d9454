"""Private keys the service keeps in files under its data directory (development)."""

from __future__ import annotations

from functools import lru_cache

import orjson
from joserfc.jwk import RSAKey


@lru_cache(maxsize=16)
def rsa_key_from_file_content(content: bytes) -> RSAKey:
    """The RSA private JWK a key file holds, imported once per distinct content: importing
    checks the private key (tens of milliseconds of CPU), and every app built and every
    development token minted reads the file again. A file rewritten with another key has other
    bytes, so it gives that key."""
    return RSAKey.import_key(orjson.loads(content))
