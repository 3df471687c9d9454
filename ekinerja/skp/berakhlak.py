"""BerAKHLAK, the civil service's core values (SE MenPANRB 20/2021): seven values with three
behaviour guides each, fixed reference data shown on every SKP (docs/domain.md 3.7)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NilaiBerakhlak:
    kode: str
    nama: str
    makna: str
    panduan: tuple[str, str, str]


NILAI: tuple[NilaiBerakhlak, ...] = (
    NilaiBerakhlak(
        "BERORIENTASI_PELAYANAN",
        "Berorientasi Pelayanan",
        "Komitmen memberikan pelayanan prima demi kepuasan masyarakat",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    NilaiBerakhlak(
        "AKUNTABEL",
        "Akuntabel",
        "Bertanggung jawab atas kepercayaan yang diberikan",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
            "berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, "
            "dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    NilaiBerakhlak(
        "KOMPETEN",
        "Kompeten",
        "Terus belajar dan mengembangkan kapabilitas",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    NilaiBerakhlak(
        "HARMONIS",
        "Harmonis",
        "Saling peduli dan menghargai perbedaan",
        (
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    NilaiBerakhlak(
        "LOYAL",
        "Loyal",
        "Berdedikasi dan mengutamakan kepentingan bangsa dan negara",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia "
            "Tahun 1945, setia kepada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    NilaiBerakhlak(
        "ADAPTIF",
        "Adaptif",
        "Terus berinovasi dan antusias dalam menggerakkan ataupun menghadapi perubahan",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    NilaiBerakhlak(
        "KOLABORATIF",
        "Kolaboratif",
        "Membangun kerja sama yang sinergis",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)

NILAI_BY_KODE = {nilai.kode: nilai for nilai in NILAI}
