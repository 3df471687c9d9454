"""A realistic SKP document without a database: for tests, the CLI and a look at the print.

The default is a JF epidemiologist in a Dinas Kesehatan rated by the Kepala Seksi; ``jpt=True``
gives the Kepala Dinas (JPT Pratama) rated by the Bupati, a NON-ASN official without a NIP.
People are fictional. Enum-like fields carry codes, as ``ekinerja.skp.dokumen`` builds them.
"""

from __future__ import annotations

from datetime import date

from ekinerja.skp.berakhlak import NILAI
from ekinerja.skp.dokumen_model import (
    IndikatorRow,
    PerilakuRow,
    PersonBlock,
    RhkRow,
    SkpDocument,
)

INSTANSI = "Pemerintah Kabupaten Bogor"
DINAS = "Dinas Kesehatan"
SEKSI = "Seksi Surveilans dan Imunisasi, Bidang Pencegahan dan Pengendalian Penyakit, " + DINAS

PEGAWAI_JF = PersonBlock(
    nama="Siti Nurhaliza, S.K.M.",
    nip="199203152019032007",
    pangkat_golongan="Penata Muda Tingkat I (III/b)",
    jabatan="Epidemiolog Kesehatan Ahli Pertama",
    unit_kerja=SEKSI,
)
KEPALA_SEKSI = PersonBlock(
    nama="Ahmad Fauzi, S.K.M., M.Kes.",
    nip="198105122006041003",
    pangkat_golongan="Penata Tingkat I (III/d)",
    jabatan="Kepala Seksi Surveilans dan Imunisasi",
    unit_kerja=SEKSI,
)
KEPALA_BIDANG = PersonBlock(
    nama="drg. Maya Kartika, M.K.M.",
    nip="197608232002122004",
    pangkat_golongan="Pembina (IV/a)",
    jabatan="Kepala Bidang Pencegahan dan Pengendalian Penyakit",
    unit_kerja=f"Bidang Pencegahan dan Pengendalian Penyakit, {DINAS}",
)
KEPALA_DINAS = PersonBlock(
    nama="dr. Hendra Gunawan, M.Kes.",
    nip="197002141998031005",
    pangkat_golongan="Pembina Utama Muda (IV/c)",
    jabatan="Kepala Dinas Kesehatan",
    unit_kerja=DINAS,
)
BUPATI = PersonBlock(
    nama="H. Rahmat Hidayat, S.E., M.Si.",
    nip=None,  # NON-ASN: an elected official has no NIP
    pangkat_golongan=None,
    jabatan="Bupati Bogor",
    unit_kerja=INSTANSI,
)

# (intervened RHK of the superior, RHK, indicators as (aspek, text, target))
_JF_RHK = (
    (
        "Meningkatnya deteksi dini dan respons kejadian luar biasa (KLB) penyakit menular",
        "Terlaksananya penyelidikan epidemiologi setiap sinyal kejadian luar biasa penyakit "
        "menular di wilayah kabupaten",
        (
            ("KUANTITAS", "Jumlah laporan penyelidikan epidemiologi KLB", "12 Laporan"),
            (
                "KUALITAS",
                "Persentase sinyal KLB yang diverifikasi dalam waktu ≤ 24 jam",
                "90–100 %",
            ),
            ("WAKTU", "Ketepatan waktu penyampaian laporan", "12 Bulan"),
        ),
    ),
    (
        "Tersedianya informasi surveilans penyakit yang akurat dan tepat waktu",
        "Tersusunnya analisis mingguan Sistem Kewaspadaan Dini dan Respons (SKDR)",
        (
            ("KUANTITAS", "Jumlah dokumen analisis SKDR", "52 Dokumen"),
            ("KUALITAS", "Kelengkapan laporan puskesmas yang dianalisis", "≥ 90 %"),
        ),
    ),
    (
        "Meningkatnya cakupan imunisasi dasar lengkap",
        "Terlaksananya pemantauan cakupan imunisasi dasar lengkap di 40 puskesmas",
        (
            ("KUANTITAS", "Jumlah puskesmas yang dipantau", "40 Puskesmas"),
            ("KUALITAS", "Persentase desa Universal Child Immunization (UCI)", "95–100 %"),
            ("WAKTU", "Frekuensi umpan balik kepada puskesmas", "4 Triwulan"),
        ),
    ),
    (
        "Meningkatnya deteksi dini dan respons kejadian luar biasa (KLB) penyakit menular",
        "Tersedianya rekomendasi tindak lanjut hasil surveilans bagi puskesmas dan lintas sektor",
        (
            ("KUANTITAS", "Jumlah rekomendasi tindak lanjut yang disampaikan", "8 Rekomendasi"),
            (
                "KUALITAS",
                "Persentase rekomendasi yang ditindaklanjuti oleh puskesmas",
                "80 %",
            ),
        ),
    ),
    (
        "Tersedianya informasi surveilans penyakit yang akurat dan tepat waktu",
        "Tervalidasinya data kasus penyakit yang dapat dicegah dengan imunisasi (PD3I)",
        (
            ("KUANTITAS", "Jumlah laporan validasi data PD3I", "12 Laporan"),
            ("WAKTU", "Ketepatan waktu validasi setiap bulan", "Tanggal 10 bulan berikutnya"),
        ),
    ),
)

# Names used to make RHK beyond the five above distinct, as a real long SKP would be.
_PUSKESMAS = (
    "Cibinong", "Citeureup", "Gunung Putri", "Bojonggede", "Cileungsi", "Jonggol", "Parung",
    "Leuwiliang", "Ciawi", "Cisarua", "Dramaga", "Ciampea",
)  # fmt: skip

_JPT_RHK = (
    (
        "Meningkatnya derajat kesehatan masyarakat (RPJMD Kabupaten Bogor 2025–2029)",
        "Meningkatnya kualitas pelayanan kesehatan dasar di seluruh puskesmas",
        "ORGANISASI",
        None,
        (
            ("KUANTITAS", "Persentase puskesmas terakreditasi paripurna", "60 %", "PROSES_BISNIS"),
            (
                "KUALITAS",
                "Indeks kepuasan masyarakat terhadap pelayanan puskesmas",
                "≥ 85 Indeks",
                "PENERIMA_LAYANAN",
            ),
        ),
    ),
    (
        "Meningkatnya derajat kesehatan masyarakat (RPJMD Kabupaten Bogor 2025–2029)",
        "Menurunnya prevalensi stunting pada balita",
        "ORGANISASI",
        None,
        (
            ("KUANTITAS", "Prevalensi stunting pada balita", "14 %", "PENERIMA_LAYANAN"),
            (
                "BIAYA",
                "Realisasi anggaran program percepatan penurunan stunting",
                "95–100 %",
                "ANGGARAN",
            ),
        ),
    ),
    (
        "Terwujudnya tata kelola pemerintahan yang akuntabel",
        "Terwujudnya akuntabilitas kinerja Dinas Kesehatan",
        "ORGANISASI",
        None,
        (("KUALITAS", "Nilai SAKIP perangkat daerah", "BB Predikat", "PENGUATAN_INTERNAL"),),
    ),
    (
        "Arahan Bupati pada rapat pimpinan",
        "Terlaksananya gerakan Bogor Sehat Tanpa Rokok di sekolah",
        "INDIVIDU",
        "Bupati Bogor",
        (
            (
                "KUANTITAS",
                "Jumlah sekolah yang menerapkan kawasan tanpa rokok",
                "150 Sekolah",
                "PENERIMA_LAYANAN",
            ),
        ),
    ),
)

_EKSPEKTASI = {
    "BERORIENTASI_PELAYANAN": "Menanggapi laporan puskesmas paling lambat 1×24 jam",
    "AKUNTABEL": "Menyampaikan laporan penggunaan anggaran kegiatan tepat waktu dan lengkap",
    "KOMPETEN": "Mengikuti pelatihan analisis data surveilans dan membagikan hasilnya",
    "HARMONIS": "Menjaga komunikasi yang baik dengan petugas puskesmas dan lintas sektor",
    "LOYAL": "Menjaga kerahasiaan data pasien dan data kasus penyakit",
    "ADAPTIF": "Memanfaatkan aplikasi digital untuk mempercepat pelaporan surveilans",
    "KOLABORATIF": "Aktif berkoordinasi dengan tim gerak cepat (TGC) kecamatan",
}

_LAMPIRAN_DUKUNGAN = (
    "Anggaran kegiatan surveilans dan respons KLB pada DPA Dinas Kesehatan Tahun 2026",
    "Kendaraan operasional untuk penyelidikan epidemiologi lapangan",
    "Akses aplikasi SKDR dan ruang kerja surveilans 12 m² dengan jaringan internet",
)
_LAMPIRAN_SKEMA = (
    "Laporan kemajuan bulanan kepada pejabat penilai kinerja",
    "Dialog kinerja dan evaluasi triwulanan bersama pejabat penilai kinerja",
)
_LAMPIRAN_KONSEKUENSI = (
    "Capaian di atas ekspektasi menjadi pertimbangan pemberian penghargaan sesuai ketentuan",
    "Capaian di bawah ekspektasi ditindaklanjuti dengan pembinaan dan pengembangan kompetensi",
)


def sample_document(rhk_count: int = 4, jpt: bool = False) -> SkpDocument:
    """An approved SKP 2026 with ``rhk_count`` RHK utama and one RHK tambahan."""
    if jpt:
        pegawai, penilai, atasan = KEPALA_DINAS, BUPATI, None
        utama = tuple(_jpt_rhk(number) for number in range(1, rhk_count + 1))
    else:
        pegawai, penilai, atasan = PEGAWAI_JF, KEPALA_SEKSI, KEPALA_BIDANG
        utama = tuple(_jf_rhk(number) for number in range(1, rhk_count + 1))
    return SkpDocument(
        instansi=INSTANSI,
        tahun=2026,
        periode_awal=date(2026, 1, 1),
        periode_akhir=date(2026, 12, 31),
        pendekatan="KUANTITATIF",
        jenis_form="JPT" if jpt else "JA_JF",
        status="DISETUJUI",
        versi=1,
        pegawai=pegawai,
        pejabat_penilai=penilai,
        atasan_pejabat_penilai=atasan,
        rhk_utama=utama,
        rhk_tambahan=(_rhk_tambahan(jpt),),
        perilaku=tuple(
            PerilakuRow(nilai=n.nama, panduan=n.panduan, ekspektasi=_EKSPEKTASI[n.kode])
            for n in NILAI
        ),
        lampiran_dukungan_sumber_daya=_LAMPIRAN_DUKUNGAN,
        lampiran_skema_pertanggungjawaban=_LAMPIRAN_SKEMA,
        lampiran_konsekuensi=_LAMPIRAN_KONSEKUENSI,
        tempat_tanggal="Cibinong, 30 Januari 2026",
    )


def _distinct(text: str, number: int, pool_size: int) -> str:
    """The pool's text, with a puskesmas' area once the pool has been used up."""
    if number <= pool_size:
        return text
    puskesmas = _PUSKESMAS[(number - pool_size - 1) % len(_PUSKESMAS)]
    return f"{text} (wilayah kerja Puskesmas {puskesmas}, kegiatan {number})"


def _jf_rhk(number: int) -> RhkRow:
    intervensi, teks, indikator = _JF_RHK[(number - 1) % len(_JF_RHK)]
    return RhkRow(
        nomor=str(number),
        teks=_distinct(teks, number, len(_JF_RHK)),
        jenis="UTAMA",
        intervensi=intervensi,
        indikator=tuple(
            IndikatorRow(aspek=aspek, teks=text, target=target) for aspek, text, target in indikator
        ),
    )


def _jpt_rhk(number: int) -> RhkRow:
    intervensi, teks, klasifikasi, penugasan_dari, indikator = _JPT_RHK[
        (number - 1) % len(_JPT_RHK)
    ]
    return RhkRow(
        nomor=str(number),
        teks=_distinct(teks, number, len(_JPT_RHK)),
        jenis="UTAMA",
        intervensi=intervensi,
        klasifikasi=klasifikasi,
        penugasan_dari=penugasan_dari,
        indikator=tuple(
            IndikatorRow(aspek=aspek, teks=text, target=target, perspektif=perspektif)
            for aspek, text, target, perspektif in indikator
        ),
    )


def _rhk_tambahan(jpt: bool) -> RhkRow:
    if jpt:
        return RhkRow(
            nomor="1",
            teks="Terlaksananya tugas sebagai ketua tim percepatan penurunan stunting kabupaten",
            jenis="TAMBAHAN",
            intervensi=None,
            klasifikasi="INDIVIDU",
            penugasan_dari="Bupati Bogor",
            indikator=(
                IndikatorRow(
                    aspek="KUANTITAS",
                    teks="Jumlah rapat koordinasi tim yang dipimpin",
                    target="4 Kegiatan",
                    perspektif="PROSES_BISNIS",
                ),
            ),
        )
    return RhkRow(
        nomor="1",
        teks="Terlaksananya tugas sebagai narasumber orientasi surveilans berbasis kejadian "
        "bagi kader kesehatan",
        jenis="TAMBAHAN",
        intervensi=None,
        indikator=(
            IndikatorRow(
                aspek="KUANTITAS",
                teks="Jumlah kegiatan orientasi sebagai narasumber",
                target="2 Kegiatan",
            ),
        ),
    )
