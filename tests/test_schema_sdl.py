"""schema.graphql is the committed contract; it must match the code."""

from ekinerja.schema import SCHEMA_FILE, export_sdl


def test_committed_schema_matches_the_code():
    assert SCHEMA_FILE.read_text() == export_sdl(), (
        "schema.graphql is stale: run `ekinerja schema export` and commit the result"
    )
