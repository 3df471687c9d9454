"""Umpan balik over GraphQL: the penilai's feedback per RHK and BerAKHLAK value per window,
who may give it, refusals as data, the dialog that follows, the instansi's suggestion
sentences, and tenant isolation."""

from __future__ import annotations

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import KalimatUmpanBalik, Rhk, TanggapanUmpanBalik, UmpanBalik
from ekinerja.pelaksanaan.enums import SasaranUmpanBalik
from ekinerja.pelaksanaan.umpan_balik import DEFAULT_KALIMAT
from ekinerja.skp.enums import StatusSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid, gid_of, row_of
from tests.support.pelaksanaan import Portal, build_team, plan, skp_for

GIVE = """mutation($input: UmpanBalikInput!) { beriUmpanBalik(input: $input) {
  __typename ... on UmpanBalik { id sasaran rhkId nilaiPerilaku kalimat teks tanggapan { id } }
  ... on MutationError { code field message } } }"""

REPLY = """mutation($id: ID!, $teks: String!) { balasUmpanBalik(umpanBalikId: $id, teks: $teks) {
  __typename ... on TanggapanUmpanBalik { id penulisPegawaiId teks }
  ... on MutationError { code field message } } }"""

WINDOW = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  umpanBalik { id sasaran rhkId nilaiPerilaku kalimat teks
    tanggapan { id penulisPegawaiId teks } } } }"""

KALIMAT = """query($sasaran: SasaranUmpanBalik) { kalimatUmpanBalik(sasaran: $sasaran) {
  sasaran teks } }"""

SET_KALIMAT = """mutation($sasaran: SasaranUmpanBalik!, $items: [String!]!) {
  aturKalimatUmpanBalik(sasaran: $sasaran, butir: $items) {
  __typename ... on DaftarKalimat { kalimat { sasaran teks } }
  ... on MutationError { code field message } } }"""

SUBMIT = """mutation($skp: ID!) { ajukanEvaluasiPeriodik(skpId: $skp, periode: "2026-T1") {
  __typename } }"""


def feedback(tenant, team, periode="2026-T1", **changes) -> dict:
    return {"skpId": gid_of(tenant, team.skp), "periode": periode} | changes


async def give(portal, who, team, periode="2026-T1", **changes) -> dict:
    body = await portal.as_(who, GIVE, input=feedback(portal.tenant, team, periode, **changes))
    assert "errors" not in body, body
    return body["data"]["beriUmpanBalik"]


async def window(portal, who, team, periode="2026-T1") -> list[dict]:
    body = await portal.as_(who, WINDOW, skp=gid_of(portal.tenant, team.skp), periode=periode)
    assert "errors" not in body, body
    return body["data"]["pelaksanaan"]["umpanBalik"]


async def stored(tenant) -> list[tuple]:
    async with tenant_transaction(as_bound(tenant)):
        rows = await UmpanBalik.all().order_by("id")
    return [(r.periode, r.kunci_sasaran, r.kalimat, r.teks, r.penilai_pegawai_id) for r in rows]


async def test_the_penilai_gives_feedback_on_an_rhk_and_a_value(portal, team, tenant):
    sentence = DEFAULT_KALIMAT[SasaranUmpanBalik.HASIL_KERJA][2]
    on_rhk = await give(
        portal,
        team.kasi,
        team,
        rhkId=gid_of(portal.tenant, team.rhk),
        kalimat=[f"  {sentence} ", " "],
    )
    assert on_rhk["__typename"] == "UmpanBalik", on_rhk
    assert (on_rhk["sasaran"], on_rhk["rhkId"], on_rhk["nilaiPerilaku"]) == (
        "HASIL_KERJA",
        gid_of(portal.tenant, team.rhk),
        None,
    )
    assert on_rhk["kalimat"] == [sentence] and on_rhk["teks"] is None

    on_value = await give(
        portal, team.kasi, team, nilaiPerilaku="AKUNTABEL", teks="  Laporan tepat waktu.  "
    )
    assert (on_value["sasaran"], on_value["rhkId"], on_value["nilaiPerilaku"]) == (
        "PERILAKU",
        None,
        "AKUNTABEL",
    )
    assert on_value["kalimat"] == [] and on_value["teks"] == "Laporan tepat waktu."

    # The pegawai and the penilai both read it in the window; the next window has none yet.
    for reader in (team.staf, team.kasi):
        assert [f["id"] for f in await window(portal, reader, team)] == [
            on_rhk["id"],
            on_value["id"],
        ]
    assert await window(portal, team.staf, team, "2026-T2") == []
    assert await stored(tenant) == [
        ("2026-T1", f"RHK:{team.rhk.id}", [sentence], None, team.kasi.id),
        ("2026-T1", "PERILAKU:AKUNTABEL", [], "Laporan tepat waktu.", team.kasi.id),
    ]


async def test_giving_again_replaces_the_feedback_of_that_target_and_window(portal, team, tenant):
    first = await give(portal, team.kasi, team, rhkId=gid_of(portal.tenant, team.rhk), teks="Awal")
    again = await give(
        portal, team.kasi, team, rhkId=gid_of(portal.tenant, team.rhk), kalimat=["Baik."]
    )
    assert again["id"] == first["id"]
    assert again["kalimat"] == ["Baik."] and again["teks"] is None
    # Another RHK, or the same RHK in another window, is a feedback of its own.
    lain = await give(
        portal, team.kasi, team, rhkId=gid_of(portal.tenant, team.rhk_lain), teks="Lain"
    )
    later = await give(
        portal, team.kasi, team, "2026-T2", rhkId=gid_of(portal.tenant, team.rhk), teks="T2"
    )
    assert len({first["id"], lain["id"], later["id"]}) == 3
    assert [(p, k, t) for p, k, _, t, _ in await stored(tenant)] == [
        ("2026-T1", f"RHK:{team.rhk.id}", None),
        ("2026-T1", f"RHK:{team.rhk_lain.id}", "Lain"),
        ("2026-T2", f"RHK:{team.rhk.id}", "T2"),
    ]
    # A submitted (not yet settled) window still takes the penilai's feedback.
    await portal.as_(team.staf, SUBMIT, skp=gid_of(portal.tenant, team.skp))
    after = await give(
        portal, team.kasi, team, rhkId=gid_of(portal.tenant, team.rhk), teks="Setelah diajukan"
    )
    assert after["id"] == first["id"] and after["teks"] == "Setelah diajukan"


async def test_only_the_skps_penilai_gives_feedback(portal, team, tenant):
    # The owner passes the policy (their own SKP) but is not its penilai: refused as data.
    own = await give(
        portal, team.staf, team, rhkId=gid_of(portal.tenant, team.rhk), teks="Saya hebat"
    )
    assert (own["__typename"], own["code"], own["field"]) == (
        "MutationError",
        "NOT_PENILAI",
        "skpId",
    )
    # A colleague elsewhere does not appraise staf at all: refused by the policy.
    body = await portal.as_(
        team.rekan,
        GIVE,
        input=feedback(portal.tenant, team, rhkId=gid_of(portal.tenant, team.rhk), teks="x"),
    )
    assert body["data"] is None or body["data"]["beriUmpanBalik"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Feedback is on an approved SKP: not on a draft of a subordinate's.
    async with tenant_transaction(as_bound(tenant)):
        draft = await skp_for(team.staf, team.kasi, StatusSkp.DRAFT)
    on_draft = await portal.as_(
        team.kasi,
        GIVE,
        input={
            "skpId": gid_of(portal.tenant, draft),
            "periode": "2026-T1",
            "nilaiPerilaku": "LOYAL",
            "teks": "x",
        },
    )
    assert on_draft["data"]["beriUmpanBalik"]["code"] == "SKP_NOT_APPROVED"
    # The policy goes by today's chain of superiors: kasi, though snapshotted as the penilai
    # of rekan's draft, does not appraise rekan (another unit) and is refused before that.
    foreign = await portal.as_(
        team.kasi,
        GIVE,
        input={
            "skpId": gid_of(portal.tenant, team.draft),
            "periode": "2026-T1",
            "teks": "x",
            "rhkId": "1",
        },
    )
    assert foreign["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await stored(tenant) == []


async def test_bad_feedback_is_refused_as_data(portal, team, tenant):
    async with tenant_transaction(as_bound(tenant)):
        # An RHK of another SKP (rekan's draft) is not an RHK of this one.
        foreign = await Rhk.get(skp_id=team.draft.id)

    async def refusal(periode="2026-T1", **changes) -> tuple[str, str]:
        result = await give(portal, team.kasi, team, periode, **changes)
        assert result["__typename"] == "MutationError", result
        return result["code"], result["field"]

    both = {"rhkId": gid_of(portal.tenant, team.rhk), "nilaiPerilaku": "AKUNTABEL", "teks": "x"}
    assert await refusal(**both) == ("INVALID_INPUT", "rhkId")
    assert await refusal(teks="x") == ("INVALID_INPUT", "rhkId")
    assert await refusal(nilaiPerilaku="JUJUR", teks="x") == ("INVALID_INPUT", "nilaiPerilaku")
    assert await refusal(nilaiPerilaku="akuntabel", teks="x") == ("INVALID_INPUT", "nilaiPerilaku")
    assert await refusal(rhkId=gid_of(portal.tenant, foreign), teks="x") == ("NOT_FOUND", "rhkId")
    assert await refusal(rhkId=gid(tenant, "Rhk", 999999), teks="x") == ("NOT_FOUND", "rhkId")
    assert await refusal(rhkId=gid_of(portal.tenant, team.rhk)) == ("INVALID_INPUT", "teks")
    assert await refusal(rhkId=gid_of(portal.tenant, team.rhk), teks="  ", kalimat=[" ", ""]) == (
        "INVALID_INPUT",
        "teks",
    )
    assert await refusal(rhkId=gid_of(portal.tenant, team.rhk), teks="x" * 4001) == (
        "INVALID_INPUT",
        "teks",
    )
    assert await refusal(rhkId=gid_of(portal.tenant, team.rhk), kalimat=["Baik."] * 11) == (
        "INVALID_INPUT",
        "kalimat",
    )
    assert await refusal("2026-T9", rhkId=gid_of(portal.tenant, team.rhk), teks="x") == (
        "INVALID_INPUT",
        "periode",
    )
    missing = await portal.as_(
        team.kasi,
        GIVE,
        input={"skpId": gid(tenant, "Skp", 999999), "periode": "2026-T1", "teks": "x"},
    )
    # An unknown SKP has nobody the penilai appraises: refused like any other stranger's.
    assert missing["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    malformed = await portal.as_(
        team.kasi, GIVE, input={"skpId": "x1", "periode": "2026-T1", "teks": "x"}
    )
    assert malformed["data"]["beriUmpanBalik"]["code"] == "INVALID_INPUT"
    assert await stored(tenant) == []


async def test_the_dialog_follows_the_feedback_in_order(portal, team, tenant):
    given = await give(
        portal, team.kasi, team, rhkId=gid_of(portal.tenant, team.rhk), teks="Perlu bukti."
    )

    async def reply(who, teks, ident=None) -> dict:
        body = await portal.as_(who, REPLY, id=ident or given["id"], teks=teks)
        assert "errors" not in body, body
        return body["data"]["balasUmpanBalik"]

    pegawai = await reply(team.staf, "  Bukti sudah diunggah.  ")
    assert pegawai["__typename"] == "TanggapanUmpanBalik"
    assert (pegawai["penulisPegawaiId"], pegawai["teks"]) == (
        gid_of(portal.tenant, team.staf),
        "Bukti sudah diunggah.",
    )
    penilai = await reply(team.kasi, "Terima kasih.")
    assert penilai["penulisPegawaiId"] == gid_of(portal.tenant, team.kasi)
    await reply(team.staf, "Sama-sama.")

    assert (await reply(team.rekan, "Ikut komentar"))["code"] == "NOT_FOUND"
    assert (await reply(team.staf, "   "))["code"] == "INVALID_INPUT"
    assert (await reply(team.staf, "Halo", gid(tenant, "UmpanBalik", 999999)))[
        "code"
    ] == "NOT_FOUND"

    (shown,) = await window(portal, team.staf, team)
    assert [(t["penulisPegawaiId"], t["teks"]) for t in shown["tanggapan"]] == [
        (gid_of(portal.tenant, team.staf), "Bukti sudah diunggah."),
        (gid_of(portal.tenant, team.kasi), "Terima kasih."),
        (gid_of(portal.tenant, team.staf), "Sama-sama."),
    ]
    # Rewriting the feedback keeps its dialog.
    await give(
        portal, team.kasi, team, rhkId=gid_of(portal.tenant, team.rhk), teks="Bukti lengkap."
    )
    (shown,) = await window(portal, team.kasi, team)
    assert shown["teks"] == "Bukti lengkap." and len(shown["tanggapan"]) == 3
    async with tenant_transaction(as_bound(tenant)):
        assert await TanggapanUmpanBalik.all().count() == 3


async def test_suggestion_sentences_default_and_are_replaced_by_the_admin(portal, team, tenant):
    async def sentences(who=None, sasaran=None) -> list[tuple[str, str]]:
        body = await portal.as_(who or team.kasi, KALIMAT, sasaran=sasaran)
        assert "errors" not in body, body
        return [(k["sasaran"], k["teks"]) for k in body["data"]["kalimatUmpanBalik"]]

    defaults = [(s.value, t) for s, texts in DEFAULT_KALIMAT.items() for t in texts]
    assert await sentences() == defaults
    assert await sentences(team.staf, "PERILAKU") == [
        ("PERILAKU", t) for t in DEFAULT_KALIMAT[SasaranUmpanBalik.PERILAKU]
    ]

    items = ["  Kerja   bagus sekali. ", "Tingkatkan ketelitian."]
    changed = await portal.as_(
        team.kasi, SET_KALIMAT, Role.ADMIN_INSTANSI, sasaran="HASIL_KERJA", items=items
    )
    assert changed["data"]["aturKalimatUmpanBalik"]["kalimat"] == [
        {"sasaran": "HASIL_KERJA", "teks": "Kerja bagus sekali."},
        {"sasaran": "HASIL_KERJA", "teks": "Tingkatkan ketelitian."},
    ]
    # Only that kind changes; everyone reads the instansi's own.
    assert await sentences(team.staf) == [
        ("HASIL_KERJA", "Kerja bagus sekali."),
        ("HASIL_KERJA", "Tingkatkan ketelitian."),
    ] + [("PERILAKU", t) for t in DEFAULT_KALIMAT[SasaranUmpanBalik.PERILAKU]]

    bad = await portal.as_(
        team.kasi, SET_KALIMAT, Role.ADMIN_INSTANSI, sasaran="HASIL_KERJA", items=["Ok", "  "]
    )
    assert bad["data"]["aturKalimatUmpanBalik"]["code"] == "INVALID_INPUT"
    assert bad["data"]["aturKalimatUmpanBalik"]["field"] == "items[2]"

    refused = await portal.as_(team.staf, SET_KALIMAT, sasaran="HASIL_KERJA", items=["Saya"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await sentences(team.staf, "HASIL_KERJA"))[0][1] == "Kerja bagus sekali."

    restored = await portal.as_(
        team.kasi, SET_KALIMAT, Role.ADMIN_INSTANSI, sasaran="HASIL_KERJA", items=[]
    )
    assert restored["data"]["aturKalimatUmpanBalik"]["kalimat"] == [
        {"sasaran": "HASIL_KERJA", "teks": t}
        for t in DEFAULT_KALIMAT[SasaranUmpanBalik.HASIL_KERJA]
    ]
    assert await sentences() == defaults
    async with tenant_transaction(as_bound(tenant)):
        assert await KalimatUmpanBalik.all().count() == 0


async def test_tenant_b_cannot_reach_tenant_as_feedback(portal, team, tenant, other_tenant, idp):
    other = await build_team(other_tenant, "Seksi B")
    async with tenant_transaction(as_bound(tenant)):
        # Ids beyond any of tenant B's, so a guess cannot land on a row of B's own.
        extra = await skp_for(team.staf, team.kasi)
        extra_rhk, _ = await plan(extra, "Hanya di A")
        for n in range(3):
            await UmpanBalik.create(
                skp=team.skp,
                periode="2026-T2",
                sasaran=SasaranUmpanBalik.PERILAKU,
                nilai_perilaku="LOYAL",
                kunci_sasaran=f"PERILAKU:LAIN{n}",
                teks="Pengisi",
                penilai_pegawai_id=team.kasi.id,
            )
    given = await portal.as_(
        team.kasi,
        GIVE,
        input={
            "skpId": gid_of(portal.tenant, extra),
            "periode": "2026-T1",
            "rhkId": gid_of(portal.tenant, extra_rhk),
            "teks": "Rahasia A",
        },
    )
    ident = given["data"]["beriUmpanBalik"]["id"]

    b = Portal(portal.api, idp, other_tenant)
    # B has feedback of its own, with ids below A's.
    own = await b.as_(
        other.kasi,
        GIVE,
        input=feedback(b.tenant, other, rhkId=gid_of(b.tenant, other.rhk), teks="B"),
    )
    own_id = own["data"]["beriUmpanBalik"]["id"]
    assert row_of(own_id) < row_of(ident)
    # A's number in B (A's own id is refused as another instansi's: tests/test_global_ids.py).
    guess = gid(b.tenant, "UmpanBalik", row_of(ident))
    for who in (other.staf, other.kasi):
        replied = await b.as_(who, REPLY, id=guess, teks="Dari B")
        assert replied["data"]["balasUmpanBalik"]["code"] == "NOT_FOUND"
    read = await b.as_(other.staf, WINDOW, skp=gid_of(b.tenant, extra), periode="2026-T1")
    assert read["data"]["pelaksanaan"] is None
    guessed = await b.as_(
        other.kasi,
        GIVE,
        input={
            "skpId": gid_of(b.tenant, extra),
            "periode": "2026-T1",
            "rhkId": gid_of(b.tenant, extra_rhk),
            "teks": "Dari B",
        },
    )
    # In B the id names no SKP (or one of B's that kasi of B does not appraise).
    assert guessed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # B's own dialog works, and only ever touches B's rows.
    ok = await b.as_(other.staf, REPLY, id=own_id, teks="Baik")
    assert ok["data"]["balasUmpanBalik"]["teks"] == "Baik"
    async with tenant_transaction(as_bound(tenant)):
        assert await TanggapanUmpanBalik.all().count() == 0
        assert (await UmpanBalik.get(id=row_of(ident))).teks == "Rahasia A"
    async with tenant_transaction(as_bound(other_tenant)):
        assert [u.teks for u in await UmpanBalik.all()] == ["B"]
        assert [t.teks for t in await TanggapanUmpanBalik.all()] == ["Baik"]
