"""Final assessment results as SIASN keeps them (docs/domain.md 5.5): `rw-skp22` (one row per
pegawai per year whose annual result is final) and `rw-kinerjaperiodik` (one per pegawai per
final periodic window), in keyset pages by NIP.

Each page is one statement plus a few reads of settings, whatever its size: finality is the
batch rule of `penilaian.finalitas` (the same as the angka kredit ledger's), the penilai comes
from the SKP's snapshot (who appraised then, not today's organisation), the unit and jabatan
from where the pegawai stood on the window's last day for the SKP (its own end when earlier:
an SKP ending 15 March reports the March unit, not the one after a transfer). Where a pegawai
has two final results for one period (two SKPs of a year, after a mutasi), the one fixed last
is exported.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

import orjson

from ekinerja import pengaturan
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.penilaian.enums import PredikatPegawai, Rating
from ekinerja.penilaian.finalitas import annual_final_sql, final_sql
from ekinerja.penilaian.periode import LAST_PERIOD, annual_kode
from ekinerja.refusals import invalid
from ekinerja.siasn.kode import RATING_LABEL, KodeReferensi, predikat_label
from ekinerja.skp.periode import clip, kadensi_of, windows
from ekinerja.tahun import check_tahun as tahun_checked
from ekinerja.tenants.context import current_tenant

MAX_PAGE = 100  # GraphQL; the CSV reads larger pages itself
TAHUN_PERTAMA = 2022  # rw-skp22 and rw-kinerjaperiodik hold PermenPANRB 6/2022 results

STATUS_PENILAI = {"ASN": "ASN", "NON_ASN": "NON ASN"}  # our snapshot's word → SIASN's


@dataclass(frozen=True)
class RwSkp22:
    """One `rw-skp22` row. Field order is SIASN's column order; names are SIASN's in
    snake_case (see `columns`)."""

    tahun: int
    hasil_kinerja: str
    hasil_kinerja_nilai: str | None
    perilaku_kerja: str
    perilaku_kerja_nilai: str | None
    kuadran_kinerja: str
    kuadran_kinerja_nilai: str | None
    nama_penilai: str | None
    nip_nrp_penilai: str | None
    penilai_golongan_id: str | None
    penilai_jabatan_nm: str | None
    penilai_unor_nm: str | None
    pns_dinilai_id: str
    status_penilai: str | None
    path: str | None


@dataclass(frozen=True)
class RwKinerjaPeriodik(RwSkp22):
    """One `rw-kinerjaperiodik` row: the `rw-skp22` columns, then the window's."""

    bulan_mulai_penilaian: int
    bulan_selesai_penilaian: int
    tahun_mulai_penilaian: int
    tahun_selesai_penilaian: int
    periodik_id: str
    periodik_nama: str
    koefisien_id: str | None
    koefisien: Decimal | None
    persentase: Decimal | None
    angka_kredit: Decimal | None
    kriteria: str
    kuadran_nilai: str | None
    instansi_id: str
    unor_id: str | None
    unor_nama: str | None
    jabatan: str | None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def columns(kind: type[RwSkp22]) -> list[str]:
    """The SIASN field names of a shape, in order (as GraphQL names the fields, too)."""
    return [_camel(f.name) for f in fields(kind)]


def values(row: RwSkp22) -> list[Any]:
    return [getattr(row, f.name) for f in fields(row)]


@dataclass(frozen=True)
class Halaman:
    baris: list[Any]
    end_cursor: str | None
    has_next_page: bool
    keys: list[tuple[str, int]]  # each row's position (NIP, window number), as in ``after``


@dataclass(frozen=True)
class Permintaan:
    """A checked page request: the year, the page size and the position after the cursor,
    with the instansi's settings read once for the request (its reference codes, keberatan
    days, annual policy; a CSV's later pages keep them, as they keep ``on``)."""

    tahun: int
    first: int
    after: tuple[str, int] | None  # (NIP, window number; 0 for the year)
    on: date  # finality is judged on this date, where the instansi is
    settings: pengaturan.PengaturanInstansi


def _encode(nip: str, urutan: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([nip, urutan])).decode()


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        nip, urutan = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(nip, str) and isinstance(urutan, int) and not isinstance(urutan, bool):
            return nip, urutan
    except (ValueError, TypeError):
        pass
    raise invalid("after", "after: not a cursor of this export")


def check_tahun(tahun: Any) -> int:
    return tahun_checked(
        tahun, lowest=TAHUN_PERTAMA, why=" (the first SKP under PermenPANRB 6/2022)"
    )


async def permintaan(
    tahun: int, first: int, after: str | None, on: date | None = None, limit: int = MAX_PAGE
) -> Permintaan:
    """Checks what a caller asked for; refusals name the argument at fault. Finality is judged
    on ``on``, by default today where the bound instansi is."""
    if isinstance(first, bool) or not isinstance(first, int) or not 1 <= first <= limit:
        raise invalid("first", f"first: must be between 1 and {limit} (got {first!r})")
    position = decode_cursor(after) if after else None
    settings = await pengaturan.baca()
    on = on or tanggal_di(settings.zona_waktu)
    return Permintaan(check_tahun(tahun), first, position, on, settings)


def next_page(request: Permintaan, page: Halaman) -> Permintaan | None:
    """The request of the page after ``page``, or None after the last one."""
    if not page.has_next_page or page.end_cursor is None:
        return None
    return replace(request, after=decode_cursor(page.end_cursor))


def _page(rows: list[dict], request: Permintaan, build) -> Halaman:
    """``rows`` are ordered by (nip, urutan), after the cursor, at most ``first + 1`` of them:
    the extra one only tells whether a next page exists."""
    shown = rows[: request.first]
    last = shown[-1] if shown else None
    return Halaman(
        baris=[build(row) for row in shown],
        end_cursor=_encode(last["nip"], last["urutan"]) if last else None,
        has_next_page=len(rows) > request.first,
        keys=[(row["nip"], row["urutan"]) for row in shown],
    )


def _after(request: Permintaan, urutan: str, first_param: int) -> tuple[str, list]:
    """SQL condition and parameters for "after the cursor", numbered from ``first_param``."""
    if request.after is None:
        return "TRUE", []
    return f"(g.nip, {urutan}) > (${first_param}, ${first_param + 1}::int)", list(request.after)


# The pejabat penilai as snapshotted on the SKP (ekinerja/skp/snapshots.py).
_PENILAI = """s.snapshot_penilai ->> 'nama' AS penilai_nama,
       s.snapshot_penilai ->> 'nip' AS penilai_nip,
       s.snapshot_penilai ->> 'golongan' AS penilai_golongan,
       s.snapshot_penilai ->> 'jabatan' AS penilai_jabatan,
       s.snapshot_penilai ->> 'unit' AS penilai_unit,
       s.snapshot_penilai ->> 'status' AS penilai_status"""


def _penilai(row: dict) -> dict[str, str | None]:
    return {
        "nama_penilai": row["penilai_nama"],
        "nip_nrp_penilai": row["penilai_nip"],
        # Our golongan ("III/a"): SIASN's golongan ids are to be read from its reference list.
        "penilai_golongan_id": row["penilai_golongan"],
        "penilai_jabatan_nm": row["penilai_jabatan"],
        "penilai_unor_nm": row["penilai_unit"],
        "status_penilai": STATUS_PENILAI.get(row["penilai_status"]),
    }


def _result(row: dict, tahun: int, kode: KodeReferensi) -> dict[str, Any]:
    hasil = Rating(row["rating_hasil_kerja"])
    perilaku = Rating(row["rating_perilaku"])
    predikat = PredikatPegawai(row["predikat"])
    return {
        "tahun": tahun,
        "hasil_kinerja": RATING_LABEL[hasil],
        "hasil_kinerja_nilai": kode.rating.get(hasil),
        "perilaku_kerja": RATING_LABEL[perilaku],
        "perilaku_kerja_nilai": kode.rating.get(perilaku),
        "kuadran_kinerja": predikat_label(predikat),
        "kuadran_kinerja_nilai": kode.predikat.get(predikat),
        **_penilai(row),
        "pns_dinilai_id": row["nip"],  # SIASN's PNS id is not ours to know: the NIP
        "path": None,  # no signed document is uploaded anywhere yet
    }


_SKP22 = """
SELECT DISTINCT ON (g.nip) g.nip, 0 AS urutan, e.rating_hasil_kerja, e.rating_perilaku,
       e.predikat, {penilai}
FROM evaluasi_periodik e
JOIN skp s ON s.id = e.skp_id
JOIN pegawai g ON g.id = s.pegawai_id
LEFT JOIN keberatan k ON k.evaluasi_id = e.id
-- Under LAST_PERIOD the annual result follows its SKP's own last window: the last of the
-- year's windows ($2 codes, $6 starts) the SKP reaches (T1 for one ending in March).
LEFT JOIN evaluasi_periodik lw ON $3::bool AND lw.skp_id = e.skp_id AND lw.periode = (
  SELECT w.kode FROM unnest($2::text[], $6::date[]) AS w(kode, awal)
  WHERE w.awal <= s.periode_akhir ORDER BY w.awal DESC LIMIT 1)
LEFT JOIN keberatan lk ON lk.evaluasi_id = lw.id
WHERE e.periode = $1 AND {final} AND {after}
ORDER BY g.nip, e.ditetapkan_pada DESC, e.id DESC
LIMIT ${limit}"""


async def rw_skp22(request: Permintaan) -> Halaman:
    """The year's final annual results (`YYYY-THN`), by NIP."""
    kode = request.settings.siasn_kode_referensi
    after, cursor = _after(request, "0", 7)
    year = windows(request.tahun, await kadensi_of(request.tahun))
    final = annual_final_sql("e", "k", "lw", "lk", "s", "$4", "$5", "$3::bool")
    rows = await fetch(
        _SKP22.format(penilai=_PENILAI, final=final, after=after, limit=7 + len(cursor)),
        annual_kode(request.tahun),
        [w.kode for w in year],
        request.settings.kebijakan_tahunan == LAST_PERIOD,
        request.settings.batas_hari_keberatan,
        request.on,
        [w.awal for w in year],
        *cursor,
        request.first + 1,
    )
    return _page(rows, request, lambda row: RwSkp22(**_result(row, request.tahun, kode)))


_PERIODIK = """
SELECT DISTINCT ON (g.nip, w.urutan) g.nip, w.urutan::int AS urutan, e.periode,
       e.rating_hasil_kerja, e.rating_perilaku, e.predikat, {penilai},
       s.periode_awal, s.periode_akhir,
       a.jenjang AS koefisien_id, a.koefisien, a.persentase, a.nilai AS angka_kredit,
       u.siasn_id AS unor_id, uv.nama AS unor_nama,
       coalesce(pos.jabatan, s.snapshot_pegawai ->> 'jabatan') AS jabatan
FROM evaluasi_periodik e
JOIN unnest($1::text[], $2::date[]) WITH ORDINALITY AS w(kode, akhir, urutan)
  ON w.kode = e.periode
JOIN skp s ON s.id = e.skp_id
JOIN pegawai g ON g.id = s.pegawai_id
LEFT JOIN keberatan k ON k.evaluasi_id = e.id
-- The ledger line of this very result; a line computed before a keberatan changed the
-- predikat is stale until the ledger is brought up to date, so it is not shown.
LEFT JOIN angka_kredit a ON a.evaluasi_id = e.id AND a.predikat = e.predikat
LEFT JOIN unit_kerja u ON u.id = e.unit_id
-- The unit and jabatan on the window's last day for this SKP: the SKP's own end when earlier
-- (an SKP ending 15 March reports where the pegawai stood then, not after a transfer).
CROSS JOIN LATERAL (SELECT least(w.akhir, s.periode_akhir) AS hari) pada
LEFT JOIN unit_kerja_versi uv ON uv.unit_id = e.unit_id AND uv.berlaku_mulai <= pada.hari
  AND (uv.berlaku_sampai IS NULL OR uv.berlaku_sampai > pada.hari)
LEFT JOIN LATERAL (
  SELECT j.nama AS jabatan FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
  WHERE p.pegawai_id = g.id AND p.berlaku_mulai <= pada.hari
    AND (p.berlaku_sampai IS NULL OR p.berlaku_sampai > pada.hari)
  ORDER BY (j.unit_id IS NOT DISTINCT FROM e.unit_id) DESC, (p.jenis = 'DEFINITIF') DESC,
           p.berlaku_mulai DESC
  LIMIT 1
) pos ON TRUE
WHERE {final} AND {after}
ORDER BY g.nip, w.urutan, e.ditetapkan_pada DESC, e.id DESC
LIMIT ${limit}"""


async def rw_kinerja_periodik(request: Permintaan) -> Halaman:
    """The year's final periodic results, by NIP then window."""
    kode = request.settings.siasn_kode_referensi
    instansi = current_tenant().kode
    year = windows(request.tahun, await kadensi_of(request.tahun))
    by_kode = {w.kode: w for w in year}
    after, cursor = _after(request, "w.urutan", 5)
    rows = await fetch(
        _PERIODIK.format(
            penilai=_PENILAI,
            final=final_sql("e", "k", "s", "$3", "$4"),
            after=after,
            limit=5 + len(cursor),
        ),
        [w.kode for w in year],
        [w.akhir for w in year],
        request.settings.batas_hari_keberatan,
        request.on,
        *cursor,
        request.first + 1,
    )

    def build(row: dict) -> RwKinerjaPeriodik:
        whole = by_kode[row["periode"]]
        # The months the SKP was in force (a new hire, a transfer, a retirement), as the
        # evaluation and the angka kredit count them; the window keeps its code and name.
        window = clip(whole, row["periode_awal"], row["periode_akhir"]) or whole
        predikat = PredikatPegawai(row["predikat"])
        return RwKinerjaPeriodik(
            **_result(row, request.tahun, kode),
            bulan_mulai_penilaian=window.awal.month,
            bulan_selesai_penilaian=window.akhir.month,
            tahun_mulai_penilaian=window.awal.year,
            tahun_selesai_penilaian=window.akhir.year,
            periodik_id=window.kode,
            periodik_nama=window.nama,
            koefisien_id=row["koefisien_id"],
            koefisien=row["koefisien"],
            persentase=row["persentase"],
            angka_kredit=row["angka_kredit"],
            kriteria=predikat_label(predikat),
            kuadran_nilai=kode.predikat.get(predikat),
            instansi_id=instansi,
            unor_id=row["unor_id"],
            unor_nama=row["unor_nama"],
            jabatan=row["jabatan"],
        )

    return _page(rows, request, build)
