"""A pegawai finds the RHK of their penilai to intervene (issue 15 follow-up): `Skp.rhkAtasan`.

The penilai's SKP is not readable by the pegawai (`skp:read` reaches themself and those they
appraise) and `cakupanCascade` of the penilai is the penilai's, so without this field the
pegawai could only ask the penilai for ids. It offers the RHK a link may name (the penilai's
approved version in force, never a revision's removed RHK), only to whoever plans the SKP,
with no realisation, in a constant number of statements, within the bound instansi."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tortoise.timezone import now

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import Indikator, Pegawai, Rhk, Skp
from ekinerja.skp.editing import IndikatorInput, RhkInput, remove_rhk, save_rhk
from ekinerja.skp.enums import AspekIki, JenisFormSkp, JenisRhk, PendekatanSkp, StatusSkp
from ekinerja.skp.lifecycle import Caller, revise
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.query_counter import count_queries
from tests.test_graphql_skp import CREATE, SAVE, SUBMIT, gql, rhk_input
from tests.test_graphql_skp import api as api_fixture

api = api_fixture

MINE = """query($tahun: Int!) { skpSaya(filter: {tahun: $tahun}) { nodes { id versiKunci
  rhkAtasan { id urutan teks jenis indikator { id teks aspek target satuan } } } } }"""

OF_SKP = """query($id: ID!) { skp(id: $id) { id rhkAtasan { id teks } } }"""


async def superior_skp(
    pegawai: Pegawai,
    rhk: list[tuple[str, int]],
    awal: date = date(2026, 1, 1),
    akhir: date = date(2026, 12, 31),
    status: StatusSkp = StatusSkp.DISETUJUI,
) -> tuple[Skp, list[Rhk]]:
    """An SKP of ``pegawai`` with RHK (teks, number of indikator), written directly: the
    superior's own approval is not what these tests are about."""
    skp = await Skp.create(
        pegawai=pegawai,
        tahun=2026,
        periode_awal=awal,
        periode_akhir=akhir,
        pendekatan=PendekatanSkp.KUANTITATIF,
        jenis_form=JenisFormSkp.JA_JF,
        status=status,
        snapshot_pegawai={"nama": pegawai.nama},
    )
    await Skp.filter(id=skp.id).update(lineage_id=skp.id)
    rows = []
    for urutan, (teks, jumlah) in enumerate(rhk, start=1):
        row = await Rhk.create(skp=skp, teks=teks, urutan=urutan)
        for n in range(1, jumlah + 1):
            await Indikator.create(
                rhk=row,
                urutan=n,
                teks=f"{teks}: indikator {n}",
                aspek=AspekIki.KUANTITAS,
                target_min=Decimal(n * 10),
                satuan="Dokumen",
            )
        rows.append(row)
    return await Skp.get(id=skp.id), rows


async def seksi(tag: str = "") -> dict:
    """A kasi with an approved SKP of two RHK, and a staf they appraise."""
    org = Org()
    unit = await org.unit(f"Seksi Perizinan{tag}")
    kasi = await org.pegawai(f"Kasi{tag}", await org.jabatan("Kepala Seksi", unit, head=True))
    post = await org.jabatan("Verifikator", unit)
    staf = await org.pegawai(f"Staf{tag}", post)
    lain = await org.pegawai(f"Lain{tag}", post)
    kasi_skp, kasi_rhk = await superior_skp(
        kasi, [(f"Izin terbit tepat waktu{tag}", 2), (f"Pengaduan tertangani{tag}", 1)]
    )
    return {"org": org, "unit": unit, "kasi": kasi, "staf": staf, "lain": lain,
            "kasi_skp": kasi_skp, "kasi_rhk": kasi_rhk}  # fmt: skip


async def test_a_pegawai_finds_the_penilai_rhk_and_links_to_it(api, tenant):
    """The pegawai's path end to end: create the SKP, read what may be intervened, link to
    it, submit, and the penilai approves. The other ways in stay closed to the pegawai."""
    async with tenant_transaction(as_bound(tenant)):
        s = await seksi()
    staf, kasi = s["staf"].nip, s["kasi"].nip
    created = (await gql(api, tenant, staf, CREATE, tahun=2026))["data"]["buatSkp"]["skp"]

    mine = await gql(api, tenant, staf, MINE, tahun=2026)
    assert "errors" not in mine, mine
    (skp,) = mine["data"]["skpSaya"]["nodes"]
    offered = skp["rhkAtasan"]
    assert [(r["urutan"], r["teks"], r["jenis"]) for r in offered] == [
        (1, "Izin terbit tepat waktu", "UTAMA"),
        (2, "Pengaduan tertangani", "UTAMA"),
    ]
    assert [r["id"] for r in offered] == [gid_of(tenant, r) for r in s["kasi_rhk"]]
    assert offered[0]["indikator"][1] == {
        "id": offered[0]["indikator"][1]["id"],
        "teks": "Izin terbit tepat waktu: indikator 2",
        "aspek": "KUANTITAS",
        "target": "20 Dokumen",
        "satuan": "Dokumen",
    }

    # Without it the pegawai cannot list them: the penilai's SKP and coverage are theirs.
    theirs = await gql(api, tenant, staf, OF_SKP, id=gid_of(tenant, s["kasi_skp"]))
    assert theirs["data"]["skp"] is None
    coverage = await gql(
        api, tenant, staf, "query($kasi: String) { cakupanCascade(tahun: 2026, nip: $kasi) "
        "{ skpAtasan { rhk { id } } } }", kasi=kasi,
    )  # fmt: skip
    assert coverage["data"]["cakupanCascade"] is None
    assert coverage["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    saved = (
        await gql(
            api, tenant, staf, SAVE,
            input=rhk_input(created["id"], created["versiKunci"], offered[1]["id"]),
        )
    )["data"]["simpanRhk"]  # fmt: skip
    assert saved["rhk"]["intervensi"] == {"teks": "Pengaduan tertangani"}
    submitted = (
        await gql(api, tenant, staf, SUBMIT, id=created["id"], v=saved["skp"]["versiKunci"])
    )["data"]["ajukanSkp"]
    assert submitted["skp"]["status"] == "DIAJUKAN"
    approved = await gql(
        api, tenant, kasi,
        """mutation($id: ID!, $v: Int!) { setujuiSkp(skpId: $id, versiDiharapkan: $v) {
          ... on SkpDiubah { skp { status } } ... on MutationError { code } } }""",
        id=created["id"], v=submitted["skp"]["versiKunci"],
    )  # fmt: skip
    assert approved["data"]["setujuiSkp"] == {"skp": {"status": "DISETUJUI"}}


def caller(pegawai: Pegawai) -> Caller:
    return Caller(pegawai.id, pegawai.nip)


async def test_only_rhk_a_link_may_name_are_offered(api, tenant):
    """The penilai's version in force: while their revision is a draft, the approved one;
    once approved, the revision's RHK (its copy of a kept RHK, never a removed one). An SKP
    not overlapping the pegawai's dates, or not approved, offers nothing."""
    async with tenant_transaction(as_bound(tenant)):
        s = await seksi()
        kasi = caller(s["kasi"])
        # Another approved SKP of the kasi, for a period the staf's SKP does not reach.
        await Skp.filter(id=s["kasi_skp"].id).update(periode_akhir=date(2026, 9, 30))
        await superior_skp(s["kasi"], [("Lain periode", 1)], date(2026, 10, 1))
        await superior_skp(s["kasi"], [("Draf", 1)], status=StatusSkp.DRAFT)
        mine = await Skp.create(
            pegawai=s["staf"], tahun=2026, periode_awal=date(2026, 1, 1),
            periode_akhir=date(2026, 6, 30), pendekatan=PendekatanSkp.KUANTITATIF,
            jenis_form=JenisFormSkp.JA_JF, snapshot_pegawai={}, penilai_pegawai_id=kasi.pegawai_id,
        )  # fmt: skip
        revision = await revise(s["kasi_skp"].id, s["kasi_skp"].lock_version, kasi)
    staf = s["staf"].nip

    async def offered() -> list[str]:
        body = await gql(api, tenant, staf, OF_SKP, id=gid_of(tenant, mine))
        assert "errors" not in body, body
        return [r["teks"] for r in body["data"]["skp"]["rhkAtasan"]]

    assert await offered() == ["Izin terbit tepat waktu", "Pengaduan tertangani"]

    async with tenant_transaction(as_bound(tenant)):
        dropped = await Rhk.get(skp_id=revision.id, asal_id=s["kasi_rhk"][1].id)
        revision = await remove_rhk(revision.id, revision.lock_version, kasi, dropped.id)
        revision = await save_rhk(
            revision.id, revision.lock_version, kasi,
            RhkInput("Layanan daring", JenisRhk.TAMBAHAN, indikator=(
                IndikatorInput("Layanan", AspekIki.KUANTITAS, Decimal(1), None, "Layanan"),)),
        )  # fmt: skip
        # The kabid's approval of the kasi's revision, as lifecycle.approve records it.
        await Skp.filter(id=revision.skp_id).update(status=StatusSkp.DISETUJUI)
        await Skp.filter(id=s["kasi_skp"].id).update(digantikan_pada=now())
        kept = await Rhk.get(skp_id=revision.skp_id, asal_id=s["kasi_rhk"][0].id)

    body = await gql(api, tenant, staf, MINE, tahun=2026)
    (choices,) = [skp["rhkAtasan"] for skp in body["data"]["skpSaya"]["nodes"]]
    assert [(r["id"], r["teks"], r["jenis"]) for r in choices] == [
        (gid_of(tenant, kept), "Izin terbit tepat waktu", "UTAMA"),
        (choices[1]["id"], "Layanan daring", "TAMBAHAN"),
    ]


async def test_only_whoever_plans_the_skp_sees_it(api, tenant, settings):
    """The penilai reads the SKP (they appraise it) and an admin reads any, but the choice
    belongs to planning: null and FORBIDDEN for them; another pegawai reads neither. What is
    offered carries no realisation or assessment (the type has nothing of the kind)."""
    async with tenant_transaction(as_bound(tenant)):
        s = await seksi()
    created = (await gql(api, tenant, s["staf"].nip, CREATE, tahun=2026))["data"]["buatSkp"]
    skp_id = created["skp"]["id"]

    by_penilai = await gql(api, tenant, s["kasi"].nip, OF_SKP, id=skp_id)
    assert by_penilai["data"]["skp"] == {"id": skp_id, "rhkAtasan": None}
    assert by_penilai["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    response = await api.post(
        "/graphql",
        json={"query": OF_SKP, "variables": {"id": skp_id}},
        headers=principal_header(api.idp, tenant.kode, s["lain"].nip, Role.ADMIN_INSTANSI),
    )
    by_admin = response.json()
    assert by_admin["data"]["skp"] == {"id": skp_id, "rhkAtasan": None}
    assert by_admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    by_colleague = await gql(api, tenant, s["lain"].nip, OF_SKP, id=skp_id)
    assert by_colleague["data"]["skp"] is None

    shape = await gql(
        api, tenant, s["staf"].nip,
        """{ a: __type(name: "RhkAtasan") { fields { name } }
             b: __type(name: "IndikatorAtasan") { fields { name } } }""",
    )  # fmt: skip
    assert [f["name"] for f in shape["data"]["a"]["fields"]] == [
        "id", "urutan", "teks", "jenis", "indikator",
    ]  # fmt: skip
    assert [f["name"] for f in shape["data"]["b"]["fields"]] == [
        "id", "teks", "aspek", "target", "satuan",
    ]  # fmt: skip


async def _plan_years(tenant, tag: str, skps: int, rhk: int, indikator: int) -> Pegawai:
    """A staf with ``skps`` SKPs in 2026 (consecutive, as after transfers), each appraised by
    a kasi with an approved SKP of ``rhk`` RHK of ``indikator`` indikator."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit(f"Seksi {tag}")
        staf = await org.pegawai(f"Staf {tag}", await org.jabatan("Verifikator", unit))
        bounds = {
            1: [(date(2026, 1, 1), date(2026, 12, 31))],
            3: [(date(2026, 1, 1), date(2026, 4, 30)), (date(2026, 5, 1), date(2026, 8, 31)),
                (date(2026, 9, 1), date(2026, 12, 31))],
        }[skps]  # fmt: skip
        for i, (awal, akhir) in enumerate(bounds):
            kasi = await org.pegawai(f"Kasi {tag}{i}", await org.jabatan(f"Kepala {i}", unit))
            await superior_skp(kasi, [(f"RHK {tag}{i}.{n}", indikator) for n in range(rhk)])
            await Skp.create(
                pegawai=staf, tahun=2026, periode_awal=awal, periode_akhir=akhir,
                pendekatan=PendekatanSkp.KUANTITATIF, jenis_form=JenisFormSkp.JA_JF,
                snapshot_pegawai={}, penilai_pegawai_id=kasi.id,
            )  # fmt: skip
    return staf


async def test_statements_do_not_grow_with_skps_rhk_or_indikator(api, tenant, other_tenant):
    small = await _plan_years(tenant, "kecil", skps=1, rhk=1, indikator=1)
    big = await _plan_years(other_tenant, "besar", skps=3, rhk=5, indikator=3)
    # warm the issuer cache and each instansi and NIP the process remembers (decision 0035)
    await gql(api, tenant, small.nip, "{ serverInfo { versi } }")
    await gql(api, other_tenant, big.nip, "{ serverInfo { versi } }")

    async def count(t, staf: Pegawai) -> tuple[int, int]:
        with count_queries() as statements:
            body = await gql(api, t, staf.nip, MINE, tahun=2026)
        assert "errors" not in body, body
        shown = sum(
            len(r["indikator"]) for s in body["data"]["skpSaya"]["nodes"] for r in s["rhkAtasan"]
        )
        return len(statements), shown

    small_count, small_shown = await count(tenant, small)
    big_count, big_shown = await count(other_tenant, big)
    assert (small_shown, big_shown) == (1, 45)
    assert small_count == big_count


async def test_another_instansi_rhk_is_never_offered(api, tenant, other_tenant):
    """Two instansi with the same shape (so the same ids in each schema): each pegawai is
    offered their own penilai's RHK, and cannot read the other's SKP by guessing its id."""
    async with tenant_transaction(as_bound(tenant)):
        a = await seksi(" A")
    async with tenant_transaction(as_bound(other_tenant)):
        b = await seksi(" B")
    a_skp = (await gql(api, tenant, a["staf"].nip, CREATE, tahun=2026))["data"]["buatSkp"]
    b_skp = (await gql(api, other_tenant, b["staf"].nip, CREATE, tahun=2026))["data"]["buatSkp"]
    seen_a = await gql(api, tenant, a["staf"].nip, MINE, tahun=2026)
    seen_b = await gql(api, other_tenant, b["staf"].nip, MINE, tahun=2026)
    texts_a = [r["teks"] for r in seen_a["data"]["skpSaya"]["nodes"][0]["rhkAtasan"]]
    texts_b = [r["teks"] for r in seen_b["data"]["skpSaya"]["nodes"][0]["rhkAtasan"]]
    assert texts_a == ["Izin terbit tepat waktu A", "Pengaduan tertangani A"]
    assert texts_b == ["Izin terbit tepat waktu B", "Pengaduan tertangani B"]
    # B's staf asks, bound to B, for the id of A's SKP: B's schema answers, never A's rows.
    guessed = await gql(api, other_tenant, b["staf"].nip, OF_SKP, id=a_skp["skp"]["id"])
    if guessed["data"]["skp"] is not None:
        assert guessed["data"]["skp"]["id"] == b_skp["skp"]["id"]
        assert all(r["teks"].endswith(" B") for r in guessed["data"]["skp"]["rhkAtasan"])
