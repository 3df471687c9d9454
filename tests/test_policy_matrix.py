"""The authorization matrix, generated from the policy table: for every operation, role and
relation of the target (own, subordinate, other in the instansi, another instansi) a real
request with a real token is allowed exactly when the table says so."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import httpx
import pytest

from ekinerja.auth.policy import POLICY, Operation, Relation, allows, as_markdown
from ekinerja.auth.principal import Principal, Role
from ekinerja.http.app import create_app
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import (
    BuktiDukung,
    EvaluasiPeriodik,
    Indikator,
    Keberatan,
    Pemberitahuan,
    Realisasi,
    Rhk,
    Skp,
)
from ekinerja.pelaksanaan.enums import JenisBukti, StatusBukti
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.skp.enums import JenisFormSkp, PendekatanSkp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import bearer, central_admin_headers, client_token, person_token
from tests.support.ids import gid
from tests.support.org import Org
from tests.support.tenants import new_tenant

OTHER_TENANT = "OTHER_TENANT"
RELATIONS = [Relation.OWN, Relation.SUBORDINATE, Relation.OTHER_IN_TENANT, OTHER_TENANT]
ALL_SCOPES = sorted({g.scope for grants in POLICY.values() for g in grants.values() if g.scope})


def principal_for(role: Role) -> Principal:
    """The principal a token for ``role`` becomes (persons are always PEGAWAI too)."""
    if role is Role.API_CLIENT:
        return Principal("client", frozenset({role}), scopes=frozenset(ALL_SCOPES))
    if role is Role.CENTRAL_ADMIN:
        return Principal("admin", frozenset({role, Role.PEGAWAI}), nip="1" * 18)
    return Principal("person", frozenset({role, Role.PEGAWAI}), nip="1" * 18)


def applicable(role: Role, relation) -> bool:
    """Own and subordinate exist only for a pegawai of the instansi; a central admin has no
    other instansi (they may read any)."""
    if relation in (Relation.OWN, Relation.SUBORDINATE):
        return role in (Role.PEGAWAI, Role.ADMIN_INSTANSI)
    if relation == OTHER_TENANT:
        return role is not Role.CENTRAL_ADMIN
    return True


CASES = [
    (operation, role, relation)
    for operation, role, relation in itertools.product(Operation, Role, RELATIONS)
    if applicable(role, relation)
]


def expected(operation: Operation, role: Role, relation) -> bool:
    if relation == OTHER_TENANT:
        return False
    return allows(principal_for(role), operation, relation)


@pytest.fixture(scope="module")
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


@dataclass
class World:
    tenant: object
    other_tenant: object
    me: object
    subordinate: object
    colleague: object
    client_id: str
    payung_rhk_id: int  # me's RHK, intervened by everyone's


@pytest.fixture(scope="module")
async def world(role_prefix):
    # One world for the whole matrix: the probes only read, or write overrides that replace
    # each other.
    tenant, other_tenant = await new_tenant(role_prefix), await new_tenant(role_prefix)
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Seksi Data")
        other_unit = await org.unit("Seksi Lain")
        me = await org.pegawai("Saya", await org.jabatan("Kepala Seksi Data", unit, head=True))
        subordinate = await org.pegawai("Bawahan", await org.jabatan("Staf Data", unit))
        colleague = await org.pegawai("Rekan", await org.jabatan("Staf Lain", other_unit))
        for person in (me, subordinate, colleague):
            skp = await Skp.create(
                pegawai=person,
                tahun=2026,
                periode_awal=date(2026, 1, 1),
                periode_akhir=date(2026, 12, 31),
                pendekatan=PendekatanSkp.KUANTITATIF,
                jenis_form=JenisFormSkp.JA_JF,
                snapshot_pegawai={"nama": person.nama},
                penilai_pegawai_id=me.id if person is subordinate else None,
            )
            person.skp_id = skp.id
            person.rhk_id = (await Rhk.create(skp=skp, teks=f"RHK {person.nama}")).id
            await Indikator.create(rhk_id=person.rhk_id, teks="Jumlah", target_min=1)
            person.bukti_id = (
                await BuktiDukung.create(
                    jenis=JenisBukti.TAUTAN,
                    status=StatusBukti.TERSEDIA,
                    pemilik_pegawai_id=person.id,
                    skp=skp,
                    nama="Bukti",
                    tautan="https://drive.example/bukti",
                )
            ).id
            evaluasi = await EvaluasiPeriodik.create(skp=skp, periode="2026-T1")
            person.evaluasi_id = evaluasi.id
            person.pemberitahuan_id = (
                await Pemberitahuan.create(pegawai=person, jenis="SKP_DISETUJUI", kunci="uji",
                                           entitas="skp", entitas_id=str(skp.id), judul="uji",
                                           isi="uji")
            ).id  # fmt: skip
            person.keberatan_id = (
                await Keberatan.create(
                    evaluasi=evaluasi,
                    pegawai_id=person.id,
                    # The recorded atasan decides (even outside today's chain), so the
                    # colleague's keberatan names someone else: "other" stays unrelated.
                    atasan_pegawai_id=subordinate.id if person is colleague else me.id,
                    status=StatusKeberatan.DIAJUKAN,
                    alasan="uji",
                )
            ).id
        # My own RHK, taken up by each of us: its roll-up lists everyone's capaian, and each
        # figure is governed by the relation to its owner, not by mine to the RHK.
        payung = await Rhk.create(skp_id=me.skp_id, teks="Payung")
        induk = await Indikator.create(rhk=payung, teks="Induk", target_min=3)
        for person in (me, subordinate, colleague):
            part = await Rhk.create(skp_id=person.skp_id, teks="Bagian", intervensi=payung)
            bagian = await Indikator.create(
                rhk=part, teks="Bagian", target_min=1, bagian_dari=induk
            )
            await Realisasi.create(
                indikator=bagian, skp_id=person.skp_id, periode="2026-T1", kuantitas=1
            )
    client = await ApiClient.create(
        client_id=f"hr-{tenant.kode.lower()}", nama="HR", scopes=ALL_SCOPES
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    return World(tenant, other_tenant, me, subordinate, colleague, client.client_id, payung.id)


def headers_for(idp, world: World, role: Role, relation) -> dict[str, str]:
    target_kode = world.other_tenant.kode if relation == OTHER_TENANT else world.tenant.kode
    if role is Role.CENTRAL_ADMIN:
        return central_admin_headers(idp, target_kode)
    if role is Role.API_CLIENT:
        return bearer(client_token(idp, world.client_id, *ALL_SCOPES)) | {"X-Instansi": target_kode}
    roles = (Role.ADMIN_INSTANSI,) if role is Role.ADMIN_INSTANSI else ()
    token = person_token(idp, world.tenant.kode, world.me.nip, *roles)
    return bearer(token) | {"X-Instansi": target_kode}


def target_of(world: World, relation):
    return {
        Relation.OWN: world.me,
        Relation.SUBORDINATE: world.subordinate,
    }.get(relation, world.colleague)


class _Ids:
    """``inner`` with its row ids as the global ids of the instansi the request is bound to
    (the other tenant's for OTHER_TENANT: there they name that tenant's rows, if any)."""

    TYPES = {
        "skp_id": "Skp",
        "rhk_id": "Rhk",
        "payung_rhk_id": "Rhk",
        "bukti_id": "BuktiDukung",
        "evaluasi_id": "EvaluasiPeriodik",
        "keberatan_id": "Keberatan",
        "pemberitahuan_id": "Pemberitahuan",
        "id": "Pegawai",
    }

    def __init__(self, inner, kode: str) -> None:
        self._inner, self._kode = inner, kode

    def __getattr__(self, name: str):
        if name == "unit_satu":  # unit 1, which the world's "me" heads
            return gid(self._kode, "UnitKerja", 1)
        value = getattr(self._inner, name)
        kind = self.TYPES.get(name)
        return gid(self._kode, kind, value) if kind and isinstance(value, int) else value


def bound_ids(world: World, relation, inner):
    kode = world.other_tenant.kode if relation == OTHER_TENANT else world.tenant.kode
    return _Ids(inner, kode)


def probe(operation: Operation, target) -> tuple[str, callable]:
    """A request performing ``operation`` on ``target`` and how to tell it was allowed."""
    if operation is Operation.READ_INSTANSI:
        return "{ instansi { kode } }", lambda d: d and d["instansi"]
    if operation is Operation.READ_DIRECTORY:
        return f'{{ pegawai(nip: "{target.nip}") {{ nama }} }}', lambda d: d and d["pegawai"]
    if operation is Operation.READ_PERSONNEL:
        return (
            f'{{ pegawai(nip: "{target.nip}") {{ golongan riwayatJabatan {{ jenis }} }} }}',
            lambda d: d and d["pegawai"] and d["pegawai"]["golongan"] is not None,
        )
    if operation is Operation.READ_SKP:
        return f'{{ skp(id: "{target.skp_id}") {{ status }} }}', lambda d: d and d["skp"]
    if operation is Operation.READ_CASCADE:
        return f'{{ rhk(id: "{target.rhk_id}") {{ teks }} }}', lambda d: d and d["rhk"]
    # For the SKP mutations the policy is what is probed: past it, the lifecycle may still
    # refuse as data (stale version, not the penilai), which counts as "allowed by the table".
    if operation is Operation.PLAN_SKP:
        return (
            f"""mutation {{ simpanRhk(input: {{skpId: "{target.skp_id}", versiDiharapkan: 0,
              teks: "uji", indikator: [{{teks: "i", aspek: KUANTITAS, targetMin: "1"}}]}})
              {{ __typename }} }}""",
            lambda d: d and d["simpanRhk"],
        )
    if operation is Operation.REVIEW_SKP:
        return (
            f'mutation {{ setujuiSkp(skpId: "{target.skp_id}", versiDiharapkan: 0) '
            "{ __typename } }",
            lambda d: d and d["setujuiSkp"],
        )
    if operation is Operation.CORRECT_SKP:
        return (
            f'mutation {{ segarkanSnapshotSkp(skpId: "{target.skp_id}", versiDiharapkan: 0) '
            "{ __typename } }",
            lambda d: d and d["segarkanSnapshotSkp"],
        )
    if operation is Operation.CONFIGURE_INSTANSI:
        return (
            "mutation { aturKadensi(tahun: 2031, kadensi: SEMESTERAN) { __typename } }",
            lambda d: d and d["aturKadensi"],
        )
    if operation is Operation.MANAGE_RHK_TEMPLATES:
        return (
            'mutation { hapusTemplatRhk(templatId: "0") { __typename } }',
            lambda d: d and d["hapusTemplatRhk"],
        )
    if operation is Operation.WRITE_ATASAN_OVERRIDE:
        return (
            f"""mutation {{ aturPengecualianAtasan(input: {{pegawaiNip: "{target.nip}",
              peran: ATASAN_PENILAI, berlakuMulai: "2026-01-01", alasan: "uji",
              eksternalNama: "Pejabat Lain"}}) {{ __typename }} }}""",
            lambda d: d and d["aturPengecualianAtasan"]["__typename"] == "PengecualianAtasanDiatur",
        )
    if operation is Operation.REPORT_PELAKSANAAN:
        return (
            f'mutation {{ ajukanEvaluasiPeriodik(skpId: "{target.skp_id}", periode: "2026-T1") '
            "{ __typename } }",
            lambda d: d and d["ajukanEvaluasiPeriodik"],
        )
    if operation is Operation.DOWNLOAD_BUKTI:
        return (
            f'{{ buktiDukung(id: "{target.bukti_id}") {{ unduhUrl }} }}',
            lambda d: d and d["buktiDukung"] and d["buktiDukung"]["unduhUrl"],
        )
    if operation is Operation.GIVE_UMPAN_BALIK:
        return (
            f"""mutation {{ beriUmpanBalik(input: {{skpId: "{target.skp_id}", periode: "2026-T1",
              nilaiPerilaku: "AKUNTABEL", teks: "uji"}}) {{ __typename }} }}""",
            lambda d: d and d["beriUmpanBalik"],
        )
    if operation is Operation.MANAGE_KALIMAT_UMPAN_BALIK:
        return (
            "mutation { aturKalimatUmpanBalik(sasaran: PERILAKU, butir: []) { __typename } }",
            lambda d: d and d["aturKalimatUmpanBalik"],
        )
    if operation is Operation.MONITOR_PELAKSANAAN:
        return (
            f"""{{ monitoringPelaksanaan(tahun: 2026, periode: "2026-T1",
              penilaiId: "{target.id}") {{ nodes {{ skpId }} }} }}""",
            lambda d: d and d["monitoringPelaksanaan"] is not None,
        )
    if operation is Operation.ASSESS:
        return (
            f"""mutation {{ nilaiEvaluasi(evaluasiId: "{target.evaluasi_id}", versiDiharapkan: 0,
              ratingHasilKerja: SESUAI_EKSPEKTASI, ratingPerilaku: SESUAI_EKSPEKTASI)
              {{ __typename }} }}""",
            lambda d: d and d["nilaiEvaluasi"],
        )
    if operation is Operation.SET_KINERJA_ORGANISASI:
        return (
            f"""mutation {{ aturPredikatOrganisasi(unitId: "{target.unit_satu}", periode: "2026-T1",
              predikat: BAIK) {{ __typename }} }}""",
            lambda d: d and d["aturPredikatOrganisasi"],
        )
    if operation is Operation.WRITE_KEBERATAN:
        return (
            f"""mutation {{ ajukanKeberatan(evaluasiId: "{target.evaluasi_id}", alasan: "uji")
              {{ __typename }} }}""",
            lambda d: d and d["ajukanKeberatan"],
        )
    if operation is Operation.DECIDE_KEBERATAN:
        return (
            f"""mutation {{ putuskanKeberatan(keberatanId: "{target.keberatan_id}",
              hasil: DITOLAK, catatan: "uji") {{ __typename }} }}""",
            lambda d: d and d["putuskanKeberatan"],
        )
    if operation is Operation.RECORD_PENILAI_EKSTERNAL:
        # Past the table the domain may refuse as data (stale version, an internal penilai).
        return (
            f"""mutation {{ catatPersetujuanSkpEksternal(skpId: "{target.skp_id}",
              versiDiharapkan: 0, dokumen: {{nomor: "1", tanggal: "2026-01-05",
              namaPejabat: "Bupati", jabatanPejabat: "Bupati"}}) {{ __typename }} }}""",
            lambda d: d and d["catatPersetujuanSkpEksternal"],
        )
    if operation is Operation.COMPUTE_ANGKA_KREDIT:
        return (
            "mutation { hitungAngkaKredit(tahun: 2031) { __typename } }",
            lambda d: d and d["hitungAngkaKredit"],
        )
    if operation is Operation.READ_DASHBOARD:
        # The world's "me" heads unit 1, so a pegawai passes the domain's leadership check.
        return (
            f'{{ kelengkapanPenilaian(unitId: "{target.unit_satu}", periode: "2026-T1") '
            "{ diajukan } }",
            lambda d: d and d["kelengkapanPenilaian"],
        )
    if operation is Operation.READ_CHANGES:
        return (
            "{ peristiwa(first: 1) { pageInfo { hasNextPage } } }",
            lambda d: d and d["peristiwa"],
        )
    if operation is Operation.MANAGE_WEBHOOKS:
        return "{ webhookLangganan { id } }", lambda d: d and d["webhookLangganan"] is not None
    if operation is Operation.EXPORT_SIASN:
        return (
            "{ eksporSiasnSkp22(tahun: 2026, first: 1) { pageInfo { hasNextPage } } }",
            lambda d: d and d["eksporSiasnSkp22"],
        )
    if operation is Operation.READ_STATISTIK:
        return (
            "{ statistikInstansi(tahun: 2026) { pegawai } }",
            lambda d: d and d["statistikInstansi"],
        )
    if operation is Operation.MANAGE_API_CLIENTS:
        return "{ daftarApiClient { clientId } }", lambda d: d and d["daftarApiClient"] is not None
    if operation is Operation.MANAGE_BROWSER_SESSIONS:
        return (
            f'{{ sesiBrowser(nip: "{target.nip}") {{ nodes {{ userAgent }} }} }}',
            lambda d: d and d["sesiBrowser"] is not None,
        )
    if operation is Operation.IMPORT_KEPEGAWAIAN:
        # Reading the jobs; uploading and applying are HTTP (tests/test_impor_kepegawaian.py).
        return (
            "{ daftarImporKepegawaian(first: 1) { nodes { id } } }",
            lambda d: d and d["daftarImporKepegawaian"] is not None,
        )
    if operation is Operation.READ_PEMBERITAHUAN:  # only one's own (decision 0041)
        return (
            f'{{ node(id: "{target.pemberitahuan_id}") {{ ... on Pemberitahuan {{ judul }} }} }}',
            lambda d: d and d["node"],
        )
    if operation is Operation.MANAGE_PEMBERITAHUAN:
        return (
            f'mutation {{ tandaiPemberitahuanDibaca(id: ["{target.pemberitahuan_id}"]) '
            "{ __typename } }",
            lambda d: d and d["tandaiPemberitahuanDibaca"]["__typename"] == "PemberitahuanDitandai",
        )
    raise AssertionError(f"no probe for {operation}: add one when adding an operation")


def _entry_of(entries, target) -> dict:
    return next(e for e in entries if e["pegawaiId"] == target.id)


def field_probes(world: World, target) -> dict[str, tuple[str, callable]]:
    """Every field that shows a person's execution or assessment data, wherever it is reached
    (an RHK is readable instansi-wide): each is governed by `skp:read` about that person."""
    rollup_of = f'{{ rhk(id: "{target.rhk_id}") {{ rekap(periode: "2026-T1") {{ periode }}'
    payung = f'{{ rhk(id: "{world.payung_rhk_id}") {{'
    return {
        "skp": probe(Operation.READ_SKP, target),
        "pelaksanaan": (
            f'{{ pelaksanaan(skpId: "{target.skp_id}", periode: "2026-T1") {{ periode }} }}',
            lambda d: d and d["pelaksanaan"],
        ),
        "evaluasi": (
            f'{{ evaluasi(skpId: "{target.skp_id}", periode: "2026-T1") {{ status }} }}',
            lambda d: d and d["evaluasi"],
        ),
        "riwayatPredikat": (
            f'{{ riwayatPredikat(nip: "{target.nip}") {{ periode }} }}',
            lambda d: d and d["riwayatPredikat"] is not None,
        ),
        "buktiDukung": (
            f'{{ buktiDukung(id: "{target.bukti_id}") {{ nama }} }}',
            lambda d: d and d["buktiDukung"],
        ),
        "Rhk.rekap": (rollup_of + " } }", lambda d: d and d["rhk"]["rekap"]),
        "Indikator.rekap": (
            f'{{ rhk(id: "{target.rhk_id}") {{ indikator {{ rekap(periode: "2026-T1") '
            "{ status } } } }",
            lambda d: d and d["rhk"]["indikator"][0]["rekap"],
        ),
        "IntervensiCapaian.capaian": (
            payung + ' rekap(periode: "2026-T1") { intervensi { pegawaiId '
            "capaian { capaianPersen } } } } }",
            lambda d: d and _entry_of(d["rhk"]["rekap"]["intervensi"], target)["capaian"],
        ),
        "IntervensiCapaian.mencapaiTarget": (
            payung + ' rekap(periode: "2026-T1") { intervensi { pegawaiId mencapaiTarget } } } }',
            lambda d: (
                d
                and _entry_of(d["rhk"]["rekap"]["intervensi"], target)["mencapaiTarget"] is not None
            ),
        ),
        **{
            f"BagianRealisasi.{name}": (
                payung + f' indikator {{ rekap(periode: "2026-T1") {{ bagian {{ pegawaiId {name} '
                "} } } } }",
                lambda d, name=name: (
                    d
                    and _entry_of(d["rhk"]["indikator"][0]["rekap"]["bagian"], target)[name]
                    is not None
                ),
            )
            for name in ("realisasi", "capaianPersen", "tanpaRealisasi")
        },
    }


_ANYONE = SimpleNamespace(payung_rhk_id=1, rhk_id=1, skp_id=1, nip="1", bukti_id=1, id=1)
FIELDS = list(field_probes(_ANYONE, _ANYONE))
FIELD_CASES = [
    (field, role, relation)
    for field, role, relation in itertools.product(FIELDS, Role, RELATIONS)
    if applicable(role, relation)
]


@pytest.mark.parametrize(
    ("field", "role", "relation"),
    FIELD_CASES,
    ids=[f"{f}-{r.value}-{getattr(rel, 'name', rel)}" for f, r, rel in FIELD_CASES],
)
async def test_execution_fields_follow_skp_read(api, idp, world, field, role, relation):
    """Issue 15, defect 7: the roll-ups of a tenant-wide RHK showed anyone's capaian."""
    ids = bound_ids(world, relation, world)
    query, succeeded = field_probes(ids, bound_ids(world, relation, target_of(world, relation)))[
        field
    ]
    response = await api.post(
        "/graphql", json={"query": query}, headers=headers_for(idp, world, role, relation)
    )
    body = response.json()
    allowed = bool(succeeded(body.get("data")))
    assert allowed is expected(Operation.READ_SKP, role, relation), body
    if not allowed:
        codes = {e["extensions"]["code"] for e in body["errors"]}
        assert codes <= {"FORBIDDEN", "UNAUTHENTICATED"}, body


@pytest.mark.parametrize(
    ("operation", "role", "relation"),
    CASES,
    ids=[f"{o.value}-{r.value}-{getattr(rel, 'name', rel)}" for o, r, rel in CASES],
)
async def test_matrix(api, idp, world, operation, role, relation):
    query, succeeded = probe(operation, bound_ids(world, relation, target_of(world, relation)))
    response = await api.post(
        "/graphql", json={"query": query}, headers=headers_for(idp, world, role, relation)
    )
    body = response.json()
    allowed = bool(succeeded(body.get("data")))
    assert allowed is expected(operation, role, relation), body
    if not allowed:
        codes = {e["extensions"]["code"] for e in body["errors"]}
        assert codes <= {"FORBIDDEN", "UNAUTHENTICATED"}, body


def test_every_operation_has_a_probe_and_a_meaning():
    target = type(
        "T",
        (),
        {
            "nip": "1",
            "skp_id": 1,
            "rhk_id": 1,
            "bukti_id": 1,
            "id": 1,
            "evaluasi_id": 1,
            "keberatan_id": 1,
            "pemberitahuan_id": 1,
            "unit_satu": "1",
        },
    )()
    for operation in Operation:
        assert probe(operation, target)


def test_authorization_doc_matches_the_policy():
    from ekinerja.auth.policy_doc import AUTHORIZATION_DOC, render

    assert AUTHORIZATION_DOC.read_text() == render(), (
        "docs/authorization.md is stale: run `ekinerja policy export`"
    )
    assert as_markdown() in render()
