"""Rows in the pegawai import layout for tests: a small agency, and valid identifiers."""

from __future__ import annotations

from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS

ROOT, DINAS, BIDANG = "U-ROOT", "U-DINAS", "U-BIDANG"


def nip(serial: int, born: str = "19860926", tmt: str = "201505", sex: str = "1") -> str:
    """A valid NIP PNS: birth date, TMT CPNS, sex digit, serial."""
    return f"{born}{tmt}{sex}{serial:03d}"


def ni_pppk(serial: int, born: str = "19900913", year: str = "2021", sex: str = "2") -> str:
    """A valid NI PPPK: birth date, appointment year, an uninterpreted 2 digits, sex, serial."""
    return f"{born}{year}01{sex}{serial:03d}"


def row(**cells: str) -> dict[str, str]:
    """A valid staff row in the Dinas unit; keyword arguments override cells by column name."""
    values = {column: "" for column in PEGAWAI_COLUMNS}
    values.update(
        NIP=nip(1),
        NAMA="Budi Santoso",
        GELAR_BELAKANG="S.Kom.",
        JENIS_PEGAWAI="PNS",
        GOLONGAN="III/a",
        STATUS="AKTIF",
        EMAIL="budi.santoso@example.go.id",
        UNOR_ID=DINAS,
        UNOR_NAMA="Dinas Komunikasi dan Informatika",
        UNOR_ATASAN_ID=ROOT,
        JABATAN_NAMA="Pranata Komputer Ahli Pertama",
        JENIS_JABATAN="FUNGSIONAL",
        JENJANG="AHLI_PERTAMA",
        KEPALA_UNIT="N",
        TMT_JABATAN="2020-01-01",
    )
    values.update(cells)
    return values


def small_agency() -> list[dict[str, str]]:
    """Sekretariat Daerah (head appraised by the Bupati) → Dinas (head, two staff) → Bidang
    (head, one PPPK)."""
    return [
        row(
            NIP=nip(1, born="19700101", tmt="199503"),
            NAMA="Ahmad Fauzi",
            GOLONGAN="IV/d",
            UNOR_ID=ROOT,
            UNOR_NAMA="Sekretariat Daerah",
            UNOR_ATASAN_ID="",
            JABATAN_NAMA="Sekretaris Daerah",
            JENIS_JABATAN="JPT_PRATAMA",
            JENJANG="",
            KEPALA_UNIT="Y",
            PENILAI_EKSTERNAL_NAMA="H. Ahmad Sutrisno",
            PENILAI_EKSTERNAL_JABATAN="Bupati Contoh",
        ),
        row(
            NIP=nip(2, born="19750505", tmt="200003"),
            NAMA="Sri Rahayu",
            GOLONGAN="IV/c",
            JABATAN_NAMA="Kepala Dinas Komunikasi dan Informatika",
            JENIS_JABATAN="JPT_PRATAMA",
            JENJANG="",
            KEPALA_UNIT="Y",
        ),
        row(NIP=nip(3), NAMA="Budi Santoso"),
        row(
            NIP=nip(4, sex="2"),
            NAMA="Dewi Lestari",
            GOLONGAN="II/c",
            JABATAN_NAMA="Pengadministrasi Perkantoran",
            JENIS_JABATAN="PELAKSANA",
            JENJANG="",
        ),
        row(
            NIP=nip(5, born="19800202", tmt="200512"),
            NAMA="Asep Saepudin",
            GOLONGAN="III/d",
            UNOR_ID=BIDANG,
            UNOR_NAMA="Bidang Aplikasi Informatika",
            UNOR_ATASAN_ID=DINAS,
            JABATAN_NAMA="Kepala Bidang Aplikasi Informatika",
            JENIS_JABATAN="ADMINISTRATOR",
            JENJANG="",
            KEPALA_UNIT="Y",
        ),
        row(
            NIP=ni_pppk(6),
            NAMA="Neneng Komariah",
            JENIS_PEGAWAI="PPPK",
            GOLONGAN="IX",
            UNOR_ID=BIDANG,
            UNOR_NAMA="Bidang Aplikasi Informatika",
            UNOR_ATASAN_ID=DINAS,
            TMT_JABATAN="01-03-2022",
        ),
    ]
