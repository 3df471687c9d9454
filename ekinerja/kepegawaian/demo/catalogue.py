"""What a kabupaten administration is made of: the Sekretariat Daerah's asisten and bagian, the
perangkat daerah (dinas, badan, inspektorat) with their bidang and seksi, the UPT that serve the
public, and the jabatan fungsional and pelaksana that staff them.

Nomenclature follows common Perda/Perbup usage after PP 18/2016 and the 2021–2022
penyederhanaan birokrasi (PermenPANRB 45/2022 for pelaksana); the agency itself is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---- jabatan fungsional ---------------------------------------------------------------------

KEAHLIAN = "keahlian"
KETERAMPILAN = "keterampilan"


@dataclass(frozen=True)
class Fungsional:
    nama: str
    kategori: tuple[str, ...]  # KEAHLIAN, KETERAMPILAN or both
    gelar_s1: tuple[str, ...] = ("S.E.", "S.Sos.", "S.IP.", "S.AP.")
    gelar_d3: tuple[str, ...] = ("A.Md.",)
    gelar_depan: str | None = None  # dr., drg., drh.: the profession's title goes in front


BOTH = (KEAHLIAN, KETERAMPILAN)
ONLY_AHLI = (KEAHLIAN,)

ANALIS_KEBIJAKAN = Fungsional("Analis Kebijakan", ONLY_AHLI)
PERENCANA = Fungsional("Perencana", ONLY_AHLI, ("S.E.", "S.T.", "S.P.", "S.Si."))
PRANATA_KOMPUTER = Fungsional("Pranata Komputer", BOTH, ("S.Kom.", "S.T."), ("A.Md.Kom.",))
ARSIPARIS = Fungsional("Arsiparis", BOTH, ("S.Sos.", "S.Hum.", "S.AP."), ("A.Md.Ars.",))
ANALIS_SDM = Fungsional("Analis Sumber Daya Manusia Aparatur", ONLY_AHLI, ("S.Psi.", "S.AP."))
ANALIS_KEUANGAN = Fungsional("Analis Keuangan Pusat dan Daerah", ONLY_AHLI, ("S.E.", "S.Ak."))
PRANATA_HUMAS = Fungsional("Pranata Hubungan Masyarakat", BOTH, ("S.I.Kom.", "S.Sos."))
ANALIS_HUKUM = Fungsional("Analis Hukum", ONLY_AHLI, ("S.H.",))
PENGELOLA_PBJ = Fungsional("Pengelola Pengadaan Barang/Jasa", ONLY_AHLI, ("S.E.", "S.T."))
PERANCANG_PERATURAN = Fungsional("Perancang Peraturan Perundang-undangan", ONLY_AHLI, ("S.H.",))

GENERIC_FUNGSIONAL = (
    ANALIS_KEBIJAKAN,
    PERENCANA,
    PRANATA_KOMPUTER,
    ARSIPARIS,
    ANALIS_SDM,
    ANALIS_KEUANGAN,
    PRANATA_HUMAS,
    PENGELOLA_PBJ,
)

DOKTER = Fungsional("Dokter", ONLY_AHLI, ("",), gelar_depan="dr.")
DOKTER_GIGI = Fungsional("Dokter Gigi", ONLY_AHLI, ("",), gelar_depan="drg.")
PERAWAT = Fungsional("Perawat", BOTH, ("S.Kep., Ns.",), ("A.Md.Kep.",))
BIDAN = Fungsional("Bidan", BOTH, ("S.Tr.Keb.", "S.Keb., Bd."), ("A.Md.Keb.",))
APOTEKER = Fungsional("Apoteker", ONLY_AHLI, ("S.Farm., Apt.",))
TENAGA_KEFARMASIAN = Fungsional("Asisten Apoteker", (KETERAMPILAN,), (), ("A.Md.Farm.",))
NUTRISIONIS = Fungsional("Nutrisionis", BOTH, ("S.Gz.",), ("A.Md.Gz.",))
SANITARIAN = Fungsional("Sanitarian", BOTH, ("S.KM.",), ("A.Md.KL.",))
PRANATA_LAB = Fungsional("Pranata Laboratorium Kesehatan", BOTH, ("S.Tr.AnKes.",), ("A.Md.AK.",))
PEREKAM_MEDIS = Fungsional("Perekam Medis", BOTH, ("S.Tr.RMIK.",), ("A.Md.RMIK.",))
EPIDEMIOLOG = Fungsional("Epidemiolog Kesehatan", BOTH, ("S.KM.", "S.Epid."), ("A.Md.Kes.",))
PENYULUH_KESEHATAN = Fungsional("Penyuluh Kesehatan Masyarakat", ONLY_AHLI, ("S.KM.",))
ADMINISTRATOR_KESEHATAN = Fungsional("Administrator Kesehatan", ONLY_AHLI, ("S.KM.", "S.Kep."))

GURU = Fungsional("Guru", ONLY_AHLI, ("S.Pd.", "S.Pd.SD.", "S.Pd.I.", "S.Si.", "S.Or."))
PENGAWAS_SEKOLAH = Fungsional("Pengawas Sekolah", ONLY_AHLI, ("S.Pd.",))
PENILIK = Fungsional("Penilik", ONLY_AHLI, ("S.Pd.",))
PAMONG_BELAJAR = Fungsional("Pamong Belajar", ONLY_AHLI, ("S.Pd.",))

PENYULUH_PERTANIAN = Fungsional("Penyuluh Pertanian", BOTH, ("S.P.", "S.Pt."), ("A.Md.P.",))
POPT = Fungsional("Pengendali Organisme Pengganggu Tumbuhan", BOTH, ("S.P.",), ("A.Md.P.",))
MEDIK_VETERINER = Fungsional("Medik Veteriner", ONLY_AHLI, ("",), gelar_depan="drh.")
PARAMEDIK_VETERINER = Fungsional("Paramedik Veteriner", (KETERAMPILAN,), (), ("A.Md.Pt.",))
ANALIS_KETAHANAN_PANGAN = Fungsional("Analis Ketahanan Pangan", ONLY_AHLI, ("S.P.", "S.TP."))

TEKNIK_JALAN = Fungsional("Teknik Jalan dan Jembatan", BOTH, ("S.T.",), ("A.Md.T.",))
TEKNIK_PENGAIRAN = Fungsional("Teknik Pengairan", BOTH, ("S.T.",), ("A.Md.T.",))
TEKNIK_TATA_BANGUNAN = Fungsional(
    "Teknik Tata Bangunan dan Perumahan", BOTH, ("S.T.",), ("A.Md.T.",)
)
PENATA_RUANG = Fungsional("Penata Ruang", ONLY_AHLI, ("S.T.", "S.PWK."))
AUDITOR = Fungsional("Auditor", BOTH, ("S.E.", "S.Ak."), ("A.Md.Ak.",))
P2UPD = Fungsional(
    "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", ONLY_AHLI, ("S.H.", "S.STP.")
)
ASSESSOR_SDM = Fungsional("Assessor Sumber Daya Manusia Aparatur", ONLY_AHLI, ("S.Psi.",))
ADMINDUK = Fungsional("Administrator Database Kependudukan", ONLY_AHLI, ("S.Kom.", "S.T."))
PEKERJA_SOSIAL = Fungsional("Pekerja Sosial", BOTH, ("S.Sos.", "S.Tr.Sos."), ("A.Md.",))
PENYULUH_SOSIAL = Fungsional("Penyuluh Sosial", ONLY_AHLI, ("S.Sos.",))
STATISTISI = Fungsional("Statistisi", BOTH, ("S.Si.", "S.Stat."), ("A.Md.Stat.",))
SANDIMAN = Fungsional("Sandiman", BOTH, ("S.Kom.", "S.Tr.Sandi."), ("A.Md.",))
PENGUJI_KENDARAAN = Fungsional("Penguji Kendaraan Bermotor", BOTH, ("S.T.",), ("A.Md.T.",))
PENGENDALI_DAMPAK = Fungsional("Pengendali Dampak Lingkungan", ONLY_AHLI, ("S.T.", "S.Si."))
PENGAWAS_LH = Fungsional("Pengawas Lingkungan Hidup", ONLY_AHLI, ("S.T.", "S.Si."))
PENGAWAS_KOPERASI = Fungsional("Pengawas Koperasi", ONLY_AHLI, ("S.E.",))
PENERA = Fungsional("Penera", BOTH, ("S.T.", "S.Si."), ("A.Md.T.",))
PENATA_BENCANA = Fungsional("Penata Penanggulangan Bencana", ONLY_AHLI, ("S.T.", "S.Si."))
POLISI_PP = Fungsional("Polisi Pamong Praja", BOTH, ("S.H.", "S.Sos."), ("A.Md.",))
PUSTAKAWAN = Fungsional("Pustakawan", BOTH, ("S.IIP.", "S.Hum."), ("A.Md.Pus.",))
PSM = Fungsional("Penggerak Swadaya Masyarakat", ONLY_AHLI, ("S.Sos.",))
ADYATAMA = Fungsional("Adyatama Kepariwisataan dan Ekonomi Kreatif", ONLY_AHLI, ("S.Par.",))
PENYULUH_KB = Fungsional("Penyuluh Keluarga Berencana", ONLY_AHLI, ("S.Sos.", "S.KM."))
PENGANTAR_KERJA = Fungsional("Pengantar Kerja", ONLY_AHLI, ("S.E.", "S.Psi."))
MEDIATOR_HI = Fungsional("Mediator Hubungan Industrial", ONLY_AHLI, ("S.H.",))

# Who staffs a puskesmas, and how often (weights).
PUSKESMAS_STAFF = (
    (PERAWAT, 30),
    (BIDAN, 25),
    (DOKTER, 10),
    (DOKTER_GIGI, 3),
    (APOTEKER, 3),
    (TENAGA_KEFARMASIAN, 5),
    (NUTRISIONIS, 5),
    (SANITARIAN, 5),
    (PRANATA_LAB, 5),
    (PEREKAM_MEDIS, 4),
    (PENYULUH_KESEHATAN, 4),
)
PUSTU_STAFF = ((PERAWAT, 1), (BIDAN, 1))

# ---- jabatan pelaksana (PermenPANRB 45/2022), with the golongan ruang they are held at ------


@dataclass(frozen=True)
class Pelaksana:
    nama: str
    golongan: tuple[str, ...]


PELAKSANA = (
    Pelaksana("Pengadministrasi Perkantoran", ("II/a", "II/b", "II/c", "II/d")),
    Pelaksana("Operator Layanan Operasional", ("II/a", "II/b", "II/c", "II/d")),
    Pelaksana("Pengelola Umum Operasional", ("II/c", "II/d", "III/a")),
    Pelaksana("Pengelola Layanan Operasional", ("II/d", "III/a", "III/b")),
    Pelaksana("Penata Layanan Operasional", ("III/a", "III/b", "III/c", "III/d")),
    Pelaksana("Penelaah Teknis Kebijakan", ("III/a", "III/b", "III/c", "III/d")),
    Pelaksana("Teknisi Sarana dan Prasarana", ("II/a", "II/b", "II/c")),
)

# ---- the organisation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bidang:
    nama: str  # unit name, e.g. "Bidang Pelayanan Kesehatan"
    children: tuple[str, ...]  # seksi / subbidang / subbagian names
    upt: str | None = None  # the UPT kind that hangs below it (see UPT_KINDS)


@dataclass(frozen=True)
class Perangkat:
    """A perangkat daerah below the Sekretariat Daerah: a dinas, badan or the like."""

    nama: str
    kepala: str  # the head's jabatan name
    bidang: tuple[Bidang, ...]
    fungsional: tuple[Fungsional, ...]
    sekretariat: str | None  # its secretariat unit name; None where bagian do that work
    sekretaris: str | None = None


def _dinas(nama: str, bidang, fungsional, kepala: str | None = None) -> Perangkat:
    return Perangkat(
        nama,
        kepala or f"Kepala {nama}",
        tuple(bidang),
        tuple(fungsional),
        f"Sekretariat {nama}",
        f"Sekretaris {nama}",
    )


def _seksi(*names: str) -> tuple[str, ...]:
    return tuple(f"Seksi {n}" for n in names)


def _subbidang(*names: str) -> tuple[str, ...]:
    return tuple(f"Subbidang {n}" for n in names)


def _subbagian(*names: str) -> tuple[str, ...]:
    return tuple(f"Subbagian {n}" for n in names)


SEKRETARIAT_SUBBAGIAN = _subbagian("Umum dan Kepegawaian", "Keuangan", "Perencanaan dan Evaluasi")

# Asisten of the Sekretaris Daerah → bagian → subbagian.
ASISTEN: tuple[tuple[str, tuple[Bidang, ...]], ...] = (
    (
        "Asisten Pemerintahan dan Kesejahteraan Rakyat",
        (
            Bidang(
                "Bagian Tata Pemerintahan",
                _subbagian("Administrasi Pemerintahan", "Otonomi Daerah", "Kerja Sama"),
            ),
            Bidang(
                "Bagian Hukum",
                _subbagian("Perundang-undangan", "Bantuan Hukum", "Dokumentasi Hukum"),
            ),
            Bidang(
                "Bagian Kesejahteraan Rakyat",
                _subbagian("Bina Mental Spiritual", "Kesejahteraan Sosial", "Pendidikan"),
            ),
        ),
    ),
    (
        "Asisten Perekonomian dan Pembangunan",
        (
            Bidang(
                "Bagian Perekonomian",
                _subbagian("Sarana Perekonomian", "Produksi Daerah", "Badan Usaha Milik Daerah"),
            ),
            Bidang(
                "Bagian Administrasi Pembangunan",
                _subbagian("Penyusunan Program", "Pengendalian Program", "Pelaporan"),
            ),
            Bidang(
                "Bagian Pengadaan Barang dan Jasa",
                _subbagian("Pengelolaan Pengadaan", "Layanan Pengadaan Elektronik", "Advokasi"),
            ),
        ),
    ),
    (
        "Asisten Administrasi Umum",
        (
            Bidang(
                "Bagian Umum",
                _subbagian("Tata Usaha Pimpinan", "Rumah Tangga", "Perlengkapan"),
            ),
            Bidang(
                "Bagian Organisasi",
                _subbagian("Kelembagaan dan Analisis Jabatan", "Tata Laksana", "Kinerja"),
            ),
            Bidang(
                "Bagian Protokol dan Komunikasi Pimpinan",
                _subbagian("Protokol", "Komunikasi Pimpinan", "Dokumentasi Pimpinan"),
            ),
        ),
    ),
)

# In the order a growing agency gets them: the first ones appear even in a small demo.
PERANGKAT: tuple[Perangkat, ...] = (
    _dinas(
        "Dinas Kesehatan",
        [
            Bidang(
                "Bidang Pelayanan Kesehatan",
                _seksi("Pelayanan Kesehatan Primer", "Pelayanan Kesehatan Rujukan", "Mutu"),
                upt="puskesmas",
            ),
            Bidang(
                "Bidang Kesehatan Masyarakat",
                _seksi("Kesehatan Keluarga dan Gizi", "Promosi Kesehatan", "Kesehatan Lingkungan"),
            ),
            Bidang(
                "Bidang Pencegahan dan Pengendalian Penyakit",
                _seksi("Surveilans dan Imunisasi", "Penyakit Menular", "Penyakit Tidak Menular"),
            ),
            Bidang(
                "Bidang Sumber Daya Kesehatan",
                _seksi("Kefarmasian", "Alat Kesehatan", "Sumber Daya Manusia Kesehatan"),
            ),
        ],
        [EPIDEMIOLOG, ADMINISTRATOR_KESEHATAN, SANITARIAN, NUTRISIONIS, APOTEKER],
    ),
    _dinas(
        "Dinas Pendidikan dan Kebudayaan",
        [
            Bidang(
                "Bidang Pembinaan Sekolah Dasar",
                _seksi("Kurikulum SD", "Peserta Didik SD", "Sarana dan Prasarana SD"),
                upt="sd",
            ),
            Bidang(
                "Bidang Pembinaan Sekolah Menengah Pertama",
                _seksi("Kurikulum SMP", "Peserta Didik SMP", "Sarana dan Prasarana SMP"),
                upt="smp",
            ),
            Bidang(
                "Bidang Guru dan Tenaga Kependidikan",
                _seksi("Guru SD", "Guru SMP", "Tenaga Kependidikan"),
            ),
            Bidang(
                "Bidang Kebudayaan",
                _seksi("Cagar Budaya dan Permuseuman", "Kesenian dan Tradisi"),
            ),
        ],
        [PENGAWAS_SEKOLAH, PENILIK, PAMONG_BELAJAR, PRANATA_KOMPUTER],
    ),
    Perangkat(
        "Inspektorat Daerah",
        "Inspektur",
        tuple(Bidang(f"Inspektorat Pembantu Wilayah {w}", ()) for w in ("I", "II", "III", "IV")),
        (AUDITOR, P2UPD),
        "Sekretariat Inspektorat Daerah",
        "Sekretaris Inspektorat Daerah",
    ),
    _dinas(
        "Dinas Pertanian dan Ketahanan Pangan",
        [
            Bidang(
                "Bidang Penyuluhan",
                _seksi("Kelembagaan Penyuluhan", "Metode dan Informasi Penyuluhan"),
                upt="bpp",
            ),
            Bidang(
                "Bidang Tanaman Pangan dan Hortikultura",
                _seksi("Produksi Tanaman Pangan", "Hortikultura", "Perlindungan Tanaman"),
            ),
            Bidang(
                "Bidang Peternakan dan Kesehatan Hewan",
                _seksi("Produksi Peternakan", "Kesehatan Hewan"),
            ),
            Bidang(
                "Bidang Ketahanan Pangan",
                _seksi("Ketersediaan dan Distribusi Pangan", "Konsumsi dan Keamanan Pangan"),
            ),
        ],
        [PENYULUH_PERTANIAN, POPT, MEDIK_VETERINER, PARAMEDIK_VETERINER, ANALIS_KETAHANAN_PANGAN],
    ),
    Perangkat(
        "Badan Perencanaan Pembangunan Daerah",
        "Kepala Badan Perencanaan Pembangunan Daerah",
        (
            Bidang(
                "Bidang Perekonomian dan Sumber Daya Alam",
                _subbidang("Pertanian dan Pangan", "Industri dan Perdagangan"),
            ),
            Bidang(
                "Bidang Pemerintahan dan Pembangunan Manusia",
                _subbidang("Pemerintahan", "Pendidikan dan Kesehatan"),
            ),
            Bidang(
                "Bidang Infrastruktur dan Kewilayahan",
                _subbidang("Prasarana Wilayah", "Tata Ruang dan Lingkungan Hidup"),
            ),
            Bidang(
                "Bidang Perencanaan, Pengendalian dan Evaluasi",
                _subbidang("Perencanaan dan Pendanaan", "Pengendalian dan Evaluasi"),
            ),
        ),
        (PERENCANA, STATISTISI, ANALIS_KEBIJAKAN),
        "Sekretariat Badan Perencanaan Pembangunan Daerah",
        "Sekretaris Badan Perencanaan Pembangunan Daerah",
    ),
    Perangkat(
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        (
            Bidang(
                "Bidang Pengadaan, Pemberhentian dan Informasi",
                _subbidang("Pengadaan dan Pemberhentian", "Data dan Informasi Kepegawaian"),
            ),
            Bidang(
                "Bidang Mutasi dan Promosi",
                _subbidang("Mutasi", "Promosi dan Penilaian Kinerja"),
            ),
            Bidang(
                "Bidang Pengembangan Kompetensi",
                _subbidang("Kompetensi Teknis", "Kompetensi Manajerial"),
            ),
        ),
        (ANALIS_SDM, ASSESSOR_SDM, PRANATA_KOMPUTER),
        "Sekretariat Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Sekretaris Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    ),
    Perangkat(
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "Kepala Badan Pengelolaan Keuangan dan Aset Daerah",
        (
            Bidang("Bidang Anggaran", _subbidang("Anggaran I", "Anggaran II")),
            Bidang("Bidang Perbendaharaan", _subbidang("Belanja", "Kas Daerah")),
            Bidang("Bidang Akuntansi dan Pelaporan", _subbidang("Akuntansi", "Pelaporan")),
            Bidang("Bidang Aset", _subbidang("Penatausahaan Aset", "Pemanfaatan Aset")),
        ),
        (ANALIS_KEUANGAN, PENGELOLA_PBJ, ARSIPARIS),
        "Sekretariat Badan Pengelolaan Keuangan dan Aset Daerah",
        "Sekretaris Badan Pengelolaan Keuangan dan Aset Daerah",
    ),
    _dinas(
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        [
            Bidang("Bidang Bina Marga", _seksi("Pembangunan Jalan", "Pemeliharaan Jalan")),
            Bidang("Bidang Sumber Daya Air", _seksi("Irigasi", "Sungai dan Drainase")),
            Bidang("Bidang Cipta Karya", _seksi("Bangunan Gedung", "Air Minum dan Sanitasi")),
            Bidang("Bidang Penataan Ruang", _seksi("Perencanaan Tata Ruang", "Pemanfaatan Ruang")),
        ],
        [TEKNIK_JALAN, TEKNIK_PENGAIRAN, TEKNIK_TATA_BANGUNAN, PENATA_RUANG],
    ),
    _dinas(
        "Dinas Kependudukan dan Pencatatan Sipil",
        [
            Bidang(
                "Bidang Pelayanan Pendaftaran Penduduk",
                _seksi("Identitas Penduduk", "Pindah Datang Penduduk"),
            ),
            Bidang(
                "Bidang Pelayanan Pencatatan Sipil",
                _seksi("Kelahiran dan Kematian", "Perkawinan dan Perceraian"),
            ),
            Bidang(
                "Bidang Pengelolaan Informasi Administrasi Kependudukan",
                _seksi("Sistem Informasi", "Pengolahan dan Penyajian Data"),
            ),
        ],
        [ADMINDUK, PRANATA_KOMPUTER, ARSIPARIS],
    ),
    _dinas(
        "Dinas Sosial",
        [
            Bidang("Bidang Rehabilitasi Sosial", _seksi("Anak dan Lanjut Usia", "Disabilitas")),
            Bidang(
                "Bidang Perlindungan dan Jaminan Sosial",
                _seksi("Korban Bencana", "Jaminan Sosial Keluarga"),
            ),
            Bidang(
                "Bidang Pemberdayaan Sosial",
                _seksi("Pemberdayaan Sosial", "Penanganan Fakir Miskin"),
            ),
        ],
        [PEKERJA_SOSIAL, PENYULUH_SOSIAL],
    ),
    _dinas(
        "Dinas Komunikasi dan Informatika",
        [
            Bidang(
                "Bidang Informasi dan Komunikasi Publik",
                _seksi("Pengelolaan Informasi Publik", "Kemitraan Media"),
            ),
            Bidang(
                "Bidang Aplikasi Informatika",
                _seksi("Pengembangan Aplikasi", "Infrastruktur Teknologi Informasi"),
            ),
            Bidang(
                "Bidang Statistik dan Persandian",
                _seksi("Statistik Sektoral", "Persandian dan Keamanan Informasi"),
            ),
        ],
        [PRANATA_KOMPUTER, PRANATA_HUMAS, STATISTISI, SANDIMAN],
    ),
    _dinas(
        "Dinas Perhubungan",
        [
            Bidang("Bidang Lalu Lintas", _seksi("Manajemen Lalu Lintas", "Pengendalian")),
            Bidang("Bidang Angkutan", _seksi("Angkutan Orang", "Angkutan Barang")),
            Bidang("Bidang Sarana dan Prasarana", _seksi("Pengujian Sarana", "Prasarana")),
        ],
        [PENGUJI_KENDARAAN, PERENCANA],
    ),
    _dinas(
        "Dinas Lingkungan Hidup",
        [
            Bidang("Bidang Tata Lingkungan", _seksi("Kajian Dampak Lingkungan", "Pemeliharaan")),
            Bidang(
                "Bidang Pengelolaan Sampah dan Limbah B3",
                _seksi("Pengurangan Sampah", "Penanganan Sampah"),
            ),
            Bidang(
                "Bidang Pengendalian Pencemaran Lingkungan",
                _seksi("Pemantauan Lingkungan", "Penegakan Hukum Lingkungan"),
            ),
        ],
        [PENGENDALI_DAMPAK, PENGAWAS_LH],
    ),
    _dinas(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        [
            Bidang("Bidang Pelayanan Perizinan", _seksi("Perizinan Usaha", "Perizinan Non Usaha")),
            Bidang("Bidang Promosi Penanaman Modal", _seksi("Promosi", "Iklim Penanaman Modal")),
            Bidang("Bidang Pengendalian Penanaman Modal", _seksi("Pemantauan", "Data")),
        ],
        [ANALIS_KEBIJAKAN, PRANATA_KOMPUTER],
    ),
    _dinas(
        "Dinas Koperasi, Usaha Mikro, Perdagangan dan Perindustrian",
        [
            Bidang("Bidang Koperasi", _seksi("Kelembagaan Koperasi", "Pengawasan Koperasi")),
            Bidang("Bidang Usaha Mikro", _seksi("Pemberdayaan Usaha Mikro", "Pembiayaan")),
            Bidang("Bidang Perdagangan", _seksi("Perdagangan Dalam Negeri", "Metrologi Legal")),
            Bidang("Bidang Perindustrian", _seksi("Industri Agro", "Industri Aneka")),
        ],
        [PENGAWAS_KOPERASI, PENERA, ANALIS_KEBIJAKAN],
    ),
    Perangkat(
        "Badan Penanggulangan Bencana Daerah",
        "Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
        (
            Bidang("Bidang Pencegahan dan Kesiapsiagaan", _seksi("Pencegahan", "Kesiapsiagaan")),
            Bidang("Bidang Kedaruratan dan Logistik", _seksi("Kedaruratan", "Logistik")),
            Bidang("Bidang Rehabilitasi dan Rekonstruksi", _seksi("Rehabilitasi", "Rekonstruksi")),
        ),
        (PENATA_BENCANA,),
        "Sekretariat Badan Penanggulangan Bencana Daerah",
        "Sekretaris Badan Penanggulangan Bencana Daerah",
    ),
    Perangkat(
        "Satuan Polisi Pamong Praja",
        "Kepala Satuan Polisi Pamong Praja",
        (
            Bidang("Bidang Penegakan Peraturan Daerah", _seksi("Pembinaan", "Penyidikan")),
            Bidang("Bidang Ketertiban Umum", _seksi("Operasi dan Pengendalian", "Kerja Sama")),
            Bidang("Bidang Perlindungan Masyarakat", _seksi("Satuan Linmas", "Bina Potensi")),
        ),
        (POLISI_PP,),
        "Sekretariat Satuan Polisi Pamong Praja",
        "Sekretaris Satuan Polisi Pamong Praja",
    ),
    _dinas(
        "Dinas Perpustakaan dan Kearsipan",
        [
            Bidang("Bidang Perpustakaan", _seksi("Layanan Perpustakaan", "Pengembangan Koleksi")),
            Bidang("Bidang Kearsipan", _seksi("Pengelolaan Arsip", "Pembinaan Kearsipan")),
        ],
        [PUSTAKAWAN, ARSIPARIS],
    ),
    _dinas(
        "Dinas Pemberdayaan Masyarakat dan Desa",
        [
            Bidang("Bidang Pemerintahan Desa", _seksi("Administrasi Desa", "Keuangan Desa")),
            Bidang("Bidang Pemberdayaan Masyarakat", _seksi("Kelembagaan", "Ekonomi Desa")),
        ],
        [PSM],
    ),
    _dinas(
        "Dinas Perumahan dan Kawasan Permukiman",
        [
            Bidang("Bidang Perumahan", _seksi("Penyediaan Perumahan", "Rumah Tidak Layak Huni")),
            Bidang("Bidang Kawasan Permukiman", _seksi("Kualitas Permukiman", "Prasarana")),
        ],
        [TEKNIK_TATA_BANGUNAN],
    ),
    _dinas(
        "Dinas Pariwisata, Kepemudaan dan Olahraga",
        [
            Bidang("Bidang Destinasi Pariwisata", _seksi("Daya Tarik Wisata", "Industri")),
            Bidang("Bidang Pemasaran Pariwisata", _seksi("Promosi", "Ekonomi Kreatif")),
            Bidang("Bidang Kepemudaan dan Olahraga", _seksi("Kepemudaan", "Olahraga")),
        ],
        [ADYATAMA],
    ),
    _dinas(
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        [
            Bidang("Bidang Pengendalian Penduduk", _seksi("Data Kependudukan", "Advokasi")),
            Bidang("Bidang Keluarga Berencana", _seksi("Pelayanan KB", "Ketahanan Keluarga")),
            Bidang("Bidang Perlindungan Anak", _seksi("Pemenuhan Hak Anak", "Perlindungan")),
        ],
        [PENYULUH_KB],
    ),
    _dinas(
        "Dinas Tenaga Kerja dan Transmigrasi",
        [
            Bidang("Bidang Pelatihan dan Penempatan", _seksi("Pelatihan", "Penempatan")),
            Bidang("Bidang Hubungan Industrial", _seksi("Hubungan Industrial", "Pengupahan")),
        ],
        [PENGANTAR_KERJA, MEDIATOR_HI],
    ),
    Perangkat(
        "Sekretariat Dewan Perwakilan Rakyat Daerah",
        "Sekretaris Dewan Perwakilan Rakyat Daerah",
        (
            Bidang("Bagian Umum dan Keuangan", _subbagian("Umum", "Keuangan")),
            Bidang(
                "Bagian Persidangan dan Perundang-undangan",
                _subbagian("Persidangan", "Perundang-undangan"),
            ),
            Bidang(
                "Bagian Fasilitasi Penganggaran dan Pengawasan",
                _subbagian("Fasilitasi Penganggaran", "Fasilitasi Pengawasan"),
            ),
        ),
        (ANALIS_HUKUM, PERANCANG_PERATURAN, ANALIS_KEBIJAKAN),
        None,
    ),
    Perangkat(
        "Badan Pendapatan Daerah",
        "Kepala Badan Pendapatan Daerah",
        (
            Bidang("Bidang Pendataan dan Penetapan", _subbidang("Pendataan", "Penetapan")),
            Bidang("Bidang Penagihan dan Keberatan", _subbidang("Penagihan", "Keberatan")),
            Bidang("Bidang Pajak Bumi dan Bangunan", _subbidang("Pendataan PBB", "Pelayanan PBB")),
        ),
        (ANALIS_KEUANGAN, PRANATA_KOMPUTER),
        "Sekretariat Badan Pendapatan Daerah",
        "Sekretaris Badan Pendapatan Daerah",
    ),
    Perangkat(
        "Badan Kesatuan Bangsa dan Politik",
        "Kepala Badan Kesatuan Bangsa dan Politik",
        (
            Bidang("Bidang Ideologi dan Wawasan Kebangsaan", _subbidang("Ideologi", "Wawasan")),
            Bidang("Bidang Politik Dalam Negeri", _subbidang("Politik", "Organisasi Masyarakat")),
        ),
        (ANALIS_KEBIJAKAN,),
        "Sekretariat Badan Kesatuan Bangsa dan Politik",
        "Sekretaris Badan Kesatuan Bangsa dan Politik",
    ),
)

# Place names for UPT (a puskesmas or a BPP per kecamatan, schools numbered per kecamatan).
KECAMATAN: tuple[str, ...] = (
    "Cibeber", "Sukaraja", "Karangtengah", "Margahayu", "Sindangbarang", "Tanjungsari",
    "Kaliwungu", "Sumberrejo", "Wonosari", "Pagelaran", "Cipanas", "Kadipaten", "Jatisari",
    "Sukamulya", "Mekarjaya", "Bojongsari", "Rawamerta", "Banjarsari", "Purwodadi", "Ngawen",
    "Gondang", "Tegalrejo", "Kedungwaru", "Sidomulyo", "Sukoharjo", "Batujajar", "Cisarua",
    "Pasirjambu", "Leuwiliang", "Cikalong", "Pangalengan", "Karanganyar", "Sumberjaya",
    "Mulyorejo", "Bantarujeg", "Cimanggu", "Majalaya", "Ciparay", "Talagasari", "Jatiluhur",
)  # fmt: skip
DESA: tuple[str, ...] = (
    "Sukamaju", "Mekarsari", "Sindanglaya", "Cijambe", "Karangsari", "Tegalsari", "Sumbersari",
    "Margamulya", "Pasirhalang", "Girimukti", "Jayamukti", "Neglasari", "Sirnagalih",
    "Mulyasari", "Cibodas", "Wanasari", "Kertajaya", "Bojongmekar", "Rancasari", "Ciherang",
)  # fmt: skip
KABUPATEN: tuple[str, ...] = (
    "Sukamaju", "Tanjung Harapan", "Sumber Makmur", "Karang Asri", "Bukit Permai",
    "Mekar Jaya", "Sungai Jernih", "Lembah Hijau",
)  # fmt: skip
