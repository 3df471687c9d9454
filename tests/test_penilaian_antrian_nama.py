"""Names behind ids in the penilai's and the atasan's queues (issue 19): an evaluation names its
pegawai and SKP (`EvaluasiPeriodik.pegawai`, `.skp`), a keberatan its evaluation
(`Keberatan.evaluasi`), so a queue page needs no `nodes(ids)` lookups. Batched: the queues
`evaluasiUntukDinilai` and `keberatanUntukDiputus` send as many statements for 2 items as for
6. Readable by whoever may read the parent (the same `skp:read`)."""

from __future__ import annotations

from ekinerja.penilaian.enums import Rating
from tests.support.ids import gid_of
from tests.support.penilaian import SUBMIT, build_bidang, fix
from tests.support.query_counter import count_queries
from tests.test_penilaian_keberatan import ajukan, received

SESUAI = Rating.SESUAI_EKSPEKTASI.value

EVALUASI_QUEUE = """{ evaluasiUntukDinilai(first: 50) { nodes { id periode status
  pegawai { id nama nip } skp { id tahun status } } } }"""

KEBERATAN_QUEUE = """{ keberatanUntukDiputus(first: 50) { nodes { id status alasan
  evaluasi { id periode predikat pegawai { id nama nip } skp { id tahun } } } } }"""

NODE = (
    """query($id: ID!) { node(id: $id) { ... on Keberatan { evaluasi { pegawai { nama } } } } }"""
)


async def _statements(portal, who, query) -> tuple[int, dict]:
    with count_queries() as sent:
        body = await portal.as_(who, query)
    assert "errors" not in body, body
    return len(sent), body


async def _submit(portal, bidang, people) -> None:
    for person in people:
        skp = gid_of(portal.tenant, bidang.skp_of(person))
        done = await portal.as_(person, SUBMIT, skp=skp, periode="2026-T1")
        assert done["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", done


async def test_the_evaluation_queue_names_each_pegawai_in_fixed_statements(portal, tenant):
    bidang = await build_bidang(tenant, analis=6)
    await _submit(portal, bidang, bidang.analis[:2])
    await _statements(portal, bidang.kasi, EVALUASI_QUEUE)  # warms the app's caches
    few, body = await _statements(portal, bidang.kasi, EVALUASI_QUEUE)
    nodes = body["data"]["evaluasiUntukDinilai"]["nodes"]
    assert len(nodes) == 2
    await _submit(portal, bidang, bidang.analis[2:])
    many, body = await _statements(portal, bidang.kasi, EVALUASI_QUEUE)
    nodes = body["data"]["evaluasiUntukDinilai"]["nodes"]
    assert len(nodes) == 6 and many == few
    expected = {
        gid_of(tenant, p): (p.nama, p.nip, gid_of(tenant, bidang.skp_of(p))) for p in bidang.analis
    }
    assert {
        n["pegawai"]["id"]: (n["pegawai"]["nama"], n["pegawai"]["nip"], n["skp"]["id"])
        for n in nodes
    } == expected
    assert {n["skp"]["tahun"] for n in nodes} == {2026}


async def test_the_keberatan_queue_names_each_evaluation_in_fixed_statements(portal, tenant):
    bidang = await build_bidang(tenant, analis=6)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 6)
    await received(tenant, ids, 1)
    for person, evaluasi_id in list(zip(bidang.analis, ids, strict=True))[:2]:
        assert (await ajukan(portal, person, evaluasi_id))["__typename"] == "Keberatan"
    await _statements(portal, bidang.kabid, KEBERATAN_QUEUE)  # warms the app's caches
    few, body = await _statements(portal, bidang.kabid, KEBERATAN_QUEUE)
    assert len(body["data"]["keberatanUntukDiputus"]["nodes"]) == 2
    for person, evaluasi_id in list(zip(bidang.analis, ids, strict=True))[2:]:
        assert (await ajukan(portal, person, evaluasi_id))["__typename"] == "Keberatan"
    many, body = await _statements(portal, bidang.kabid, KEBERATAN_QUEUE)
    nodes = body["data"]["keberatanUntukDiputus"]["nodes"]
    assert len(nodes) == 6 and many == few
    by_evaluasi = {n["evaluasi"]["id"]: n["evaluasi"] for n in nodes}
    for person, evaluasi_id in zip(bidang.analis, ids, strict=True):
        evaluasi = by_evaluasi[evaluasi_id]
        assert (evaluasi["pegawai"]["nama"], evaluasi["pegawai"]["nip"]) == (
            person.nama,
            person.nip,
        )
        assert evaluasi["skp"]["id"] == gid_of(tenant, bidang.skp_of(person))
        assert evaluasi["periode"] == "2026-T1" and evaluasi["predikat"] == "BAIK"

    # Authorized like the keberatan: its pegawai reads the name; someone unrelated reads nothing.
    keberatan = nodes[0]["id"]
    owner = next(
        p for p in bidang.analis if gid_of(tenant, p) == nodes[0]["evaluasi"]["pegawai"]["id"]
    )
    mine = await portal.as_(owner, NODE, id=keberatan)
    assert mine["data"]["node"]["evaluasi"]["pegawai"]["nama"] == owner.nama, mine
    theirs = await portal.as_(bidang.rekan, NODE, id=keberatan)
    assert theirs["errors"][0]["extensions"]["code"] == "FORBIDDEN", theirs
