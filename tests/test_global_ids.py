"""Issue 16 item 2, decision 0028: global ids. Every id names its type and its instansi; an id
of tenant B sent to tenant A is refused as another instansi's (never A's row with the same
number), an id of another type is refused naming the type expected, a malformed one is
INVALID_INPUT naming the field. `node`/`nodes` apply the same authorization as each type's own
lookup, and `nodes` loads in batches."""

from __future__ import annotations

import pytest

from ekinerja.auth.principal import Role
from ekinerja.refusals import Refusal
from ekinerja.schema.ids import (
    INT4_MAX,
    OTHER_INSTANSI,
    check_id,
    decode_id,
    encode_id,
    event_data,
    event_entitas_id,
)
from ekinerja.schema.node import MAX_NODES
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid, gid_of, raw
from tests.support.pelaksanaan import Portal, build_team
from tests.support.query_counter import count_queries

SKP = "query($id: ID!) { skp(id: $id) { id tahun } }"
RHK = "query($id: ID!) { rhk(id: $id) { id teks } }"
UNIT = "query($id: ID!) { unitKerja(id: $id) { id nama } }"
PEGAWAI = "query($nip: String!) { pegawai(nip: $nip) { id nip } }"
NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Skp { tahun } ... on Rhk { teks } ... on UnitKerja { nama } ... on Pegawai { nip } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Skp { tahun } } }"
AJUKAN = """mutation($skp: ID!) { ajukanEvaluasiPeriodik(skpId: $skp, periode: "2026-T1") {
  __typename ... on MutationError { code message field } } }"""


# -- the codec, no database -------------------------------------------------------------------


def test_an_id_names_type_instansi_and_row_and_reads_back():
    made = encode_id("Skp", 523, "B001")
    assert made == "U2twOkIwMDE6NTIz" and int(made) == 523  # base64url("Skp:B001:523")
    found = decode_id(made)
    assert (found.type_name, found.instansi_kode, found.row_id) == ("Skp", "B001", 523)
    assert encode_id("Rhk", 523, "B001") != made != encode_id("Skp", 523, "B002")


@pytest.mark.parametrize(
    "value",
    [
        "523",  # a bare row number, as ids were before
        "",
        "U2twOkIwMDE6NTIz=",  # padding: one spelling per id
        "U2twOkIwMDE6NTIz!",
        raw("Skp:B001"),
        raw("Skp:B001:0"),
        raw(f"Skp:B001:{INT4_MAX + 1}"),
        raw("Skp:B001:-1"),
        raw("Skp:B001:0523"),
        raw("skp:B001:5"),
        raw("Skp:b001:5"),
        raw("Skp:B001:5:6"),
        "x" * 500,
    ],
)
def test_what_is_not_an_id_decodes_to_nothing(value):
    assert decode_id(value) is None


def test_check_refuses_each_fault_by_its_own_code_naming_the_field():
    mine = encode_id("Skp", 7, "A001")
    assert check_id(mine, "skpId", "Skp", "A001").row_id == 7
    with pytest.raises(Refusal) as malformed:
        check_id("7", "skpId", "Skp", "A001")
    assert (malformed.value.code, malformed.value.field) == ("INVALID_INPUT", "skpId")
    with pytest.raises(Refusal) as wrong:
        check_id(encode_id("Rhk", 7, "A001"), "skpId", "Skp", "A001")
    assert (wrong.value.code, wrong.value.field) == ("INVALID_INPUT", "skpId")
    assert "expected the id of a Skp, got the id of a Rhk" in wrong.value.message
    with pytest.raises(Refusal) as foreign:
        check_id(encode_id("Skp", 7, "B001"), "skpId", "Skp", "A001")
    assert (foreign.value.code, foreign.value.field) == (OTHER_INSTANSI, "skpId")
    assert "belongs to another instansi (B001)" in foreign.value.message


def test_events_carry_global_ids():
    assert event_entitas_id("skp", "5", "A001") == encode_id("Skp", 5, "A001")
    assert event_entitas_id("lain", "5", "A001") == "5"
    data = event_data({"skpId": 5, "evaluasiId": 6, "tahun": 2026, "nip": "1"}, "A001")
    assert data == {
        "skpId": encode_id("Skp", 5, "A001"),
        "evaluasiId": encode_id("EvaluasiPeriodik", 6, "A001"),
        "tahun": 2026,
        "nip": "1",
    }


# -- two tenants whose rows have the same numbers ---------------------------------------------


@pytest.fixture
async def two(portal, tenant, other_tenant):
    ours, theirs = await build_team(tenant), await build_team(other_tenant)
    # Built alike in fresh schemas: the same row numbers, the very case a bare number confuses.
    assert (ours.skp.id, ours.rhk.id, ours.staf.id) == (
        theirs.skp.id,
        theirs.rhk.id,
        theirs.staf.id,
    )
    return ours, theirs, Portal(portal.api, portal.idp, other_tenant)


def _code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def test_an_id_of_another_instansi_is_refused_as_such_never_as_our_row(
    portal, tenant, other_tenant, two
):
    ours, theirs, _ = two
    foreign = gid_of(other_tenant, theirs.skp)
    for query in (SKP, NODE):
        body = await portal.as_(ours.staf, query, id=foreign)
        assert _code(body) == OTHER_INSTANSI, body
        assert "belongs to another instansi" in body["errors"][0]["message"]
        assert list(body["data"].values()) == [None]
    # The same number in our own id is our SKP.
    body = await portal.as_(ours.staf, SKP, id=gid_of(tenant, ours.skp))
    assert body["data"]["skp"] == {"id": gid_of(tenant, ours.skp), "tahun": 2026}
    # A mutation answers it as data, naming the argument, and changes nothing.
    refused = await portal.as_(ours.staf, AJUKAN, skp=foreign)
    assert refused["data"]["ajukanEvaluasiPeriodik"]["code"] == OTHER_INSTANSI
    assert refused["data"]["ajukanEvaluasiPeriodik"]["field"] == "skpId"
    # Inside an input object too (the field path is named).
    body = await portal.as_(
        ours.staf,
        """mutation($in: ProgresHarianInput!) { buatProgresHarian(input: $in) {
          __typename ... on MutationError { code field } } }""",
        **{"in": {"rencanaAksiId": gid(other_tenant, "RencanaAksi", ours.rencana()),
                  "tanggal": "2026-02-03", "jamMulai": "08:00", "jamSelesai": "09:00",
                  "kegiatan": "x", "realisasi": 1, "satuan": "Dokumen"}},
    )  # fmt: skip
    result = body["data"]["buatProgresHarian"]
    assert (result["code"], result["field"]) == (OTHER_INSTANSI, "input.rencanaAksiId"), body


async def test_an_id_of_another_type_is_refused_naming_the_type_expected(portal, tenant, two):
    ours, _, _ = two
    rhk_id = gid_of(tenant, ours.rhk)
    body = await portal.as_(ours.staf, SKP, id=rhk_id)
    assert _code(body) == "INVALID_INPUT" and body["data"]["skp"] is None
    assert body["errors"][0]["extensions"]["field"] == "id"
    assert "expected the id of a Skp, got the id of a Rhk" in body["errors"][0]["message"]
    refused = await portal.as_(ours.staf, AJUKAN, skp=rhk_id)
    result = refused["data"]["ajukanEvaluasiPeriodik"]
    assert (result["code"], result["field"]) == ("INVALID_INPUT", "skpId")
    assert "expected the id of a Skp" in result["message"]
    # A type that is not a Node is refused by `node` the same way.
    body = await portal.as_(ours.staf, NODE, id=gid(tenant, "Realisasi", 1))
    assert _code(body) == "INVALID_INPUT" and "got the id of a Realisasi" in str(body)


async def test_a_malformed_id_is_invalid_input_naming_the_field(portal, tenant, two):
    ours, _, _ = two
    body = await portal.as_(ours.staf, SKP, id=str(ours.skp.id))  # the old bare number
    assert _code(body) == "INVALID_INPUT" and body["errors"][0]["extensions"]["field"] == "id"
    refused = await portal.as_(ours.staf, AJUKAN, skp="bukan-id")
    result = refused["data"]["ajukanEvaluasiPeriodik"]
    assert (result["code"], result["field"]) == ("INVALID_INPUT", "skpId")


async def test_node_applies_each_types_own_authorization(portal, tenant, two):
    """For every principal and object, `node(id:)` answers as the type's own lookup does:
    the same object, or the same null and error code."""
    ours, _, _ = two
    lookups = [
        (SKP, {"id": gid_of(tenant, ours.skp)}, gid_of(tenant, ours.skp)),
        (SKP, {"id": gid_of(tenant, ours.draft)}, gid_of(tenant, ours.draft)),
        (RHK, {"id": gid_of(tenant, ours.rhk)}, gid_of(tenant, ours.rhk)),
        (PEGAWAI, {"nip": ours.staf.nip}, gid_of(tenant, ours.staf)),
    ]
    async with tenant_transaction(as_bound(tenant)):
        from ekinerja.models.tenant import Penugasan

        held = await Penugasan.get(pegawai_id=ours.staf.id).select_related("jabatan")
        unit_id = gid(tenant, "UnitKerja", held.jabatan.unit_id)
    lookups.append((UNIT, {"id": unit_id}, unit_id))
    seen = set()
    for who, roles in [
        (ours.staf, ()),
        (ours.kasi, ()),
        (ours.rekan, ()),
        (ours.rekan, (Role.ADMIN_INSTANSI,)),
    ]:
        for query, variables, node_id in lookups:
            own = await portal.as_(who, query, *roles, **variables)
            via = await portal.as_(who, NODE, *roles, id=node_id)
            found = next(iter(own["data"].values()))
            assert _code(via) == _code(own), (who.nama, roles, query, own, via)
            assert (via["data"]["node"] is None) == (found is None)
            if found is not None:
                assert via["data"]["node"]["id"] == found["id"] == node_id
            seen.add(_code(own))
    assert seen >= {None, "FORBIDDEN"}  # both outcomes were compared


async def test_nodes_answers_each_id_on_its_own_and_refuses_too_many(
    portal, tenant, other_tenant, two
):
    ours, theirs, _ = two
    ids = [
        gid_of(tenant, ours.skp),
        gid_of(other_tenant, theirs.skp),
        gid_of(tenant, ours.rhk),
        gid(tenant, "Skp", 999_999),
    ]
    body = await portal.as_(ours.staf, NODES, ids=ids)
    got = body["data"]["nodes"]
    assert got[0] == {"__typename": "Skp", "id": ids[0], "tahun": 2026}
    assert got[1] is None and got[3] is None
    assert got[2]["__typename"] == "Rhk" and got[2]["id"] == ids[2]
    assert {(e["path"][1], e["extensions"]["code"]) for e in body["errors"]} == {
        (1, OTHER_INSTANSI)
    }
    too_many = await portal.as_(ours.staf, NODES, ids=[ids[0]] * (MAX_NODES + 1))
    assert _code(too_many) == "INVALID_INPUT"
    assert f"at most {MAX_NODES}" in too_many["errors"][0]["message"]


async def test_nodes_loads_in_batches(portal, tenant):
    team = await build_team(tenant)
    async with tenant_transaction(as_bound(tenant)):
        from tests.support.pelaksanaan import plan

        extra = [(await plan(team.skp, f"RHK {n}"))[0] for n in range(8)]
    few = [gid_of(tenant, team.skp), gid_of(tenant, team.rhk), gid_of(tenant, team.staf)]
    many = few + [gid_of(tenant, r) for r in extra] + [gid_of(tenant, team.rhk_lain)]
    await portal.as_(team.staf, NODES, ids=few)  # warm the issuer cache

    async def count(ids) -> int:
        with count_queries() as statements:
            body = await portal.as_(team.staf, NODES, ids=ids)
        assert "errors" not in body and all(body["data"]["nodes"]), body
        return len(statements)

    assert await count(many) == await count(few)


async def test_ids_handed_out_are_global_ids_of_this_instansi(portal, tenant, two):
    ours, _, _ = two
    body = await portal.as_(
        ours.staf,
        "query($id: ID!) { skp(id: $id) { id rhk { id indikator { id } } } }",
        id=gid_of(tenant, ours.skp),
    )
    skp = body["data"]["skp"]
    assert skp["id"] == gid_of(tenant, ours.skp)
    assert {r["id"] for r in skp["rhk"]} == {
        gid_of(tenant, ours.rhk),
        gid_of(tenant, ours.rhk_lain),
    }
    inner = {i["id"] for r in skp["rhk"] for i in r["indikator"]}
    assert inner == {gid_of(tenant, i) for i in (ours.dokumen, ours.mutu, ours.laporan)}
