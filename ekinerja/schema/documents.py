"""GraphQL documents parsed once per process: the service looks at a request's document
several times before Strawberry executes it (which operation, whether it reads only the
schema, what it uploads, an idempotency key's operation), and a portal sends the same few
documents over and over. Parsing was ~9 % of a request's CPU (issue 17's profile)."""

from __future__ import annotations

from functools import lru_cache

from graphql import DocumentNode, parse


@lru_cache(maxsize=512)
def parsed(query: str, max_tokens: int) -> DocumentNode:
    """``query`` parsed within ``max_tokens``; a GraphQLError (not cached) when it does not
    parse. The tree is shared: read it, never change it."""
    return parse(query, max_tokens=max_tokens)
