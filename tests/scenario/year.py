"""A whole year of one instansi driven through the public API on an injected clock (issue 15,
Proof): the builder the scenario tests share.

The organisation (4 levels) is set up through the models (the pegawai import has no GraphQL);
everything after that is what the portals send, each request at an instant of the year
(`calendar.pada`), as the person who would send it:

    Sekretariat Daerah      Sekda (JPT Madya; penilai: the Bupati, outside the system)
    └ Dinas Pendidikan      Kadis (JPT Pratama)
      └ Bidang Kurikulum    Kabid (Administrator)
        ├ Seksi SD          Kasi SD (Pengawas); A1 Ahli Pertama, A2 Ahli Muda,
        │                   A3 Ahli Pertama hired 1 March, A4 Ahli Muda retiring 15 March
        └ Seksi SMP         Kasi SMP (Pengawas); B1 Ahli Pertama
    Admin (admin instansi, in the Sekretariat)

Cadence: monthly. Each month: progres harian and realisasi on day 10 with a link as evidence,
submission on the window's last day, ratings on the 1st of the next month, penetapan per unit
at 23:30 local time that day (near midnight, so the instansi's zone decides the keberatan
days)."""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import pada
from ekinerja.kepegawaian.enums import JenisJabatan, JenjangFungsional, StatusPegawai
from ekinerja.models.tenant import Pegawai, Penugasan, UnitKerja
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.auth import principal_header
from tests.support.ids import gid
from tests.support.org import Org

TAHUN = 2026
HIRED = date(TAHUN, 3, 1)
RETIRES = date(TAHUN, 3, 15)
BUPATI = {"namaPejabat": "H. Rahmat Hidayat", "jabatanPejabat": "Bupati Contoh"}

SB = ("DI_ATAS_EKSPEKTASI", "DI_ATAS_EKSPEKTASI")
B = ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI")
BP = ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI")

ERR = "... on MutationError { code field message }"
SKP_CHANGED = f"""__typename ... on SkpDiubah {{ skp {{ id versiKunci status versi periodeAwal }}
  rhk {{ id indikator {{ id }} }} }} {ERR}"""
CREATE = f"""mutation($input: BuatSkpInput!) {{ buatSkp(input: $input) {{ {SKP_CHANGED} }} }}"""
SAVE_RHK = (
    f"""mutation($input: SimpanRhkInput!) {{ simpanRhk(input: $input) {{ {SKP_CHANGED} }} }}"""
)
SUBMIT_SKP = f"""mutation($skp: ID!, $v: Int!) {{ ajukanSkp(skpId: $skp, versiDiharapkan: $v) {{
  {SKP_CHANGED} }} }}"""
APPROVE = f"""mutation($skp: ID!, $v: Int!) {{ setujuiSkp(skpId: $skp, versiDiharapkan: $v,
  ekspektasi: [{{nilai: "AKUNTABEL", ekspektasi: "Laporan bulanan tepat waktu"}}]) {{
  {SKP_CHANGED} }} }}"""
APPROVE_EXTERNAL = f"""mutation($skp: ID!, $v: Int!, $dokumen: DokumenEksternalInput!) {{
  catatPersetujuanSkpEksternal(skpId: $skp, versiDiharapkan: $v, dokumen: $dokumen) {{
  {SKP_CHANGED} }} }}"""
REVISE = f"""mutation($skp: ID!, $v: Int!) {{ revisiSkp(skpId: $skp, versiDiharapkan: $v) {{
  {SKP_CHANGED} }} }}"""
REMOVE_RHK = f"""mutation($skp: ID!, $v: Int!, $rhk: ID!) {{
  hapusRhk(skpId: $skp, versiDiharapkan: $v, rhkId: $rhk) {{ {SKP_CHANGED} }} }}"""
SKP = """query($id: ID!) { skp(id: $id) { id versiKunci status versi periodeAwal periodeAkhir
  rhk { id teks statusIntervensi petunjukIntervensi intervensi { id teks }
        indikator { id } rencanaAksi { id periode } } } }"""
KADENSI = """mutation { aturKadensi(tahun: 2026, kadensi: BULANAN) {
  __typename ... on KadensiDiatur { kadensi } ... on MutationError { code message } } }"""
PENGATURAN = "{ pengaturanInstansi { kunci nilai berlaku } }"
SET_PENGATURAN = """mutation($kunci: String!, $nilai: JSON!) { ubahPengaturan(kunci: $kunci,
  nilai: $nilai) { __typename ... on MutationError { code field message } } }"""

PROGRES_REALISASI = f"""mutation($rows: [ProgresHarianInput!]!, $skp: ID!, $periode: String!,
  $items: [ButirRealisasiInput!]!) {{
  progres: buatProgresHarianMassal(baris: $rows) {{
    __typename ... on BarisDitolak {{ code message baris {{ baris field message }} }} {ERR} }}
  realisasi: simpanRealisasiMassal(skpId: $skp, periode: $periode, butir: $items) {{
    __typename ... on RealisasiMassalDisimpan {{ realisasi {{ realisasiId indikatorId }} }}
    ... on BarisDitolak {{ code message baris {{ baris field message }} }} {ERR} }} }}"""
BUKTI = f"""mutation($input: TautanBuktiInput!) {{ tambahTautanBuktiDukung(input: $input) {{
  __typename ... on BuktiDukung {{ id }} {ERR} }} }}"""
SUBMIT = f"""mutation($skp: ID!, $periode: String!) {{
  ajukanEvaluasiPeriodik(skpId: $skp, periode: $periode, catatan: "Realisasi lengkap") {{
  __typename ... on EvaluasiDiajukan {{ periode status }} {ERR} }} }}"""
QUEUE = """query($periode: String!) {
  evaluasiUntukDinilai(filter: {periode: $periode}, first: 100) {
  nodes { id skpId versiKunci status } } }"""
EVALUASI = """query($skp: ID!, $periode: String!) { evaluasi(skpId: $skp, periode: $periode) {
  id status versiKunci predikat unitId jenjang final ditetapkanPada
  kesempatanKeberatan { tersedia alasan batas } keberatan { id status hasil } } }"""
RATE_EXTERNAL = f"""mutation($id: ID!, $v: Int!, $hasil: Rating!, $perilaku: Rating!,
  $dokumen: DokumenEksternalInput!) {{
  catatPenilaianEksternal(evaluasiId: $id, versiDiharapkan: $v, ratingHasilKerja: $hasil,
    ratingPerilaku: $perilaku, dokumen: $dokumen) {{
  __typename ... on EvaluasiPeriodik {{ status predikat }} {ERR} }} }}"""
PENETAPAN = f"""mutation($unit: ID!, $periode: String!) {{
  predikat: aturPredikatOrganisasi(unitId: $unit, periode: $periode, predikat: BAIK) {{
    __typename {ERR} }}
  tetapkan: tetapkanKinerjaUnit(unitId: $unit, periode: $periode) {{
    __typename ... on PenetapanSelesai {{ hasilKurva jumlahDitetapkan
      pemeriksaan {{ hasil pelanggaran {{ kode jumlah batas }} }} }} {ERR} }} }}"""
KINERJA_UNIT = """query($unit: ID!, $periode: String!) { kinerjaUnit(unitId: $unit,
  periode: $periode) { predikat distribusi { predikat jumlah }
  pemeriksaan { hasil pelanggaran { kode jumlah batas } } } }"""


def rate_document(nomor: str, on: date) -> dict:
    return {"nomor": nomor, "tanggal": on.isoformat(), **BUPATI}


def last_day(month: int) -> date:
    return date(TAHUN, month, months.monthrange(TAHUN, month)[1])


def periode(month: int) -> str:
    return f"{TAHUN}-B{month}"


@dataclass
class Orang:
    nama: str
    pegawai: Pegawai
    unit: str
    jenjang: str | None = None
    skp: str | None = None  # the id of the version in force
    version: int = 0
    rhk: list[dict] = field(default_factory=list)  # as read by SKP


@dataclass
class Units:
    setda: UnitKerja
    dinas: UnitKerja
    bidang: UnitKerja
    sd: UnitKerja
    smp: UnitKerja


class Tahun:
    """The instansi's year: the people, and requests sent as them at instants of the year."""

    def __init__(self, api: httpx.AsyncClient, idp, tenant, zone: str = "Asia/Jakarta"):
        self.api, self.idp, self.tenant = api, idp, tenant
        self.zone = ZoneInfo(zone)
        self.orang: dict[str, Orang] = {}
        self.admin: Pegawai | None = None
        self.units: Units | None = None
        self.requests = 0

    # --- time and transport ------------------------------------------------------------------

    def at(self, on: date, hh: int = 10, mm: int = 0) -> datetime:
        """An instant, given as the local time where the instansi is."""
        return datetime.combine(on, time(hh, mm), self.zone)

    async def raw(self, who: Pegawai, query: str, at: datetime, *roles, **variables) -> dict:
        self.requests += 1
        with pada(at.astimezone(UTC)):
            response = await self.api.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers=principal_header(self.idp, self.tenant.kode, who.nip, *roles),
            )
        return response.json()

    async def gql(self, who: Pegawai | str, query: str, at: datetime, *roles, **variables):
        """The data of a request that must succeed (no GraphQL error, no MutationError)."""
        pegawai = self.orang[who].pegawai if isinstance(who, str) else who
        body = await self.raw(pegawai, query, at, *roles, **variables)
        assert not body.get("errors") and body.get("data"), body
        for value in body["data"].values():
            if isinstance(value, dict) and value.get("__typename") in (
                "MutationError",
                "BarisDitolak",
            ):
                raise AssertionError(f"refused at {at}: {value}")
        return body["data"]

    async def as_admin(self, query: str, at: datetime, **variables):
        return await self.gql(self.admin, query, at, Role.ADMIN_INSTANSI, **variables)

    async def csv(self, shape: str, at: datetime) -> httpx.Response:
        with pada(at.astimezone(UTC)):
            return await self.api.get(
                f"/siasn/{shape}.csv?tahun={TAHUN}",
                headers=principal_header(
                    self.idp, self.tenant.kode, self.admin.nip, Role.ADMIN_INSTANSI
                ),
            )

    # --- the organisation (setup: the import has no GraphQL) ---------------------------------

    async def organisasi(self) -> None:
        async with tenant_transaction(as_bound(self.tenant)):
            org = Org()
            setda = await org.unit("Sekretariat Daerah")
            dinas = await org.unit("Dinas Pendidikan", setda)
            bidang = await org.unit("Bidang Kurikulum", dinas)
            sd = await org.unit("Seksi SD", bidang)
            smp = await org.unit("Seksi SMP", bidang)
            self.units = Units(setda, dinas, bidang, sd, smp)

            names = {
                setda.id: "Sekretariat Daerah",
                dinas.id: "Dinas Pendidikan",
                bidang.id: "Bidang Kurikulum",
                sd.id: "Seksi SD",
                smp.id: "Seksi SMP",
            }

            async def head(nama, unit, jenis, key, **extra):
                jabatan = await org.jabatan(nama, unit, head=True, jenis=jenis, **extra)
                self.orang[key] = Orang(key, await org.pegawai(key, jabatan), names[unit.id])

            await head("Sekretaris Daerah", setda, JenisJabatan.JPT_MADYA, "Sekda",
                       penilai_eksternal_nama=BUPATI["namaPejabat"],
                       penilai_eksternal_jabatan=BUPATI["jabatanPejabat"])  # fmt: skip
            await head("Kepala Dinas", dinas, JenisJabatan.JPT_PRATAMA, "Kadis")
            await head("Kepala Bidang", bidang, JenisJabatan.ADMINISTRATOR, "Kabid")
            await head("Kepala Seksi SD", sd, JenisJabatan.PENGAWAS, "Kasi SD")
            await head("Kepala Seksi SMP", smp, JenisJabatan.PENGAWAS, "Kasi SMP")
            self.admin = await org.pegawai("Admin", await org.jabatan("Pranata Komputer", setda))

            async def fungsional(key, unit, jenjang, since=None):
                jabatan = await org.jabatan(
                    f"Pengembang Kurikulum {jenjang.value} {key}", unit,
                    jenis=JenisJabatan.FUNGSIONAL, jenjang=jenjang,
                )  # fmt: skip
                pegawai = await org.pegawai(key, None)
                await org.assign(pegawai, jabatan, since=since or date(TAHUN, 1, 1))
                self.orang[key] = Orang(key, pegawai, names[unit.id], jenjang.value)

            await fungsional("A1", sd, JenjangFungsional.AHLI_PERTAMA)
            await fungsional("A2", sd, JenjangFungsional.AHLI_MUDA)
            await fungsional("A3", sd, JenjangFungsional.AHLI_PERTAMA, since=HIRED)
            await fungsional("A4", sd, JenjangFungsional.AHLI_MUDA)
            await fungsional("B1", smp, JenjangFungsional.AHLI_PERTAMA)

    async def retire(self, key: str, on: date) -> None:
        """Setup with no API: ``on`` is the pegawai's last day (their assignment ends, its end
        exclusive, and their status becomes PENSIUN)."""
        async with tenant_transaction(as_bound(self.tenant)):
            pegawai = self.orang[key].pegawai
            await Penugasan.filter(pegawai=pegawai, berlaku_sampai__isnull=True).update(
                berlaku_sampai=on + timedelta(days=1)
            )
            await Pegawai.filter(id=pegawai.id).update(status=StatusPegawai.PENSIUN)

    def unit_id(self, name: str) -> str:
        return gid(self.tenant, "UnitKerja", getattr(self.units, name).id)

    # --- planning ----------------------------------------------------------------------------

    async def read(self, key: str, at: datetime) -> dict:
        me = self.orang[key]
        found = (await self.gql(key, SKP, at, id=me.skp))["skp"]
        me.version, me.rhk = found["versiKunci"], found["rhk"]
        return found

    async def plan(
        self,
        key: str,
        at: datetime,
        rhk: list[tuple[str, str | None]],
        awal: date | None = None,
        akhir: date | None = None,
    ) -> None:
        """Create the SKP, one RHK per (teks, intervened RHK id) with one indikator, a
        rencana aksi for every month it covers, and submit."""
        me = self.orang[key]
        data = await self.gql(key, CREATE, at, input={
            "tahun": TAHUN, "pendekatan": "KUANTITATIF",
            "periodeAwal": awal and awal.isoformat(), "periodeAkhir": akhir and akhir.isoformat(),
        })  # fmt: skip
        created = data["buatSkp"]["skp"]
        me.skp, me.version = created["id"], created["versiKunci"]
        start = date.fromisoformat(created["periodeAwal"])
        assert awal is None or start == awal, created
        for teks, intervensi in rhk:
            saved = await self.gql(key, SAVE_RHK, at, input={
                "skpId": me.skp, "versiDiharapkan": me.version, "teks": teks,
                "intervensiRhkId": intervensi,
                "indikator": [{"teks": f"Jumlah {teks.lower()}", "aspek": "KUANTITAS",
                               "targetMin": "12", "satuan": "Dokumen"}],
            })  # fmt: skip
            me.version = saved["simpanRhk"]["skp"]["versiKunci"]
            rhk_id = saved["simpanRhk"]["rhk"]["id"]
            await self.rencana_aksi(key, at, rhk_id, start, akhir)
        submitted = await self.gql(key, SUBMIT_SKP, at, skp=me.skp, v=me.version)
        me.version = submitted["ajukanSkp"]["skp"]["versiKunci"]

    async def rencana_aksi(self, key, at, rhk_id, awal: date, akhir: date | None) -> None:
        """A rencana aksi for each month the SKP covers, in one request (aliased saves)."""
        me = self.orang[key]
        last = (akhir or date(TAHUN, 12, 31)).month
        calls = []
        for n, month in enumerate(range(awal.month, last + 1)):
            calls.append(
                f"m{month}: simpanRencanaAksi(skpId: $skp, versiDiharapkan: {me.version + n}, "
                f'rhkId: $rhk, periode: "{periode(month)}", butir: [{{teks: "Kegiatan bulan '
                f'{month}", target: "1 Dokumen"}}]) {{ __typename {ERR} }}'
            )
        await self.gql(
            key, f"mutation($skp: ID!, $rhk: ID!) {{ {' '.join(calls)} }}", at,
            skp=me.skp, rhk=rhk_id,
        )  # fmt: skip
        me.version += len(calls)

    async def approve(self, penilai: str, key: str, at: datetime) -> None:
        me = self.orang[key]
        data = await self.gql(penilai, APPROVE, at, skp=me.skp, v=me.version)
        assert data["setujuiSkp"]["skp"]["status"] == "DISETUJUI"
        await self.read(key, at)

    async def approve_external(self, key: str, at: datetime, nomor: str) -> None:
        me = self.orang[key]
        data = await self.as_admin(APPROVE_EXTERNAL, at, skp=me.skp, v=me.version,
                                   dokumen=rate_document(nomor, at.date()))  # fmt: skip
        assert data["catatPersetujuanSkpEksternal"]["skp"]["status"] == "DISETUJUI"
        await self.read(key, at)

    def rhk_id(self, key: str, n: int = 0) -> str:
        return self.orang[key].rhk[n]["id"]

    # --- a month's execution and assessment --------------------------------------------------

    async def execute(self, key: str, month: int) -> None:
        """Progres for every rencana aksi of the month and realisasi for every indikator on
        day 10 (or the SKP's last day, if sooner), with a link as evidence."""
        me = self.orang[key]
        day = date(TAHUN, month, 10)
        if key == "A4" and month == RETIRES.month:
            day = RETIRES - timedelta(days=1)
        at = self.at(day, 14)
        kode = periode(month)
        rows, items = [], []
        for rhk in me.rhk:
            for ra in rhk["rencanaAksi"]:
                if ra["periode"] == kode:
                    rows.append({
                        "rencanaAksiId": ra["id"], "tanggal": day.isoformat(),
                        "jamMulai": "08:00:00", "jamSelesai": "11:00:00",
                        "kegiatan": f"Menyusun dokumen {kode}", "realisasi": 1,
                        "satuan": "Dokumen",
                    })  # fmt: skip
            for indikator in rhk["indikator"]:
                items.append({"indikatorId": indikator["id"], "kuantitas": "1",
                              "narasi": f"Dokumen {kode} selesai"})  # fmt: skip
        done = await self.gql(key, PROGRES_REALISASI, at, rows=rows, skp=me.skp, periode=kode,
                              items=items)  # fmt: skip
        realisasi = done["realisasi"]["realisasi"][0]["realisasiId"]
        await self.gql(key, BUKTI, at, input={
            "nama": f"Laporan {kode}", "realisasiId": realisasi,
            "tautan": f"https://arsip.example.go.id/{me.pegawai.nip}/{kode}.pdf",
        })  # fmt: skip

    async def submit(self, key: str, month: int, on: date | None = None) -> None:
        me = self.orang[key]
        at = self.at(on or last_day(month), 15)
        data = await self.gql(key, SUBMIT, at, skp=me.skp, periode=periode(month))
        assert data["ajukanEvaluasiPeriodik"]["status"] == "DIAJUKAN"

    async def rate(self, penilai: str, month: int, ratings: dict[str, tuple[str, str]]) -> None:
        """The penilai rates the month's queue in one request: ``ratings`` by pegawai key."""
        at = self.at(last_day(month) + timedelta(days=1), 10)
        queue = (await self.gql(penilai, QUEUE, at, periode=periode(month)))[
            "evaluasiUntukDinilai"
        ]["nodes"]
        by_skp = {e["skpId"]: e for e in queue}
        calls = []
        for n, (key, (hasil, perilaku)) in enumerate(ratings.items()):
            evaluasi = by_skp.pop(self.orang[key].skp)
            calls.append(
                f'r{n}: nilaiEvaluasi(evaluasiId: "{evaluasi["id"]}", versiDiharapkan: '
                f"{evaluasi['versiKunci']}, ratingHasilKerja: {hasil}, ratingPerilaku: "
                f"{perilaku}) {{ __typename ... on EvaluasiPeriodik {{ predikat }} {ERR} }}"
            )
        assert not by_skp, f"{penilai} left unrated: {by_skp}"
        await self.gql(penilai, f"mutation {{ {' '.join(calls)} }}", at)

    async def rate_external(self, key: str, month: int, rating: tuple[str, str]) -> None:
        me = self.orang[key]
        at = self.at(last_day(month) + timedelta(days=1), 10)
        found = (await self.gql(key, EVALUASI, at, skp=me.skp, periode=periode(month)))["evaluasi"]
        await self.as_admin(
            RATE_EXTERNAL,
            at,
            id=found["id"],
            v=found["versiKunci"],
            hasil=rating[0],
            perilaku=rating[1],
            dokumen=rate_document(f"800/{month}/BUP/{TAHUN}", at.date()),
        )

    async def tetapkan(self, leader: str, unit: str, month: int) -> dict:
        """Penetapan of one unit's month at 23:30 local on the 1st of the next month."""
        at = self.penetapan_at(month)
        unit_id, kode = self.unit_id(unit), periode(month)
        data = await self.gql(leader, PENETAPAN, at, unit=unit_id, periode=kode)
        return data["tetapkan"]

    def penetapan_at(self, month: int) -> datetime:
        return self.at(last_day(month) + timedelta(days=1), 23, 30)

    async def evaluasi(self, key: str, month: int | str, at: datetime) -> dict:
        kode = month if isinstance(month, str) else periode(month)
        found = await self.gql(key, EVALUASI, at, skp=self.orang[key].skp, periode=kode)
        return found["evaluasi"]
