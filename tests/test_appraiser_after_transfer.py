"""The appraisers snapshotted on an SKP keep reaching it after the pegawai moves (issue 15,
seams of the year): once an analis is transferred out of the seksi, today's chain of superiors
no longer runs through their old kasi, yet the kasi is still the pejabat penilai of the SKP
they appraised and must read it, its execution, its evaluations and its printed document
(and rate what is left).
Before, `evaluasi`, `pelaksanaan` and `skp` answered null/FORBIDDEN to the kasi. Someone who
was never their appraiser stays refused."""

from __future__ import annotations

from datetime import timedelta

from ekinerja.kepegawaian.calendar import today
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.penilaian import EVALUASI, SUBMIT, build_bidang

SKP = """query($id: ID!) { skp(id: $id) { id status } }"""
PELAKSANAAN = """query($skp: ID!) { pelaksanaan(skpId: $skp, periode: "2026-T1") {
  periode statusEvaluasi } }"""


async def test_the_old_penilai_still_reads_what_they_appraise(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    skp = gid_of(portal.tenant, bidang.skp_of(me))
    submitted = await portal.as_(me, SUBMIT, skp=skp, periode="2026-T1")
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan"
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        elsewhere = await org.unit("Bidang Lain Lagi")
        await org.end(me, today() - timedelta(days=1))
        await org.assign(me, await org.jabatan("Analis di tempat lain", elsewhere), today())

    for query, variables, field in (
        (SKP, {"id": skp}, "skp"),
        (PELAKSANAAN, {"skp": skp}, "pelaksanaan"),
        (EVALUASI, {"skp": skp, "periode": "2026-T1"}, "evaluasi"),
    ):
        for appraiser in (bidang.kasi, bidang.kabid):  # penilai, atasan pejabat penilai
            body = await portal.as_(appraiser, query, **variables)
            assert "errors" not in body and body["data"][field] is not None, (field, body)
        refused = await portal.as_(bidang.rekan, query, **variables)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", (field, refused)

    # The printed SKP too (GET /skp/{id}/dokumen.pdf reads the same rule).
    for who, status in ((bidang.kasi, 200), (bidang.kabid, 200), (bidang.rekan, 403)):
        headers = principal_header(portal.idp, tenant.kode, who.nip)
        pdf = await portal.api.get(f"/skp/{skp}/dokumen.pdf", headers=headers)
        assert pdf.status_code == status, (who.nama, pdf.status_code, pdf.text[:200])
