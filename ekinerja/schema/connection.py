"""The one connection type of the API (Relay cursor connections, decision 0029): every list
that can grow is a `<Node>Connection { edges { cursor node } nodes pageInfo }` read forward
with `first` (1 to 100, default 20) and `after` (an opaque keyset cursor, ekinerja/paging.py).
`Connection[Skp]` is named `SkpConnection` and its edges `SkpEdge` by Strawberry's generics;
a list that offers `totalCount` subclasses its specialisation (`CountedConnection`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from tortoise.queryset import QuerySet

from ekinerja.paging import (
    DEFAULT_FIRST,
    MAX_FIRST,
    Keyset,
    Page,
    PageRequest,
    encode_cursor,
    keyset_page,
    page_request,
)
from ekinerja.schema.context import Info

T = TypeVar("T")

FIRST_DESCRIPTION = (
    f"How many items, 1 to {MAX_FIRST} (default {DEFAULT_FIRST}); more is refused "
    "INVALID_INPUT naming `first`."
)
AFTER_DESCRIPTION = (
    "`pageInfo.endCursor` (or an edge's `cursor`) of the previous page; null: from the start. "
    "A cursor of another list or instansi, or an edited one, is refused INVALID_INPUT naming "
    "`after`."
)

First = Annotated[int, strawberry.argument(description=FIRST_DESCRIPTION)]
After = Annotated[str | None, strawberry.argument(description=AFTER_DESCRIPTION)]


@strawberry.type(
    description="Where a page of a connection begins and ends and whether the list goes on "
    "(Relay PageInfo). Pages go forward only (`first`/`after`)."
)
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether items follow this page: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Always false: pages are read forward only (`last`/`before` are not "
        "offered), as the Relay specification allows."
    )
    start_cursor: str | None = strawberry.field(
        description="Cursor of the page's first edge; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the page's last edge, for `after`; null on an empty page."
    )


@strawberry.type(description="One item of a connection and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` to continue after this item."
    )
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list in its fixed order (Relay cursor connection): `nodes` for "
    "the items alone, `edges` for each with its cursor."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page with cursors.")
    nodes: list[T] = strawberry.field(description="The items of this page, as in `edges`.")
    page_info: PageInfo = strawberry.field(description="Whether and where the list goes on.")


@strawberry.type(description="A connection that also counts every item of the list.")
class CountedConnection(Connection[T]):
    counter: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @strawberry.field(
        description="How many items the whole list has (all pages), counted when asked."
    )
    async def total_count(self) -> int:
        assert self.counter is not None
        return await self.counter()


def request(info: Info, keyset: Keyset, first: int, after: str | None) -> PageRequest:
    """`first`/`after` checked against the policy and decoded for this instansi and list."""
    instansi = info.context.instansi
    return page_request(instansi.kode if instansi else "", keyset, first, after)


def connection(
    info: Info,
    keyset: Keyset,
    page: Page,
    nodes: Sequence[T],
    cls: type = Connection,
    counter: Callable[[], Awaitable[int]] | None = None,
):
    """The connection of ``page`` whose rows became ``nodes`` (same order; None is dropped
    with its edge, e.g. a row gone since it was paged)."""
    instansi = info.context.instansi
    kode = instansi.kode if instansi else ""
    cursors = [encode_cursor(kode, keyset, key) for key in page.keys]
    edges = [
        Edge(cursor=cursor, node=node)
        for cursor, node in zip(cursors, nodes, strict=True)
        if node is not None
    ]
    info_ = PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=False,
        start_cursor=edges[0].cursor if edges else None,
        # The last row read, shown or not: the next page starts after it either way.
        end_cursor=cursors[-1] if cursors else None,
    )
    built = cls(edges=edges, nodes=[e.node for e in edges], page_info=info_)
    if counter is not None:
        built.counter = counter
    return built


async def of_query(
    info: Info,
    keyset: Keyset,
    query: QuerySet,
    first: int,
    after: str | None,
    node: Callable[[Any], Any],
    cls: type = Connection,
):
    """A connection over a tortoise query: one SELECT for the page (the keyset condition, the
    order, ``first + 1`` rows); for a ``CountedConnection``, one COUNT of the same query when
    `totalCount` is asked."""
    page = await keyset_page(query, keyset, request(info, keyset, first, after))
    counter = query.count if issubclass(cls, CountedConnection) else None
    return connection(info, keyset, page, [node(row) for row in page.rows], cls, counter)
