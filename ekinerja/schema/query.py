"""The root types: each domain contributes its fields by inheritance; resolvers live in the
domain packages."""

from __future__ import annotations

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.schema.akses import Akses, resolve_akses_saya
from ekinerja.schema.impor_kepegawaian import ImporKepegawaianQuery
from ekinerja.schema.instansi import Instansi, resolve_instansi
from ekinerja.schema.integrasi.api_clients import ApiClientMutation, ApiClientQuery
from ekinerja.schema.integrasi.changes import ChangesQuery
from ekinerja.schema.integrasi.webhooks import WebhookMutation, WebhookQuery
from ekinerja.schema.kepegawaian.mutations import KepegawaianMutation
from ekinerja.schema.kepegawaian.queries import KepegawaianQuery
from ekinerja.schema.nasional import NasionalQuery
from ekinerja.schema.node import NodeQuery
from ekinerja.schema.pelaksanaan.mutations import PelaksanaanMutation
from ekinerja.schema.pelaksanaan.queries import PelaksanaanQuery
from ekinerja.schema.pemberitahuan import PemberitahuanMutation, PemberitahuanQuery
from ekinerja.schema.pengaturan import PengaturanMutation, PengaturanQuery
from ekinerja.schema.penilaian.eksternal import PenilaiEksternalMutation, PenilaiEksternalQuery
from ekinerja.schema.penilaian.mutations import PenilaianMutation
from ekinerja.schema.penilaian.queries import PenilaianQuery
from ekinerja.schema.permissions import require
from ekinerja.schema.server_info import ServerInfo, resolve_server_info
from ekinerja.schema.sesi_browser import SesiBrowserMutation, SesiBrowserQuery
from ekinerja.schema.siasn import SiasnQuery
from ekinerja.schema.skp.mutations import SkpMutation
from ekinerja.schema.skp.queries import SkpQuery


@strawberry.type(
    description="Every read of the API. Each field names the policy operation that allows it "
    "(docs/authorization.md); a refused field is null with a FORBIDDEN error."
)
class Query(
    KepegawaianQuery,
    SkpQuery,
    PelaksanaanQuery,
    PenilaianQuery,
    PenilaiEksternalQuery,
    PengaturanQuery,
    ChangesQuery,
    WebhookQuery,
    ApiClientQuery,
    NasionalQuery,
    SiasnQuery,
    SesiBrowserQuery,
    ImporKepegawaianQuery,
    PemberitahuanQuery,
    NodeQuery,
):
    instansi: Instansi = strawberry.field(
        resolver=resolve_instansi,
        permission_classes=[require(Operation.READ_INSTANSI)],
        description="The agency this request is bound to (selected by the X-Instansi header).",
    )
    akses_saya: list[Akses] = strawberry.field(
        resolver=resolve_akses_saya,
        permission_classes=[require(Operation.READ_INSTANSI)],
        description="Every operation of the policy table the signed-in principal holds, with "
        "its widest reach: what a portal's menus offer (each field still decides per record).",
    )
    server_info: ServerInfo = strawberry.field(
        resolver=resolve_server_info,
        description="What this server is (version, mode); needs no X-Instansi.",
    )


@strawberry.type(
    description="Every change of the API. Expected refusals come back as data (MutationError "
    "and its kin in each result union), and a refused mutation writes nothing."
)
class Mutation(
    KepegawaianMutation,
    SkpMutation,
    PelaksanaanMutation,
    PenilaianMutation,
    PenilaiEksternalMutation,
    PengaturanMutation,
    WebhookMutation,
    ApiClientMutation,
    SesiBrowserMutation,
    PemberitahuanMutation,
):
    pass
