"""Fields the compiled read path covers beyond the first pages (issue 17, item 2): each
document runs through an app with compiled reads and one without on the same data, and the
answers must be equal, nulls, errors and order included; the statement counts show the
compiled path did run (one statement) where it should."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ekinerja.auth.principal import Role
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.enums import JenisKepegawaian, JenisPenugasan
from ekinerja.models.tenant import Pegawai, Penugasan, Skp, UnitKerja, UnitKerjaVersi
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import START, Org


async def test_below_a_cascade_the_policy_is_checked_for_others(twins, tenant):
    """The cascade below the caller's own RHK reaches pegawai they do not appraise (five
    levels): their personnel fields are not the caller's to read. The compiled path checked
    them as the caller's own (the root's relation) and showed them; it now falls back, and
    the resolvers refuse each beyond the caller's reach."""
    from tests.test_graphql_skp import build_cascade

    top, _ = await build_cascade(tenant, width=1)
    query = """{ skpSaya { nodes { rhk { cascadeBawah { kedalaman
      pemilik { nip golongan } } } } } }"""
    body, _, _ = await twins.both(top.nip, query)
    nodes = body["data"]["skpSaya"]["nodes"][0]["rhk"][0]["cascadeBawah"]
    # Those the caller appraises, or whose penilai they appraise: theirs; deeper: refused.
    readable = [(n["kedalaman"], n["pemilik"]["golongan"] is not None) for n in nodes]
    assert {depth for depth, shown in readable if shown} == {1, 2}
    assert {depth for depth, shown in readable if not shown} == {3, 4, 5}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    # Without the personnel field the same cascade is compiled.
    plain = query.replace("golongan", "nama")
    _, compiled, resolved = await twins.both(top.nip, plain)
    assert compiled == 1 and resolved > compiled


SKP_PAGE = """query($periode: String) { saya { namaLengkap pangkat
    jabatan { jabatan { nama unit { nama } } } }
  skpSaya(first: 1) { nodes { status pegawai { nip } snapshotPegawai { nama jabatan unit }
    pejabatPenilai { nama nip jabatan } rhk { teks statusIntervensi petunjukIntervensi
      intervensi { teks pemilik: cascadeAtas { pemilikNama } }
      rencanaAksi(periode: $periode) { periode teks target }
      indikator { teks target bagianDari { teks } } } } } }"""


async def test_the_portals_skp_page_is_one_statement(twins, team):
    """My SKP as a portal shows it: who, whose penilai, each RHK with what it supports and
    the window's rencana aksi, each indikator's printed target."""
    for periode in ("2026-T1", None):
        body, compiled, resolved = await twins.both(team.staf.nip, SKP_PAGE, periode=periode)
        assert body["data"]["saya"]["jabatan"]["jabatan"]["unit"]["nama"] == "Seksi Data"
        assert compiled == 1 and resolved > compiled


POSITION = "jenis berlakuMulai berlakuSampai nomorSk jabatan { nama }"
PERSONNEL = f"nip golongan pangkat riwayatJabatan {{ {POSITION} }}"


@pytest.fixture
async def personnel(tenant, team):
    """Golongan of every kind (PNS, a PPPK's, one not spelled as the table, none) and
    assignment histories with an ended position, a Plt starting the same day as the
    definitive one (newest first, then by id), and none at all (rekan)."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Bidang Sejarah")
        old_post = await org.jabatan("Arsiparis", unit)
        acting = await org.jabatan("Kepala Bidang Sejarah", unit, head=True)
        await org.assign(team.staf, old_post, since=date(2024, 1, 1), until=START)
        await org.assign(team.staf, acting, since=START, jenis=JenisPenugasan.PLT)
        await Penugasan.filter(pegawai_id=team.staf.id, jabatan_id=old_post.id).update(
            nomor_sk="SK-1/2024"
        )
        await Penugasan.filter(pegawai_id=team.rekan.id).delete()
        await Pegawai.filter(id=team.rekan.id).update(golongan=None)
        pppk = await org.pegawai("Kontrak", old_post)
        await Pegawai.filter(id=pppk.id).update(
            jenis_kepegawaian=JenisKepegawaian.PPPK, golongan="IX"
        )
        senior = await org.pegawai("Senior", old_post)
        await Pegawai.filter(id=senior.id).update(golongan="IV/e")
        lower = await org.pegawai("Huruf Kecil", old_post)
        await Pegawai.filter(id=lower.id).update(golongan="iii/a")
    return team


async def test_pangkat_and_history_of_everyone_for_an_admin(twins, personnel):
    query = f"{{ daftarPegawai(first: 50) {{ nodes {{ nama {PERSONNEL} }} }} }}"
    body, compiled, resolved = await twins.both(personnel.kasi.nip, query, Role.ADMIN_INSTANSI)
    by_name = {n["nama"]: n for n in body["data"]["daftarPegawai"]["nodes"]}
    pangkat = {name: n["pangkat"] for name, n in by_name.items()}
    assert pangkat == {
        "Kasi": "Penata Muda",
        "Staf": "Penata Muda",
        "Rekan": None,  # no golongan
        "Kontrak": None,  # a PPPK's golongan has no pangkat
        "Senior": "Pembina Utama",
        "Huruf Kecil": None,  # the table's spelling only
    }
    history = by_name["Staf"]["riwayatJabatan"]
    assert [(p["jenis"], p["jabatan"]["nama"]) for p in history] == [
        ("PLT", "Kepala Bidang Sejarah"),  # the same day as the definitive one, a higher id
        ("DEFINITIF", "Analis Data"),
        ("DEFINITIF", "Arsiparis"),
    ]
    assert history[-1]["nomorSk"] == "SK-1/2024" and history[-1]["berlakuSampai"] == "2026-01-01"
    assert by_name["Rekan"]["riwayatJabatan"] == []
    assert compiled == 1 and resolved > compiled


async def test_pangkat_and_history_of_oneself_and_of_ones_team(twins, personnel):
    mine = f"{{ saya {{ {PERSONNEL} }} }}"
    body, compiled, resolved = await twins.both(personnel.staf.nip, mine)
    assert len(body["data"]["saya"]["riwayatJabatan"]) == 3
    assert compiled == 1 and resolved > compiled
    body, compiled, _ = await twins.both(personnel.rekan.nip, mine)
    assert body["data"]["saya"]["pangkat"] is None and body["data"]["saya"]["riwayatJabatan"] == []
    assert compiled == 1
    team = f"{{ cakupanCascade(tahun: 2026) {{ bawahan {{ pegawai {{ {PERSONNEL} }} }} }} }}"
    body, compiled, resolved = await twins.both(personnel.kasi.nip, team)
    assert [b["pegawai"]["pangkat"] for b in body["data"]["cakupanCascade"]["bawahan"]] == [
        "Penata Muda"
    ]
    assert compiled == 1 and resolved > compiled


async def test_pangkat_and_history_of_others_are_refused_as_before(twins, personnel):
    """A pegawai reads the directory: the personnel fields of those they do not appraise
    (their penilai, a colleague elsewhere) are not theirs to read; the root falls back and the
    resolvers give each null with its error. (As Plt head of Bidang Sejarah the staf appraises
    its three.)"""
    query = f"{{ daftarPegawai(first: 50) {{ nodes {{ {PERSONNEL} }} }} }}"
    body, compiled, resolved = await twins.both(personnel.staf.nip, query)
    nodes = body["data"]["daftarPegawai"]["nodes"]
    refused = {n["nip"] for n in nodes if n["riwayatJabatan"] is None}
    assert refused == {personnel.kasi.nip, personnel.rekan.nip}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert compiled > 1  # on the resolvers


UNIT = "unit { id siasnId nama aktif tanggal __typename }"


async def test_the_unit_of_a_position_as_of_today(twins, tenant, team):
    """A unit renamed and made inactive (the version in force is read), one that exists only
    from a future day (null), one without a SIASN id."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        renamed = await org.unit("Nama Lama", since=date(2000, 1, 1))
        await UnitKerjaVersi.filter(unit_id=renamed.id).update(berlaku_sampai=date(2020, 1, 1))
        await UnitKerjaVersi.create(
            unit=renamed, nama="Nama Baru", aktif=False, berlaku_mulai=date(2020, 1, 1)
        )
        future = await org.unit("Belum Ada", since=date(2999, 1, 1))
        unnamed = await org.unit("Tanpa SIASN")
        await UnitKerja.filter(id=unnamed.id).update(siasn_id=None)
        for nama, unit in (("Lama", renamed), ("Nanti", future), ("Lokal", unnamed)):
            await org.pegawai(nama, await org.jabatan(f"Jabatan {nama}", unit))
    query = f"""{{ daftarPegawai(first: 50) {{ nodes {{ nama jabatan {{ jabatan {{ nama
      {UNIT} }} }} }} }} }}"""
    body, compiled, resolved = await twins.both(team.staf.nip, query)
    units = {
        n["nama"]: n["jabatan"]["jabatan"]["unit"] for n in body["data"]["daftarPegawai"]["nodes"]
    }
    assert (units["Lama"]["nama"], units["Lama"]["aktif"]) == ("Nama Baru", False)
    assert units["Nanti"] is None
    assert units["Lokal"]["siasnId"] is None and units["Staf"]["siasnId"] == "U-Seksi Data"
    assert compiled == 1 and resolved > compiled
    # Another day is an argument: on the resolvers, the same answer both ways.
    on_a_day = query.replace("unit {", 'unit(tanggal: "2010-06-01") {')
    body, compiled, resolved = await twins.both(team.staf.nip, on_a_day)
    assert compiled > 1  # on the resolvers


SNAPSHOT = "{ nama nip pangkat golongan jabatan unit statusPenilai __typename }"
SKP_PEOPLE = f"""{{ skpSaya {{ nodes {{ id pegawai {{ nip namaLengkap jabatan {{ jabatan {{ nama
  }} }} }} snapshotPegawai {SNAPSHOT} pejabatPenilai {SNAPSHOT}
  atasanPejabatPenilai {SNAPSHOT} }} }} }}"""


@pytest.fixture
async def snapshots(tenant, team):
    """Snapshots as skp/snapshots.py writes them (an ASN penilai, a NON_ASN one), empty, JSON
    null, absent keys, and values that are not text (a number, a boolean)."""
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=team.skp.id).update(
            snapshot_pegawai={
                "status": "ASN",
                "pegawaiId": team.staf.id,
                "nama": "Staf, S.Kom.",
                "nip": team.staf.nip,
                "golongan": "III/a",
                "pangkat": "Penata Muda",
                "jabatan": "Analis Data",
                "jenisJabatan": "PELAKSANA",
                "unit": "Seksi Data",
            },
            snapshot_penilai={"status": "ASN", "nama": "Kasi", "nip": team.kasi.nip},
            snapshot_atasan_penilai={},
        )
        await Skp.filter(pegawai_id=team.kasi.id).update(
            snapshot_pegawai={"nama": "Kasi", "nip": 19850314, "golongan": None, "unit": True},
            snapshot_penilai={
                "status": "NON_ASN",
                "pegawaiId": None,
                "nama": "Bupati Contoh",
                "nip": None,
                "golongan": None,
                "pangkat": None,
                "jabatan": "Bupati",
                "unit": None,
            },
        )
        await fetch("UPDATE skp SET snapshot_pegawai = 'null'::jsonb WHERE id = $1", team.draft.id)
    return team


async def test_the_skps_people_and_their_snapshots(twins, snapshots):
    answers = {}
    for who in (snapshots.staf, snapshots.kasi, snapshots.rekan):
        body, compiled, resolved = await twins.both(who.nip, SKP_PEOPLE)
        (answers[who.nama],) = body["data"]["skpSaya"]["nodes"]
        assert compiled == 1 and resolved > compiled
    staf, kasi, rekan = answers["Staf"], answers["Kasi"], answers["Rekan"]
    assert staf["pegawai"]["nip"] == snapshots.staf.nip
    assert staf["snapshotPegawai"]["pangkat"] == "Penata Muda"
    assert staf["pejabatPenilai"]["statusPenilai"] == "ASN"
    assert staf["atasanPejabatPenilai"] is None  # an empty snapshot
    assert (kasi["snapshotPegawai"]["nip"], kasi["snapshotPegawai"]["unit"]) == ("19850314", "true")
    assert kasi["snapshotPegawai"]["jabatan"] is None  # absent
    assert kasi["pejabatPenilai"]["statusPenilai"] == "NON_ASN"
    assert kasi["atasanPejabatPenilai"] is None  # none taken
    assert rekan["snapshotPegawai"] is None  # JSON null


async def test_the_people_of_a_subordinates_skp_on_the_team_page(twins, snapshots):
    query = f"""{{ cakupanCascade(tahun: 2026) {{ bawahan {{ skp {{ pegawai {{ nip golongan }}
      snapshotPegawai {SNAPSHOT} pejabatPenilai {SNAPSHOT} }} }} }} }}"""
    body, compiled, resolved = await twins.both(snapshots.kasi.nip, query)
    (bawahan,) = body["data"]["cakupanCascade"]["bawahan"]
    assert bawahan["skp"]["pegawai"]["golongan"] == "III/a"
    assert bawahan["skp"]["pejabatPenilai"]["nama"] == "Kasi"
    assert compiled == 1 and resolved > compiled


LINKS = """{ skpSaya { nodes { versi rhk { teks statusIntervensi petunjukIntervensi
  intervensi { id teks urutan statusIntervensi indikator { teks } } } } } }"""


async def test_links_to_a_superiors_rhk_in_every_state(twins, tenant):
    """Across the superior's revision (decision 0019): a link followed into the version in
    force (BERLAKU), one to an RHK the revision removed (YATIM), one left on the replaced
    version's kept RHK (DIGANTIKAN), and none (the kabid's: TIDAK_ADA)."""
    from ekinerja.models.tenant import Rhk
    from tests.test_skp_revisi_cascade import build_chain, kasi_revises_dropping_one

    async with tenant_transaction(as_bound(tenant)):
        chain = await build_chain()
        await kasi_revises_dropping_one(chain)
        await Rhk.filter(skp_id=chain.staf2_skp.id, teks="Kajian kurikulum").update(
            intervensi_id=chain.kept.id
        )
    states = {}
    for who in (chain.staf1, chain.staf2, chain.kasi, chain.kabid):
        body, compiled, resolved = await twins.both(who.subject, LINKS)
        for skp in body["data"]["skpSaya"]["nodes"]:
            for rhk in skp["rhk"]:
                states[rhk["teks"], skp["versi"]] = rhk
        assert compiled == 1 and resolved > compiled
    assert states["Draf kurikulum", 1]["statusIntervensi"] == "BERLAKU"
    assert states["Draf kurikulum", 1]["intervensi"]["teks"] == "Kurikulum SD tersusun"
    assert states["Draf modul", 1]["statusIntervensi"] == "YATIM"
    assert states["Draf modul", 1]["petunjukIntervensi"].startswith("The superior removed")
    assert states["Kajian kurikulum", 1]["statusIntervensi"] == "DIGANTIKAN"
    assert states["Kajian kurikulum", 1]["petunjukIntervensi"].startswith("The superior revised")
    assert states["Kurikulum daerah ditetapkan", 1]["statusIntervensi"] == "TIDAK_ADA"
    assert states["Kurikulum daerah ditetapkan", 1]["intervensi"] is None
    assert states["Kurikulum daerah ditetapkan", 1]["petunjukIntervensi"] is None


RENCANA = "id periode teks target __typename"


async def test_rencana_aksi_by_window_then_id_and_of_one_window(twins, tenant, team):
    from ekinerja.models.tenant import RencanaAksi

    async with tenant_transaction(as_bound(tenant)):
        # Windows of another cadence, a second one in T1 (after the first: by id), targets.
        await RencanaAksi.create(rhk=team.rhk, periode="2026-B1", teks="Bulan satu", target="3")
        await RencanaAksi.create(rhk=team.rhk, periode="2026-T1", teks="Lagi", target="1 dok")
        await RencanaAksi.create(rhk=team.rhk, periode="it's \\ {x}", teks="Aneh")
    query = f"""query($p: String) {{ skpSaya {{ nodes {{ rhk {{ teks rencanaAksi {{ {RENCANA} }}
      t1: rencanaAksi(periode: "2026-T1") {{ teks }} none: rencanaAksi(periode: "2099-T1") {{ id }}
      odd: rencanaAksi(periode: $p) {{ teks }} all: rencanaAksi(periode: null) {{ id }}
      }} }} }} }}"""
    body, compiled, resolved = await twins.both(team.staf.nip, query, p="it's \\ {x}")
    rhk, other = body["data"]["skpSaya"]["nodes"][0]["rhk"]
    assert [r["periode"] for r in rhk["rencanaAksi"]] == [
        "2026-B1", "2026-T1", "2026-T1", "2026-T2", "2026-T3", "2026-T4", "it's \\ {x}"
    ]  # fmt: skip
    assert [r["teks"] for r in rhk["t1"]] == ["Dokumen analisis tersusun 2026-T1", "Lagi"]
    assert rhk["none"] == [] and rhk["odd"] == [{"teks": "Aneh"}]
    assert len(rhk["all"]) == 7 and len(other["rencanaAksi"]) == 4
    assert compiled == 1 and resolved > compiled


CHAIN_UP = """cascadeAtas { kedalaman teks rhkIndukId jalur skpStatus pemilikNama __typename
  rhk { teks } pemilik { nip } }"""


async def test_the_chain_above_an_rhk(twins, tenant):
    """Five levels up from the deepest RHK, read by id and from its owner's own SKP; the top
    one has nothing above it."""
    from tests.test_graphql_skp import build_cascade

    top, rhks = await build_cascade(tenant, width=1)
    by_id = "query($id: ID!) { rhk(id: $id) { teks " + CHAIN_UP + " } }"
    *_, deepest = rhks.values()  # grow_tree creates the deepest last
    async with tenant_transaction(as_bound(tenant)):
        owner = await Pegawai.get(id=(await deepest.skp).pegawai_id)
    body, compiled, resolved = await twins.both(top.nip, by_id, id=gid_of(tenant, deepest))
    chain = body["data"]["rhk"]["cascadeAtas"]
    assert [n["kedalaman"] for n in chain] == [1, 2, 3, 4, 5]
    assert chain[-1]["pemilikNama"] == "Sekda"
    assert compiled == 1 and resolved > compiled
    mine = "{ skpSaya { nodes { rhk { " + CHAIN_UP + " } } } }"
    body, compiled, resolved = await twins.both(owner.nip, mine)
    assert len(body["data"]["skpSaya"]["nodes"][0]["rhk"][0]["cascadeAtas"]) == 5
    assert compiled == 1 and resolved > compiled
    body, compiled, _ = await twins.both(top.nip, by_id, id=gid_of(tenant, rhks[top.id]))
    assert body["data"]["rhk"]["cascadeAtas"] == [] and compiled == 1


async def test_the_chain_above_stops_at_a_cycle(twins, tenant, team):
    """Bad data: the kasi's RHK intervenes the staf's, which intervenes it. The chain above
    the staf's RHK is the kasi's, then the staf's own, and stops there."""
    from ekinerja.models.tenant import Rhk

    async with tenant_transaction(as_bound(tenant)):
        await Rhk.filter(id=team.kasi_rhk.id).update(intervensi_id=team.rhk.id)
    query = "query($id: ID!) { rhk(id: $id) { " + CHAIN_UP + " } }"
    body, compiled, _ = await twins.both(team.staf.nip, query, id=gid_of(tenant, team.rhk))
    chain = body["data"]["rhk"]["cascadeAtas"]
    assert [n["teks"] for n in chain] == ["Data terkelola", "Dokumen analisis tersusun"]
    assert compiled == 1


# (target_min, target_max, satuan, target_kualitatif) → formatting.format_target's text.
TARGETS = [
    (Decimal(12), None, "Dokumen", "", "12 Dokumen"),
    (Decimal(90), Decimal(100), "%", None, "90–100 %"),
    (Decimal("2.5"), Decimal("2.5000"), "Kali", None, "2.5 Kali"),  # the same: one number
    (None, Decimal("7.25"), "Hari", None, "7.25 Hari"),
    (Decimal("0.0010"), Decimal("1234567.1200"), "X", None, "0.001–1234567.12 X"),
    (Decimal(-5), Decimal(0), "Poin", None, "-5–0 Poin"),
    (Decimal(12), Decimal(90), "Dokumen", "Sangat baik", "Sangat baik"),
    (None, None, None, None, ""),
    (Decimal(4), None, "  Laporan\u00a0", None, "4   Laporan"),  # Python strips U+00A0 too
    (None, None, "\u2003Jam\n", None, "Jam"),
    (None, None, None, "  ", "  "),  # a blank qualitative target is one
]


async def test_the_printed_target_and_the_split_it_is_part_of(twins, tenant, team):
    from ekinerja.models.tenant import Indikator

    async with tenant_transaction(as_bound(tenant)):
        whole = await Indikator.create(
            rhk=team.kasi_rhk, teks="Dokumen seksi", target_min=Decimal(24), satuan="Dokumen"
        )
        await Indikator.filter(id=team.dokumen.id).update(bagian_dari_id=whole.id)
        for n, (low, high, satuan, kualitatif, _) in enumerate(TARGETS, start=10):
            await Indikator.create(
                rhk=team.rhk_lain,
                teks=f"Target {n}",
                urutan=n,
                target_min=low,
                target_max=high,
                satuan=satuan,
                target_kualitatif=kualitatif,
            )
    query = """{ skpSaya { nodes { rhk { indikator { teks target
      bagianDari { id teks target bagianDari { id } } } } } } }"""
    body, compiled, resolved = await twins.both(team.staf.nip, query)
    rhk, lain = body["data"]["skpSaya"]["nodes"][0]["rhk"]
    dokumen, mutu = rhk["indikator"]
    assert dokumen["bagianDari"] == {
        "id": gid_of(tenant, whole),
        "teks": "Dokumen seksi",
        "target": "24 Dokumen",
        "bagianDari": None,
    }
    assert (dokumen["target"], mutu["target"], mutu["bagianDari"]) == ("12 Dokumen", "90 %", None)
    assert [i["target"] for i in lain["indikator"][1:]] == [t[-1] for t in TARGETS]
    assert compiled == 1 and resolved > compiled


async def test_the_new_fields_read_only_their_own_instansi(twins, tenant, other_tenant, team):
    """B has the same row numbers as A; what B's staf reads through the fields added here
    (position's unit, history, snapshots, links, rencana aksi, the chain above, targets) is
    B's, on the compiled path."""
    from ekinerja.models.tenant import RencanaAksi, Rhk
    from tests.support.pelaksanaan import build_team
    from tests.support.twins import Twins

    theirs = await build_team(other_tenant, "Bagian B")
    async with tenant_transaction(as_bound(tenant)):  # A's rows say whose they are
        await Rhk.all().update(teks="Milik A")
        await RencanaAksi.all().update(teks="Milik A")
    query = """{ saya { riwayatJabatan { jabatan { unit { nama } } } }
      skpSaya { nodes { pegawai { nip } snapshotPegawai { nip } rhk { teks statusIntervensi
        intervensi { teks } cascadeAtas { teks } rencanaAksi { teks }
        indikator { target } } } } }"""
    in_b = Twins(twins.compiled, twins.resolved, twins.idp, other_tenant.kode)
    body, compiled, _ = await in_b.both(theirs.staf.nip, query)
    (position,) = body["data"]["saya"]["riwayatJabatan"]
    assert position["jabatan"]["unit"]["nama"] == "Bagian B"
    (skp,) = body["data"]["skpSaya"]["nodes"]
    assert skp["pegawai"]["nip"] == skp["snapshotPegawai"]["nip"] == theirs.staf.nip
    rhk = skp["rhk"][0]
    assert rhk["intervensi"]["teks"] == "Data terkelola" == rhk["cascadeAtas"][0]["teks"]
    assert rhk["rencanaAksi"][0]["teks"] == "Dokumen analisis tersusun 2026-T1"
    assert compiled == 1
