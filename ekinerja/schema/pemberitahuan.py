"""The caller's notifications (decision 0041): a page newest first, the unread count, marking
read, and the caller's preferences. Only the caller's own, always: the policy grants these to
a pegawai about themself (`pemberitahuan:read`, `pemberitahuan:write`), and every query here
is filtered by the caller's pegawai id; an id of someone else's notification (`node`, marking
read) is refused FORBIDDEN by the same table, one of another instansi ID_OF_OTHER_INSTANSI."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from tortoise.timezone import now as utc_now

from ekinerja.auth.policy import Operation
from ekinerja.models.tenant import Pemberitahuan as PemberitahuanRow
from ekinerja.models.tenant import PreferensiPemberitahuan as PreferensiRow
from ekinerja.paging import DEFAULT_FIRST, Keyset
from ekinerja.pemberitahuan.templat import MEANING, JenisPemberitahuan
from ekinerja.refusals import Refusal
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import ENTITAS_TYPES, encode_id, gid, parse_ids
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.node import Node
from ekinerja.schema.permissions import ensure_allowed, require

TYPE = "Pemberitahuan"
MAX_IDS = 100

described_enum(
    JenisPemberitahuan,
    name="JenisPemberitahuan",
    description="What a notification is about.",
    values=MEANING,
)


def own(operation: Operation) -> type:
    """`require(operation)` about the caller themself: a principal without a pegawai of this
    instansi (an admin account, an API client) is refused."""
    base = require(operation)

    class Permission(base):  # type: ignore[misc, valid-type]
        async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            await ensure_allowed(info, operation, info.context.pegawai_id)
            return True

    Permission.__name__ = Permission.__qualname__ = base.__name__
    return Permission


def _me(info: Info) -> int:
    me = info.context.pegawai_id
    assert me is not None  # the permission refused it otherwise
    return me


@strawberry.type(description="A notification to the caller (refetched by `node`: only one's own).")
class Pemberitahuan(Node):
    jenis: JenisPemberitahuan = strawberry.field(description="What kind of notification it is.")
    judul: str = strawberry.field(description="Short title, in the instansi's wording.")
    isi: str = strawberry.field(description="The text, in the instansi's wording.")
    entitas_id: strawberry.ID | None = strawberry.field(
        description="The id of what it is about (an Skp, an EvaluasiPeriodik, a Keberatan)."
    )
    dibuat_pada: datetime = strawberry.field(description="When it was made.")
    dibaca_pada: datetime | None = strawberry.field(description="Null while unread.")

    @classmethod
    def of(cls, row: PemberitahuanRow, kode: str) -> Pemberitahuan:
        type_name = ENTITAS_TYPES.get(row.entitas)
        entitas = (
            encode_id(type_name, int(row.entitas_id), kode)
            if type_name and row.entitas_id.isdigit()
            else None
        )
        return cls(
            id=gid(TYPE, row.id),
            jenis=JenisPemberitahuan(row.jenis),
            judul=row.judul,
            isi=row.isi,
            entitas_id=entitas,
            dibuat_pada=row.dibuat_pada,
            dibaca_pada=row.dibaca_pada,
        )


@strawberry.type(description="The caller's choice for one kind of notification.")
class PreferensiPemberitahuan:
    jenis: JenisPemberitahuan = strawberry.field(description="The kind of notification.")
    dalam_aplikasi: bool = strawberry.field(description="Shown in the app.")
    surel: bool = strawberry.field(
        description="Sent by email too (when the server has SMTP and the pegawai an address)."
    )


@strawberry.input(description="Filter of the caller's notifications.")
class PemberitahuanFilter:
    belum_dibaca: bool | None = strawberry.field(default=None, description="true: unread only.")


@strawberry.input(description="A new choice for one kind; a field left out keeps its value.")
class PreferensiPemberitahuanInput:
    jenis: JenisPemberitahuan = strawberry.field(description="The kind of notification.")
    dalam_aplikasi: bool | None = strawberry.field(
        default=None, description="Shown in the app; null: unchanged."
    )
    surel: bool | None = strawberry.field(
        default=None, description="Sent by email too; null: unchanged."
    )


@strawberry.type(description="Notifications were marked read.")
class PemberitahuanDitandai:
    jumlah: int = strawberry.field(description="Notifications newly marked read.")
    belum_dibaca: int = strawberry.field(description="The caller's unread count now.")


@strawberry.type(description="The caller's preferences after the change.")
class PreferensiPemberitahuanDiubah:
    preferensi: list[PreferensiPemberitahuan] = strawberry.field(
        description="The caller's choice for every kind, after the change."
    )


TandaiResult = Annotated[
    PemberitahuanDitandai | MutationError,
    strawberry.union(
        "TandaiPemberitahuanResult",
        description="Marked, or a MutationError (nothing marked): INVALID_INPUT (neither id "
        "nor semua, too many ids, not a Pemberitahuan id), ID_OF_OTHER_INSTANSI, NOT_FOUND "
        "(no such notification of the caller's).",
    ),
]
PreferensiResult = Annotated[
    PreferensiPemberitahuanDiubah | MutationError,
    strawberry.union(
        "UbahPreferensiPemberitahuanResult",
        description="The preferences, or a MutationError (nothing changed): INVALID_INPUT "
        "(a kind given twice).",
    ),
]
PEMBERITAHUAN = Keyset("Query.pemberitahuan", ("-id",), (int,))


def _mine(info: Info):
    return PemberitahuanRow.filter(pegawai_id=_me(info), tampil=True)


async def _unread(info: Info) -> int:
    return await _mine(info).filter(dibaca_pada=None).count()


async def _preferences(me: int) -> list[PreferensiPemberitahuan]:
    stored = {p.jenis: p for p in await PreferensiRow.filter(pegawai_id=me)}
    result = []
    for jenis in JenisPemberitahuan:
        row = stored.get(jenis.value)
        result.append(
            PreferensiPemberitahuan(
                jenis=jenis,
                dalam_aplikasi=row.dalam_aplikasi if row else True,
                surel=row.surel if row else True,
            )
        )
    return result


@strawberry.type
class PemberitahuanQuery:
    @strawberry.field(
        permission_classes=[own(Operation.READ_PEMBERITAHUAN)],
        description="The caller's notifications, newest first (a page).",
    )
    async def pemberitahuan(
        self,
        info: Info,
        filter: Annotated[
            PemberitahuanFilter | None,
            strawberry.argument(description="Which notifications; null: all."),
        ] = None,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> Connection[Pemberitahuan]:
        query = _mine(info)
        if filter is not None and filter.belum_dibaca is not None:
            query = query.filter(dibaca_pada__isnull=filter.belum_dibaca)
        kode = info.context.instansi.kode
        return await conn.of_query(
            info, PEMBERITAHUAN, query, first, after, lambda row: Pemberitahuan.of(row, kode)
        )

    @strawberry.field(
        permission_classes=[own(Operation.READ_PEMBERITAHUAN)],
        description="How many of the caller's notifications are unread.",
    )
    async def jumlah_pemberitahuan_belum_dibaca(self, info: Info) -> int:
        return await _unread(info)

    @strawberry.field(
        permission_classes=[own(Operation.READ_PEMBERITAHUAN)],
        description="The caller's choice per kind of notification (both on unless changed).",
    )
    async def preferensi_pemberitahuan(self, info: Info) -> list[PreferensiPemberitahuan]:
        return await _preferences(_me(info))


@strawberry.type
class PemberitahuanMutation:
    @strawberry.mutation(
        permission_classes=[own(Operation.MANAGE_PEMBERITAHUAN)],
        description="Mark the caller's notifications read: those of `id`, or all with "
        "`semua: true`. Marking one already read changes nothing.",
    )
    async def tandai_pemberitahuan_dibaca(
        self,
        info: Info,
        id: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="The notifications (at most 100)."),
        ] = None,
        semua: Annotated[
            bool, strawberry.argument(description="true: every unread notification of mine.")
        ] = False,
    ) -> TandaiResult:
        async def mark() -> PemberitahuanDitandai:
            query = _mine(info).filter(dibaca_pada=None)
            if not semua:
                if not id:
                    raise Refusal("INVALID_INPUT", "give id, or semua: true", "id")
                if len(id) > MAX_IDS:
                    raise Refusal("INVALID_INPUT", f"at most {MAX_IDS} ids at once", "id")
                rows = parse_ids(id, "id", TYPE)
                owners = dict(
                    await PemberitahuanRow.filter(id__in=rows, tampil=True).values_list(
                        "id", "pegawai_id"
                    )
                )
                for index, row in enumerate(rows):
                    if row not in owners:
                        raise Refusal("NOT_FOUND", "no such notification", f"id[{index}]")
                    # Someone else's: refused by the policy (only one's own), not marked.
                    await ensure_allowed(info, Operation.MANAGE_PEMBERITAHUAN, owners[row])
                query = query.filter(id__in=rows)
            marked = await query.update(dibaca_pada=utc_now())
            return PemberitahuanDitandai(jumlah=marked, belum_dibaca=await _unread(info))

        return await guarded(mark)

    @strawberry.mutation(
        permission_classes=[own(Operation.MANAGE_PEMBERITAHUAN)],
        description="Change the caller's choices: per kind, shown in the app and/or sent by "
        "email. Off in both: that kind is not made for the caller at all.",
    )
    async def ubah_preferensi_pemberitahuan(
        self,
        info: Info,
        input: Annotated[
            list[PreferensiPemberitahuanInput],
            strawberry.argument(description="The kinds to change, each once."),
        ],
    ) -> PreferensiResult:
        me = _me(info)

        async def change() -> PreferensiPemberitahuanDiubah:
            seen: set[str] = set()
            for index, item in enumerate(input):
                if item.jenis.value in seen:
                    raise Refusal("INVALID_INPUT", "a kind given twice", f"input[{index}].jenis")
                seen.add(item.jenis.value)
                row, _ = await PreferensiRow.get_or_create(pegawai_id=me, jenis=item.jenis.value)
                if item.dalam_aplikasi is not None:
                    row.dalam_aplikasi = item.dalam_aplikasi
                if item.surel is not None:
                    row.surel = item.surel
                await row.save()
            return PreferensiPemberitahuanDiubah(preferensi=await _preferences(me))

        return await guarded(change)
