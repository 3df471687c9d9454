"""The one body-reading rule (ekinerja/http/bounded_body.py) that /graphql, the token endpoint
and the uploads share: refused from Content-Length before reading, refused at the chunk that
passes the limit with nothing read after it, and bounded by a deadline when one is given. The
endpoints' own answers are tested with them (tests/hostile/, tests/test_graphql_http.py,
tests/test_api_clients.py)."""

from __future__ import annotations

import asyncio

import pytest

from ekinerja.http.bounded_body import BodyTimeout, BodyTooLarge, read_bounded, write_bounded


class Chunks:
    """An async body that records how much of it was read."""

    def __init__(self, *chunks: bytes, then_hang: bool = False) -> None:
        self.chunks, self.read, self.then_hang = list(chunks), 0, then_hang

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        for chunk in self.chunks:
            self.read += 1
            yield chunk
        if self.then_hang:
            await asyncio.Event().wait()  # a sender that never finishes its body


async def test_a_body_within_the_limit_is_read_whole():
    body = await read_bounded({"content-length": "6"}, Chunks(b"abc", b"def"), 6)
    assert body == b"abcdef"


async def test_a_declared_length_over_the_limit_is_refused_before_reading():
    chunks = Chunks(b"a")
    with pytest.raises(BodyTooLarge, match="over 4 bytes"):
        await read_bounded({"content-length": "5"}, chunks, 4)
    assert chunks.read == 0
    # A malformed length is no refusal; the count of what arrives applies.
    assert await read_bounded({"content-length": "-1"}, Chunks(b"ab"), 4) == b"ab"


async def test_a_body_that_arrives_larger_stops_being_read_at_the_limit():
    chunks = Chunks(b"abc", b"de", b"never read")
    with pytest.raises(BodyTooLarge):
        await read_bounded({}, chunks, 4)
    assert chunks.read == 2


async def test_a_trickling_body_is_refused_at_the_deadline(tmp_path):
    with pytest.raises(BodyTimeout, match="within 0.05 s"):
        await read_bounded({}, Chunks(b"a", then_hang=True), 10, seconds=0.05)
    with pytest.raises(BodyTimeout):
        await write_bounded({}, Chunks(b"a", then_hang=True), tmp_path / "f", 10, seconds=0.05)


async def test_a_body_is_written_to_a_file_under_the_same_rules(tmp_path):
    path = tmp_path / "upload.csv"
    await write_bounded({"content-length": "4"}, Chunks(b"ab", b"cd"), path, 4, seconds=5)
    assert path.read_bytes() == b"abcd"
    with pytest.raises(BodyTooLarge):
        await write_bounded({}, Chunks(b"abc", b"de"), tmp_path / "big", 4)
