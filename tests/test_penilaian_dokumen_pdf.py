"""The printed evaluation document: what a reader of the PDF finds in it (from the sample, no
database), what is built from a rated evaluation (realisation, feedback, ratings, the annual
period, a fixed number of queries), and who may download it over HTTP."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ekinerja.kepegawaian.calendar import today
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Indikator,
    Realisasi,
    Rhk,
    Skp,
    SkpPerilaku,
    UmpanBalik,
)
from ekinerja.pelaksanaan.enums import SasaranUmpanBalik
from ekinerja.penilaian.dokumen import build_evaluation_document, periode_nama
from ekinerja.penilaian.dokumen_model import EvaluationDocument, UmpanBalikRow
from ekinerja.penilaian.dokumen_pdf import render_evaluation_pdf
from ekinerja.penilaian.dokumen_sample import sample_evaluation
from ekinerja.skp.berakhlak import NILAI
from ekinerja.skp.enums import AspekIki
from ekinerja.skp.pdf_page import format_tanggal
from ekinerja.skp.periode import Window
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of
from tests.support.auth import principal_header
from tests.support.ids import gid, gid_of, row_of
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import SET_PREDIKAT, TETAPKAN, Bidang, build_bidang, submit_and_rate
from tests.support.query_counter import count_queries

ATAS, SESUAI = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"
FOOTER = re.compile(r"Halaman (\d+) dari (\d+)")


def read(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Without whitespace: a sentence wrapped inside a cell is split over lines."""
    return re.sub(r"\s+", "", text)


def printed(pages: list[str], *expected: str) -> bool:
    everything = squash("\n".join(pages))
    return all(squash(text) in everything for text in expected)


@pytest.fixture(scope="module")
def document() -> EvaluationDocument:
    return sample_evaluation()


@pytest.fixture(scope="module")
def pages(document: EvaluationDocument) -> list[str]:
    return read(render_evaluation_pdf(document))


# --- The print ----------------------------------------------------------------------------


def test_title_period_and_instansi(pages: list[str], document: EvaluationDocument) -> None:
    first = pages[0]
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in first
    assert "PERIODE: TRIWULAN I: 1 Januari 2026 – 31 Maret 2026" in first
    assert document.instansi.upper() in first
    for page in PdfReader(io.BytesIO(render_evaluation_pdf(document))).pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape


def test_the_three_people_from_the_snapshots(
    pages: list[str], document: EvaluationDocument
) -> None:
    first = pages[0]
    for title in ("PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "ATASAN PEJABAT PENILAI"):
        assert title in first
    for person in (document.pegawai, document.pejabat_penilai, document.atasan_pejabat_penilai):
        assert person.nip in first
        assert printed(pages[:1], person.nama, person.jabatan)


def test_without_an_atasan_its_table_is_left_out(document: EvaluationDocument) -> None:
    pages = read(render_evaluation_pdf(replace(document, atasan_pejabat_penilai=None)))
    assert "ATASAN PEJABAT PENILAI" not in pages[0]
    assert document.atasan_pejabat_penilai.nama not in "\n".join(pages)
    assert "PEJABAT PENILAI KINERJA" in pages[0]


def test_organisation_ratings_and_predikat(pages: list[str]) -> None:
    text = "\n".join(pages)
    assert re.search(r"CAPAIAN KINERJA ORGANISASI\s+Baik", text)
    assert re.search(r"POLA DISTRIBUSI\s+Baik", text)
    assert re.search(r"RATING HASIL KERJA\s+Di Atas Ekspektasi", text)
    assert re.search(r"RATING PERILAKU KERJA\s+Sesuai Ekspektasi", text)
    assert re.search(r"PREDIKAT KINERJA PEGAWAI\s+Baik", text)


def test_an_unrated_evaluation_prints_dashes(document: EvaluationDocument) -> None:
    unrated = replace(
        document,
        predikat_organisasi=None,
        rating_hasil_kerja=None,
        rating_perilaku=None,
        predikat=None,
        status="DIAJUKAN",
    )
    text = "\n".join(read(render_evaluation_pdf(unrated)))
    for label in ("CAPAIAN KINERJA ORGANISASI", "RATING HASIL KERJA", "PREDIKAT KINERJA PEGAWAI"):
        assert re.search(rf"{label}\s+-\s", text), label
    assert "Status: Diajukan" in text


def test_every_rhk_with_its_realisation_and_feedback(
    pages: list[str], document: EvaluationDocument
) -> None:
    assert printed(pages, "Realisasi Berdasarkan Bukti Dukung", "A. Utama", "B. Tambahan")
    for row in document.hasil_kerja_utama + document.hasil_kerja_tambahan:
        assert printed(pages, row.rhk.teks), row.rhk.teks
        if row.rhk.intervensi:
            assert printed(pages, row.rhk.intervensi)
        for indikator, realisasi in zip(row.rhk.indikator, row.realisasi, strict=True):
            assert printed(pages, indikator.teks, indikator.target)
            assert printed(pages, *filter(None, (realisasi.kuantitas, realisasi.narasi)))
        assert printed(pages, *row.umpan_balik.kalimat, row.umpan_balik.teks)
    assert printed(pages, "Capaian: 25 %")  # 3 of 12 Laporan in the first quarter


def test_berakhlak_values_with_ekspektasi_and_feedback(
    pages: list[str], document: EvaluationDocument
) -> None:
    assert printed(pages, "PERILAKU KERJA", "Ekspektasi Khusus Pimpinan")
    for nilai, row in zip(NILAI, document.perilaku, strict=True):
        assert printed(pages, nilai.nama, *nilai.panduan, row.perilaku.ekspektasi)
        assert printed(pages, *row.umpan_balik.kalimat)
        if row.umpan_balik.teks:
            assert printed(pages, row.umpan_balik.teks)


def test_the_penilai_signs_under_the_date(pages: list[str], document: EvaluationDocument) -> None:
    last = pages[-1]
    assert "Pejabat Penilai Kinerja" in last
    assert document.tempat_tanggal in last
    assert f"NIP. {document.pejabat_penilai.nip}" in last
    assert "Pegawai yang Dinilai" not in last  # only the penilai signs this form
    assert printed(pages, document.catatan_penilai, document.catatan_pegawai)


def test_a_draft_until_ditetapkan(pages: list[str], document: EvaluationDocument) -> None:
    assert "DRAFT – belum ditetapkan" in pages[0]
    assert all("DRAFT" in page for page in pages)  # the watermark
    fixed = read(render_evaluation_pdf(replace(document, status="DITETAPKAN")))
    assert "DRAFT" not in "\n".join(fixed)
    assert "Status: Ditetapkan" in fixed[0]


def test_many_rhk_continue_over_pages_with_the_headings_again() -> None:
    document = sample_evaluation(rhk_count=40)
    pages = read(render_evaluation_pdf(document))
    assert len(pages) > 4
    footers = [FOOTER.search(page) for page in pages]
    assert [int(f.group(1)) for f in footers] == list(range(1, len(pages) + 1))
    assert {int(f.group(2)) for f in footers} == {len(pages)}
    with_headings = [page for page in pages if "Realisasi Berdasarkan Bukti Dukung" in page]
    assert len(with_headings) > 2
    last = document.hasil_kerja_utama[-1]
    assert printed(pages, last.rhk.teks, last.umpan_balik.teks)
    assert "Pejabat Penilai Kinerja" in pages[-1]


def test_a_long_feedback_wraps_and_goes_on_over_the_page(document: EvaluationDocument) -> None:
    words = ("Perlu memperkuat verifikasi sinyal KLB bersama puskesmas dan lintas sektor " * 50)[
        :3500
    ]
    first = replace(document.hasil_kerja_utama[0], umpan_balik=UmpanBalikRow((), words))
    long = replace(document, hasil_kerja_utama=(first,) + document.hasil_kerja_utama[1:])
    pages = read(render_evaluation_pdf(long))
    assert printed(pages, words[:200], words[-200:])
    assert printed(pages, document.hasil_kerja_utama[1].rhk.teks)  # the table goes on


def test_the_annual_document_names_where_its_results_come_from() -> None:
    pages = read(render_evaluation_pdf(sample_evaluation(annual=True, status="DITETAPKAN")))
    assert "PERIODE: TAHUNAN: 1 Januari 2026 – 31 Desember 2026" in pages[0]
    assert printed(pages, "Realisasi dan umpan balik: TRIWULAN IV, periode terakhir tahun ini")
    # The year's quantity (12 of 12 Laporan), not a quarter's.
    assert printed(pages, "Capaian: 100 %") and not printed(pages, "Capaian: 25 %")


def test_window_names_as_the_form_writes_them() -> None:
    def named(kode: str) -> str:
        return periode_nama(Window(kode, "", date(2026, 3, 1), date(2026, 3, 31)))

    assert named("2026-T1") == "TRIWULAN I"
    assert named("2026-T4") == "TRIWULAN IV"
    assert named("2026-S2") == "SEMESTER II"
    assert named("2026-B3") == "BULAN MARET"
    assert named("2026-THN") == "TAHUNAN"


# --- Built from the database --------------------------------------------------------------

PERILAKU_FEEDBACK = "Laporan keuangan kegiatan selalu tepat waktu."


async def plan_and_execute(tenant, bidang: Bidang, index: int, rhk_count: int, periode: str):
    """Analis ``index``'s SKP gets snapshots, ``rhk_count`` RHK of 12 Dokumen each with 3
    realised in ``periode`` (and 2 in 2026-T1 when that is another window), and the penilai's
    feedback on every RHK and on AKUNTABEL."""
    person = bidang.analis[index]
    async with tenant_transaction(as_bound(tenant)):
        skp = await Skp.get(id=bidang.skp_of(person).id)
        skp.snapshot_pegawai = {"nama": person.nama, "nip": person.nip, "golongan": "III/a"}
        skp.snapshot_penilai = {"nama": bidang.kasi.nama, "nip": bidang.kasi.nip}
        skp.snapshot_atasan_penilai = {"nama": bidang.kabid.nama, "nip": bidang.kabid.nip}
        await skp.save()
        for number in range(1, rhk_count + 1):
            rhk = await Rhk.create(
                skp=skp, teks=f"Kajian kebijakan {number} tersusun", urutan=number
            )
            indikator = await Indikator.create(
                rhk=rhk, teks=f"Jumlah kajian {number}", aspek=AspekIki.KUANTITAS,
                target_min=Decimal(12), satuan="Dokumen",
            )  # fmt: skip
            realised = {periode: 3} | ({"2026-T1": 2} if periode != "2026-T1" else {})
            for window, amount in realised.items():
                await Realisasi.create(
                    indikator=indikator, skp=skp, periode=window, kuantitas=Decimal(amount),
                    narasi=f"Kajian {number} dibahas pada {window}",
                )  # fmt: skip
            await UmpanBalik.create(
                skp=skp, periode=periode, sasaran=SasaranUmpanBalik.HASIL_KERJA, rhk=rhk,
                kunci_sasaran=f"RHK:{rhk.id}", kalimat=["Perlu peningkatan kualitas hasil kerja."],
                teks=f"Lengkapi telaah kajian {number}.", penilai_pegawai_id=bidang.kasi.id,
            )  # fmt: skip
        await SkpPerilaku.create(
            skp=skp, nilai="AKUNTABEL", ekspektasi="Anggaran dipertanggungjawabkan"
        )
        await UmpanBalik.create(
            skp=skp, periode=periode, sasaran=SasaranUmpanBalik.PERILAKU,
            nilai_perilaku="AKUNTABEL", kunci_sasaran="PERILAKU:AKUNTABEL", kalimat=[],
            teks=PERILAKU_FEEDBACK, penilai_pegawai_id=bidang.kasi.id,
        )  # fmt: skip


async def built(tenant, evaluasi_id: int) -> tuple[EvaluationDocument, int]:
    """The document of an evaluation, and the number of queries building it took."""
    async with tenant_transaction(as_bound(tenant)):
        evaluasi = await EvaluasiPeriodik.get(id=evaluasi_id).select_related("skp")
        with count_queries() as queries:
            document = await build_evaluation_document(evaluasi, "Pemerintah Kabupaten Uji")
    return document, len(queries)


async def test_the_document_is_built_from_the_rated_evaluation_at_a_fixed_cost(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    await plan_and_execute(tenant, bidang, 0, rhk_count=1, periode="2026-T1")
    await plan_and_execute(tenant, bidang, 1, rhk_count=5, periode="2026-T1")
    ids = await submit_and_rate(portal, bidang, [(ATAS, SESUAI), (SESUAI, SESUAI)])

    small, few = await built(tenant, row_of(ids[0]))
    large, many = await built(tenant, row_of(ids[1]))
    assert few == many
    assert len(large.hasil_kerja_utama) == 5

    assert (small.periode_nama, small.periode_akhir) == ("TRIWULAN I", date(2026, 3, 31))
    assert (small.rating_hasil_kerja, small.rating_perilaku) == (
        "Di Atas Ekspektasi",
        "Sesuai Ekspektasi",
    )
    assert small.predikat == "Baik" and small.status == "DINILAI"
    assert small.predikat_organisasi is None  # the unit has none yet
    assert small.pejabat_penilai.nama == bidang.kasi.nama
    assert small.atasan_pejabat_penilai.nip == bidang.kabid.nip
    row = small.hasil_kerja_utama[0]
    assert row.rhk.teks == "Kajian kebijakan 1 tersusun" and row.rhk.indikator[0].target == (
        "12 Dokumen"
    )
    assert (row.realisasi[0].kuantitas, row.realisasi[0].capaian) == ("3 Dokumen", "25 %")
    assert row.umpan_balik == UmpanBalikRow(
        ("Perlu peningkatan kualitas hasil kerja.",), "Lengkapi telaah kajian 1."
    )
    akuntabel = next(p for p in small.perilaku if p.perilaku.nilai == "Akuntabel")
    assert akuntabel.perilaku.ekspektasi == "Anggaran dipertanggungjawabkan"
    assert akuntabel.umpan_balik.teks == PERILAKU_FEEDBACK
    assert small.tempat_tanggal == format_tanggal(today())  # not fixed yet: printed today


async def test_the_annual_document_shows_the_last_window_up_to_the_year_end(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    await plan_and_execute(tenant, bidang, 0, rhk_count=2, periode="2026-T4")
    await submit_and_rate(portal, bidang, [(ATAS, ATAS)], periode="2026-T4")
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T4", predikat="ISTIMEWA")
    done = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T4")
    assert done["data"]["tetapkanKinerjaUnit"]["jumlahDitetapkan"] == 1, done
    async with tenant_transaction(as_bound(tenant)):
        annual = await EvaluasiPeriodik.get(periode="2026-THN")

    document, _ = await built(tenant, annual.id)
    assert (document.periode_nama, document.status) == ("TAHUNAN", "DITETAPKAN")
    assert document.sumber_realisasi == "TRIWULAN IV"
    assert document.predikat_organisasi == "Istimewa"  # the last window's, none for the year
    realisasi = document.hasil_kerja_utama[0].realisasi[0]
    assert realisasi.kuantitas == "5 Dokumen"  # 2 in T1 + 3 in T4
    assert realisasi.narasi == "Kajian 1 dibahas pada 2026-T4"
    assert document.hasil_kerja_utama[1].umpan_balik.teks == "Lengkapi telaah kajian 2."
    assert document.predikat == "Sangat Baik"
    assert document.tempat_tanggal == format_tanggal(today())  # the day of penetapan


# --- Over HTTP ----------------------------------------------------------------------------


def url(evaluasi_id) -> str:
    return f"/evaluasi/{evaluasi_id}/dokumen.pdf"


async def test_the_pegawai_and_their_superiors_download_it_colleagues_do_not(portal, tenant, idp):
    bidang = await build_bidang(tenant, analis=2)
    await plan_and_execute(tenant, bidang, 0, rhk_count=1, periode="2026-T1")
    ids = await submit_and_rate(portal, bidang, [(ATAS, SESUAI), (SESUAI, SESUAI)])

    def as_(pegawai) -> dict:
        return principal_header(idp, tenant.kode, pegawai.nip)

    owner = await portal.api.get(url(ids[0]), headers=as_(bidang.analis[0]))
    assert owner.status_code == 200, owner.text
    assert owner.headers["content-type"] == "application/pdf"
    assert f"-{bidang.analis[0].nip}-2026-T1.pdf" in owner.headers["content-disposition"]
    pages = read(owner.content)
    assert "DRAFT – belum ditetapkan" in pages[0]
    assert printed(pages, bidang.analis[0].nama, "Kajian kebijakan 1 tersusun", PERILAKU_FEEDBACK)

    for superior in (bidang.kasi, bidang.kabid):
        answer = await portal.api.get(url(ids[0]), headers=as_(superior))
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    for outsider in (bidang.analis[1], bidang.rekan):
        refused = await portal.api.get(url(ids[0]), headers=as_(outsider))
        assert refused.status_code == 403 and code_of(refused) == "FORBIDDEN"
    assert (await portal.api.get(url(ids[0]))).status_code == 401
    missing_id = gid(tenant, "EvaluasiPeriodik", row_of(ids[-1]) + 1000)
    missing = await portal.api.get(url(missing_id), headers=as_(bidang.kasi))
    assert missing.status_code == 404 and code_of(missing) == "NOT_FOUND"


async def test_a_fixed_evaluation_prints_without_the_draft_mark(portal, tenant, idp):
    bidang = await build_bidang(tenant, analis=1)
    ids = await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)])
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")

    answer = await portal.api.get(
        url(ids[0]), headers=principal_header(idp, tenant.kode, bidang.analis[0].nip)
    )
    text = "\n".join(read(answer.content))
    assert "DRAFT" not in text and "Status: Ditetapkan" in text
    assert re.search(r"CAPAIAN KINERJA ORGANISASI\s+Baik", text)


async def test_another_instansi_never_gets_the_document(portal, tenant, other_tenant, idp):
    bidang = await build_bidang(tenant, analis=1)
    [a_id] = await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)])
    other = await build_bidang(other_tenant, analis=1, tag=" B")
    b_portal = Portal(portal.api, idp, other_tenant)
    [b_id] = await submit_and_rate(b_portal, other, [(SESUAI, SESUAI)])
    as_b_penilai = principal_header(idp, other_tenant.kode, other.kasi.nip)

    # Each instansi numbers its own evaluations; the path takes the global id, which says whose.
    assert row_of(a_id) == row_of(b_id)

    # In B, B's id names B's evaluation: B's document, nothing of A's.
    in_b = await portal.api.get(url(b_id), headers=as_b_penilai)
    assert in_b.status_code == 200
    text = "\n".join(read(in_b.content))
    assert other.analis[0].nip in text and bidang.analis[0].nip not in text
    # A's id asked in B is refused as another instansi's, never read as B's row of that number.
    theirs = await portal.api.get(url(a_id), headers=as_b_penilai)
    assert theirs.status_code == 404 and code_of(theirs) == "ID_OF_OTHER_INSTANSI"
    # B's penilai asking to act in A is refused before any lookup.
    refused = await portal.api.get(url(a_id), headers=as_b_penilai | {"X-Instansi": tenant.kode})
    assert refused.status_code == 403 and not refused.content.startswith(b"%PDF")
