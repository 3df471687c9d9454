"""The instansi's settings over GraphQL: listed with defaults, checked on write (a bad value is
refused naming what was wrong, and nothing changes), reset, audited, read by the domain (the
keberatan period), admin only, and per tenant."""

from __future__ import annotations

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import AuditEvent, TenantSetting
from ekinerja.penilaian.batas_keberatan import batas_hari
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.pelaksanaan import Portal, build_team

ADMIN = Role.ADMIN_INSTANSI
LIST = "{ pengaturanInstansi { kunci nilai bawaan berlaku diubahPada } }"
FIELDS = """__typename ... on Pengaturan { kunci nilai bawaan berlaku diubahPada }
  ... on MutationError { code field message }"""
SET = f"""mutation($kunci: String!, $nilai: JSON!) {{ ubahPengaturan(kunci: $kunci, nilai: $nilai)
  {{ {FIELDS} }} }}"""
RESET = f"""mutation($kunci: String!) {{ pulihkanPengaturan(kunci: $kunci) {{ {FIELDS} }} }}"""


def by_key(answer: dict) -> dict:
    return {row["kunci"]: row for row in answer["data"]["pengaturanInstansi"]}


async def test_every_setting_is_listed_with_its_default(team, portal):
    rows = by_key(await portal.as_(team.rekan, LIST, ADMIN))
    assert rows["keberatan.batas_hari"] == {
        "kunci": "keberatan.batas_hari",
        "nilai": None,
        "bawaan": 14,
        "berlaku": 14,
        "diubahPada": None,
    }
    assert rows["penilaian.kebijakan_tahunan"]["berlaku"] == {"kebijakan": "LAST_PERIOD"}
    assert rows["skp.ja_jf_wajib_intervensi"]["berlaku"] is True
    assert set(rows) >= {"penilaian.kurva.aturan", "penilaian.kurva.kebijakan",
                         "realisasi.aspek_kumulatif"}  # fmt: skip


async def test_a_value_is_set_read_by_the_domain_reset_and_audited(team, portal, tenant):
    done = await portal.as_(team.rekan, SET, ADMIN, kunci="keberatan.batas_hari", nilai=21)
    changed = done["data"]["ubahPengaturan"]
    assert changed["nilai"] == 21 and changed["berlaku"] == 21 and changed["diubahPada"]
    async with tenant_transaction(as_bound(tenant)):
        assert await batas_hari() == 21
    policy = {"bilaGagal": "WARNING", "pembulatanMax": "FLOOR"}
    done = await portal.as_(team.rekan, SET, ADMIN, kunci="penilaian.kurva.kebijakan", nilai=policy)
    # In force: every key, the ones left out at their defaults (the whole policy reads).
    assert done["data"]["ubahPengaturan"]["berlaku"] == policy | {"pembulatanMin": "CEIL"}

    back = await portal.as_(team.rekan, RESET, ADMIN, kunci="keberatan.batas_hari")
    assert back["data"]["pulihkanPengaturan"]["nilai"] is None
    assert back["data"]["pulihkanPengaturan"]["berlaku"] == 14
    async with tenant_transaction(as_bound(tenant)):
        assert await batas_hari() == 14
        actions = (
            await AuditEvent.filter(entity="tenant_setting")
            .order_by("id")
            .values_list("action", "entity_id", "detail")
        )
    assert actions == [
        ("pengaturan.tetapkan", "keberatan.batas_hari", {"sebelum": None, "sesudah": 21}),
        ("pengaturan.tetapkan", "penilaian.kurva.kebijakan", {"sebelum": None, "sesudah": policy}),
        ("pengaturan.kembalikan", "keberatan.batas_hari", {"sebelum": 21}),
    ]


async def test_bad_values_are_refused_with_what_was_wrong_and_change_nothing(team, portal, tenant):
    await portal.as_(team.rekan, SET, ADMIN, kunci="keberatan.batas_hari", nilai=10)
    cases = [
        ("keberatan.batas_hari", True, "from 1 to 365"),
        ("keberatan.batas_hari", 0, "from 1 to 365"),
        ("keberatan.batas_hari", "14", "from 1 to 365"),
        ("penilaian.kebijakan_tahunan", {"kebijakan": "YEARLY"}, "'YEARLY' is not one of"),
        ("penilaian.kurva.kebijakan", {"bilaGagal": "OK"}, "must be WARNING or BLOCK"),
        (
            "penilaian.kurva.aturan",
            {"BAIK": [{"kode": "x", "predikat": ["BAGUS"], "keterangan": "y", "maxPersen": 70}]},
            "kurva rules.BAIK[0].predikat[0]: 'BAGUS' is not one of",
        ),  # fmt: skip
        ("realisasi.aspek_kumulatif", ["KUANTITAS", "JUMLAH"], "[1]: 'JUMLAH' is not one of"),
        ("skp.ja_jf_wajib_intervensi", "ya", "expected true or false"),
    ]
    for kunci, nilai, wording in cases:
        refused = await portal.as_(team.rekan, SET, ADMIN, kunci=kunci, nilai=nilai)
        error = refused["data"]["ubahPengaturan"]
        assert error["code"] == "INVALID_INPUT" and error["field"] == "nilai", (kunci, error)
        assert error["message"].startswith(f"{kunci}: ") and wording in error["message"], error
    unknown = await portal.as_(team.rekan, SET, ADMIN, kunci="keberatan.hari", nilai=3)
    assert unknown["data"]["ubahPengaturan"]["code"] == "UNKNOWN_SETTING"
    assert "keberatan.batas_hari" in unknown["data"]["ubahPengaturan"]["message"]
    async with tenant_transaction(as_bound(tenant)):
        assert await TenantSetting.filter().values_list("key", "value") == [
            ("keberatan.batas_hari", 10)
        ]


async def test_only_the_admin_instansi_reads_or_changes_settings(team, portal):
    for role in (Role.PEGAWAI, Role.CENTRAL_ADMIN):
        listed = await portal.as_(team.staf, LIST, role)
        assert listed["data"] is None and listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        changed = await portal.as_(team.staf, SET, role, kunci="keberatan.batas_hari", nilai=3)
        assert changed["errors"][0]["extensions"]["code"] == "FORBIDDEN", changed


async def test_a_setting_changes_only_its_own_tenant(team, portal, tenant, other_tenant, idp):
    await portal.as_(team.rekan, SET, ADMIN, kunci="keberatan.batas_hari", nilai=30)
    b = Portal(portal.api, idp, other_tenant)
    theirs = await build_team(other_tenant, "Seksi B")
    assert by_key(await b.as_(theirs.rekan, LIST, ADMIN))["keberatan.batas_hari"]["berlaku"] == 14
    await b.as_(theirs.rekan, SET, ADMIN, kunci="keberatan.batas_hari", nilai=7)
    assert by_key(await portal.as_(team.rekan, LIST, ADMIN))["keberatan.batas_hari"]["nilai"] == 30
