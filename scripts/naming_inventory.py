#!/usr/bin/env python3
"""The naming inventory: every name in the GraphQL contract, the database and the module tree
that breaks the naming rule of docs/naming.md, written to docs/naming-inventory.md.

    ./.venv/bin/python scripts/naming_inventory.py           # rewrite docs/naming-inventory.md
    ./.venv/bin/python scripts/naming_inventory.py --check   # exit 1 when it is stale

tests/test_naming_inventory.py fails when the committed inventory differs from what this
script writes, so a change that adds (or removes) a violation shows up in review as a diff of
the inventory. The rename that empties it comes later (decision 0027).

The check is word by word: a name is split into words (camelCase, PascalCase, UPPER_SNAKE,
snake_case) and each word must be in one of the lexicons below. A word in no lexicon is listed
as unclassified: put it in the right lexicon (and the glossary, if it is a domain term).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema.graphql"
INVENTORY_FILE = ROOT / "docs" / "naming-inventory.md"

# ---------------------------------------------------------------------------------------------
# Lexicons (docs/naming.md explains the classes; docs/glossary.md defines the domain terms)
# ---------------------------------------------------------------------------------------------

# Indonesian words: domain terms of the glossary and ordinary Indonesian (including the KBBI
# loanwords that Indonesian spells as English does: data, status, target, total, level, ...).
INDONESIAN = frozenset(
    """
    ada administrator ahli ajukan akar akhir akses aksi aktif alamat alasan anggaran angka arti asal
    asn aspek atas atasan awal awalan bagian baik balik baris baru batalkan batas batasi bawaan
    bawah bawahan belakang belum berakhir berakhlak berbukti berhenti beri berikutnya berkas
    berlaku biaya bisnis buat bukti bulan bulanan butuh cabut cakupan capaian catat catatan cltn
    daftar daftarkan dari dasar data daya definitif depan di diabaikan diajukan dibagi
    diberhentikan dibuat dicabut digantikan dihapus dihitung diintervensi dikonfirmasi dimulai
    dinilai dipakai diperiksa diputus disetujui distribusi ditetapkan ditolak diubah dokumen
    dukung dukungan ekspektasi ekspor eksternal entitas evaluasi fase final fungsional gagal
    galat gelar golongan hanya hapus harian hasil hitung iki impor indikator individu info ini
    instansi internal intervensi istimewa ja jabatan jam jangkauan jenis jenjang jf jpt jumlah
    kabupaten
    kadensi kalimat keberatan kegiatan kelamin kelengkapan kepala kepegawaian keputusan kerja
    kesalahan kesempatan keterangan kinerja kirim klasifikasi klien kode koefisien kolom
    konsekuensi kota kredit kualitas kualitatif kuantitas kuantitatif kunci kurang kurva label
    laki lama lampiran langganan layanan lebih lengkap level lingkup madya mahir makna masalah
    matriks max mencapai meninggal menunggu milik min minggu minta mode muda mulai nama narasi
    nasional nilai nip nomor non oleh operasi orang organisasi pada panduan pangkat paruh pegawai
    pejabat
    pelaksana pelaksanaan pelanggaran pembagian pemeriksaan pemilik pemula pendekatan penerima
    penetapan pengaturan pengawas pengembalian pengiriman penguatan penilai penilaian penjelasan
    pensiun penugasan penulis penyelia per peran perbaikan percobaan perempuan perilaku periode
    periodik peristiwa permintaan persen persentase persetujuan perspektif pertama
    pertanggungjawaban pesan petunjuk plh plt pns porsi posisi pppk pratama predikat progres
    proses provinsi pusat putar putusan putuskan rahasia rantai realisasi rencana rhk riwayat
    sampai sangat saran sasaran satuan saya sebanding sel selesai selisih sementara semesteran
    semua sendiri sesi sesuai siasn sk skema skp statistik status sub sumber tahun tahunan tambahan
    tanggal tanggapan tanpa target tautan teks terakhir terampil terbit tercakup terdaftar
    terealisasi terhubung terjadi terkirim termasuk terpercaya tersedia tertua terverifikasi
    tetap tetapkan tidak total triwulanan ubah uji ukuran ulang umpan unduh unggahan unit unor
    untuk urutan utama versi waktu wilayah yatim
    lahir laporan kedaluwarsa dipangkas diumumkan menggantikan pangkas sewa terpakai unduhan
    audit admin email format
    anak antre atur aturan balas berhasil berjalan blokir butir cari diatur diharapkan disimpan
    ditangguhkan induk jalur kedalaman kembalikan konfirmasi kosong lagi leluhur massal naik
    pelaku pengecualian pengguna peringatan perubahan pohon pulihkan rekap revisi rincian salin
    segarkan sejak setujui simpan tambah tarik templat tiket unggah
    akhiri halaman maju
    aplikasi dalam dibaca ditandai dikembalikan isi judul pemberitahuan preferensi surel tampil
    tandai tenggat
    diakhiri pembuat
    """.split()
)

# English words the contract keeps: words a standard fixes (GraphQL/Relay, OAuth 2.0/OIDC,
# HTTP, S3) and loanwords the regulation, e-Kinerja or Indonesian IT usage use as they are.
ENGLISH_KEPT = {
    # GraphQL, Relay, the error model
    "id": "GraphQL ID / Relay Node.id",
    "node": "Relay Node",
    "nodes": "Relay / GraphQL `nodes` lookup",
    "edge": "Relay connection",
    "edges": "Relay connection",
    "connection": "Relay connection type suffix",
    "cursor": "Relay connection",
    "first": "Relay connection argument",
    "after": "Relay connection argument",
    "last": "Relay connection argument",
    "before": "Relay connection argument",
    "input": "GraphQL input type suffix",
    "payload": "GraphQL mutation payload suffix",
    "result": "GraphQL result-union suffix",
    "error": "error model (type suffix)",
    "errors": "error model (payload field)",
    "filter": "GraphQL filter input suffix",
    "code": "error model `code`",
    "message": "error model `message`",
    "field": "error model `field`",
    "mutation": "GraphQL operation type (MutationError)",
    "fields": "S3 presigned POST form fields",
    # OAuth 2.0 / OIDC / HTTP / S3 / hashes
    "scope": "OAuth 2.0 scope",
    "scopes": "OAuth 2.0 scope list",
    "url": "URL",
    "ip": "IP address",
    "sha": "SHA-256",
    "json": "JSON",
    "schema": "PostgreSQL schema / GraphQL schema",
    # loanwords (regulation, e-Kinerja, IT usage)
    "rating": "regulation: rating hasil kerja / perilaku (PermenPANRB 6/2022)",
    "cascade": "regulation: cascading (PermenPANRB 8/2021)",
    "cascading": "regulation: cascading (PermenPANRB 8/2021)",
    "monitoring": "e-Kinerja menu (Monitoring Kurva)",
    "draft": "e-Kinerja SKP status (Draft)",
    "snapshot": "IT loanword; `salinan` would collide with salin (copy)",
    "webhook": "IT loanword",
    "api": "IT loanword",
    "token": "OAuth 2.0 token",
    "browser": "IT loanword",
    "server": "IT loanword",
    "form": "HTML form / e-Kinerja SKP form",
}

# Multi-word English terms kept only as a whole (each word alone is not kept).
ENGLISH_TERMS = {
    ("client", "id"): "OAuth 2.0 client_id",
    ("client", "secret"): "OAuth 2.0 client_secret",
    ("refresh", "token"): "OAuth 2.0 refresh_token (RFC 6749)",
    ("api", "client"): "OAuth 2.0 client",
    ("content", "type"): "HTTP Content-Type",
    ("user", "agent"): "HTTP User-Agent",
    ("page", "info"): "Relay PageInfo",
    ("has", "next", "page"): "Relay PageInfo",
    ("has", "previous", "page"): "Relay PageInfo",
    ("start", "cursor"): "Relay PageInfo",
    ("end", "cursor"): "Relay PageInfo",
    ("total", "count"): "connection total",
    ("document", "id"): "GraphQL-over-HTTP persisted document id",
}

# English words that break the rule, with the Indonesian word to use instead (a hint: Indonesian
# puts the head noun first, so a compound is reordered, e.g. expectedVersion -> versiDiharapkan).
ENGLISH_RENAMED = {
    "acting": "plt",
    "active": "aktif",
    "add": "tambah",
    "agent": "(userAgent only)",
    "ancestors": "leluhur",
    "approve": "setujui",
    "at": "pada",
    "block": "blokir",
    "bulk": "massal",
    "change": "peristiwa",
    "changed": "diubah",
    "changes": "peristiwa",
    "children": "anak",
    "client": "apiClient",
    "clients": "apiClient (no plural: daftarApiClient)",
    "confirm": "konfirmasi",
    "copy": "salin",
    "create": "buat",
    "created": "dibuat",
    "delete": "hapus",
    "depth": "kedalaman",
    "document": "dokumen",
    "down": "bawah",
    "dry": "uji (dry run)",
    "end": "akhir",
    "event": "peristiwa",
    "expected": "diharapkan",
    "expires": "berakhir",
    "explanation": "penjelasan",
    "external": "eksternal",
    "failed": "gagal",
    "give": "beri",
    "has": "ada",
    "head": "kepala",
    "ids": "id (no plural)",
    "item": "butir",
    "items": "butir",
    "link": "tautan",
    "list": "daftar",
    "lock": "kunci",
    "me": "saya",
    "more": "lagi",
    "name": "nama",
    "none": "tidak ada",
    "ok": "sesuai",
    "override": "pengecualian",
    "page": "Connection",
    "parent": "induk",
    "path": "jalur",
    "position": "jabatan",
    "progress": "progres",
    "q": "cari",
    "queued": "antre",
    "refresh": "segarkan",
    "rejected": "ditolak",
    "remove": "hapus",
    "removed": "dihapus",
    "reply": "balas",
    "request": "minta",
    "reset": "pulihkan",
    "return": "kembalikan",
    "revise": "revisi",
    "roll": "rekap (rollUp)",
    "row": "baris",
    "rows": "baris",
    "rule": "aturan",
    "run": "uji (dry run)",
    "running": "berjalan",
    "save": "simpan",
    "saved": "disimpan",
    "secret": "rahasia",
    "set": "atur / diatur",
    "since": "sejak",
    "snapshots": "snapshot (no plural)",
    "submit": "ajukan",
    "succeeded": "berhasil",
    "suspended": "ditangguhkan",
    "template": "templat",
    "tenant": "instansi",
    "ticket": "tiket",
    "tree": "pohon",
    "type": "jenis",
    "unit": "unit",
    "up": "atas",
    "update": "ubah",
    "updated": "diubah",
    "upload": "unggah / unggahan",
    "user": "pengguna",
    "vacancy": "kosong",
    "value": "nilai",
    "version": "versi",
    "walked": "naik",
    "warning": "peringatan",
    "withdraw": "tarik",
    # columns
    "action": "aksi",
    "actor": "pelaku",
    "address": "alamat",
    "central": "pusat",
    "detail": "rincian",
    "entity": "entitas",
    "key": "kunci",
    "lineage": "asal",
    "occurred": "terjadi",
    "revoked": "dicabut",
    "seen": "dipakai",
    "setting": "pengaturan",
}
del ENGLISH_RENAMED["unit"]  # `unit` is Indonesian too (unit kerja)

# Columns also keep the words of the database, HTTP and OIDC machinery they record.
COLUMN_ENGLISH_KEPT = {
    "txid": "PostgreSQL transaction id",
    "nonce": "cryptographic nonce",
    "hash": "hash",
    "sha256": "SHA-256",
    "role": "PostgreSQL role / OIDC role",
    "roles": "OIDC roles claim",
    "issuer": "OIDC issuer",
    "jwks": "OIDC JWKS",
    "uri": "OIDC jwks_uri",
    "audiences": "OIDC aud",
    "claim": "OIDC claim",
    "grant": "OAuth 2.0 grant",
    "request": "HTTP request (id, hash)",
    "response": "HTTP response",
    "body": "HTTP body",
    "idempotency": "Idempotency-Key header",
    "outbox": "transactional outbox (pattern name)",
}
COLUMN_ENGLISH_TERMS = {
    ("object", "key"): "S3 object key",
    ("identity", "provider"): "OIDC identity provider",
    ("idempotency", "key"): "Idempotency-Key header",
    ("ip", "address"): "(alamat_ip: the contract says alamatIp)",
}
del COLUMN_ENGLISH_TERMS[("ip", "address")]

# Mutation verbs: one Indonesian verb per act (docs/naming.md, "Mutations").
VERBS = frozenset(
    """
    ajukan tarik kembalikan setujui revisi salin segarkan buat ubah hapus simpan tambah atur
    pulihkan unggah konfirmasi beri balas nilai batalkan tetapkan putuskan minta hitung catat
    putar cabut kirim daftarkan batasi
    akhiri tandai
    """.split()
)

# The names the rename will give the mutations that break the rule.
MUTATION_RENAMES = {
    "setAtasanOverride": "aturPengecualianAtasan",
    "setKadensi": "aturKadensi",
    "saveLampiran": "simpanLampiran",
    "saveRencanaAksi": "simpanRencanaAksi",
    "createSkp": "buatSkp",
    "copySkp": "salinSkp",
    "saveRhkTemplate": "simpanTemplatRhk",
    "removeRhkTemplate": "hapusTemplatRhk",
    "saveRhk": "simpanRhk",
    "removeRhk": "hapusRhk",
    "submitSkp": "ajukanSkp",
    "withdrawSkp": "tarikSkp",
    "reviseSkp": "revisiSkp",
    "returnSkp": "kembalikanSkp",
    "approveSkp": "setujuiSkp",
    "refreshSkpSnapshots": "segarkanSnapshotSkp",
    "createProgresHarian": "buatProgresHarian",
    "createProgresHarianBulk": "buatProgresHarianMassal",
    "updateProgresHarian": "ubahProgresHarian",
    "deleteProgresHarian": "hapusProgresHarian",
    "saveRealisasi": "simpanRealisasi",
    "saveRealisasiBulk": "simpanRealisasiMassal",
    "requestBuktiDukungUpload": "mintaUnggahanBuktiDukung",
    "confirmBuktiDukung": "konfirmasiBuktiDukung",
    "addBuktiDukungLink": "tambahTautanBuktiDukung",
    "removeBuktiDukung": "hapusBuktiDukung",
    "giveUmpanBalik": "beriUmpanBalik",
    "replyUmpanBalik": "balasUmpanBalik",
    "setKalimatUmpanBalik": "aturKalimatUmpanBalik",
    "setPredikatOrganisasi": "aturPredikatOrganisasi",
    "setPengaturan": "ubahPengaturan",
    "resetPengaturan": "pulihkanPengaturan",
}

# One thing, one word: names whose words pass but which name, in Indonesian, a thing the rule
# names in English (the OAuth client secret is `clientSecret`, as the token request sends it;
# a webhook's signing secret is not OAuth's and stays `rahasia`).
SAME_THING = {
    ("type", "RahasiaKlien"): "the OAuth client secret → `ClientSecret`",
    ("field", "ApiClient.rahasia"): "the OAuth client secret → `clientSecrets`",
    ("mutation", "Mutation.putarRahasiaApiClient"): "the OAuth client secret → `putarClientSecret`",
}

# Error codes are English UPPER_SNAKE (shared with the HTTP envelope, logs and other services):
# the values of an enum named `...ErrorCode` are not checked.
ERROR_CODE_ENUM = re.compile(r".*ErrorCode$")

# Names an outside contract fixes: SIASN's rw-skp22 / rw-kinerjaperiodik fields and the S3
# presigned POST form. Their fields are not checked (their type names are).
EXTERNAL_TYPES = re.compile(r"^(Siasn.*|FormField)$")
SCALARS_AND_ROOTS = {"Query", "Mutation", "Subscription", "Date", "DateTime", "Time", "Decimal"}

# Module names: English is the language of code, so only English words that translate a
# glossary term break the rule there (the thing has an Indonesian name; use it).
MODULE_RENAMED = {
    "coverage": "cakupan",
    "copy": "salin",
    "copying": "salin",
    "document": "dokumen",
    "events": "peristiwa",
    "export": "ekspor",
    "import": "impor",
    "importer": "impor",
    "organisation": "organisasi",
    "overrides": "pengecualian (atasan)",
    "people": "pegawai",
    "periods": "periode",
    "windows": "periode",
    "revision": "perubahan / revisi",
    "rollup": "rekap",
    "sessions": "sesi",
    "settings": "pengaturan",
    "superiors": "atasan",
    "templates": "templat",
    "uploads": "unggahan",
    "year": "tahun",
}
# Modules whose English word names something other than the glossary term it translates.
MODULE_EXEMPT = {
    "ekinerja/settings.py": "the service's configuration, not the instansi's pengaturan",
    "ekinerja/cli/sessions.py": "the `ekinerja sessions` command (the CLI is English)",
    "ekinerja/cli/importer.py": "the `ekinerja import` command (the CLI is English)",
    "ekinerja/http/browser_sessions.py": "the HTTP cookie machinery",
}

# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words_of(name: str) -> list[str]:
    """`expectedVersion` -> [expected, version]; `SKP_DIAJUKAN` -> [skp, diajukan]."""
    if "_" in name or name.isupper():
        return [w.lower() for w in name.split("_") if w]
    return [w.lower() for w in _CAMEL.findall(name)]


@dataclass(frozen=True)
class Finding:
    kind: str  # mutation, type, field, argument, enum value, table, column, module
    name: str
    problem: str


def _judge_words(
    words: list[str], kept: dict[str, str], terms: dict[tuple[str, ...], str]
) -> list[str]:
    """The problems of a word list: English words to rename, unclassified words."""
    problems: list[str] = []
    i = 0
    while i < len(words):
        for term in sorted(terms, key=len, reverse=True):
            if tuple(words[i : i + len(term)]) == term:
                i += len(term)
                break
        else:
            word = words[i]
            i += 1
            if word.isdigit() or word in INDONESIAN or word in kept:
                continue
            if word in ENGLISH_RENAMED:
                problems.append(f"`{word}` → {ENGLISH_RENAMED[word]}")
            else:
                problems.append(f"`{word}` unclassified")
    return problems


def _casing(kind: str, name: str) -> str | None:
    if kind in ("type",):
        ok = re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) and not re.search(r"[A-Z]{2}", name)
        return None if ok else "PascalCase, acronyms as words (Skp, Nip)"
    if kind in ("field", "argument", "mutation", "query"):
        ok = re.fullmatch(r"[a-z][A-Za-z0-9]*", name) and not re.search(r"[A-Z]{2}", name)
        return None if ok else "camelCase, acronyms as words (skpId, nipPenilai)"
    if kind == "enum value":
        return None if re.fullmatch(r"[A-Z][A-Z0-9_]*", name) else "UPPER_SNAKE"
    if kind in ("table", "column"):
        return None if re.fullmatch(r"[a-z][a-z0-9_]*", name) else "snake_case"
    return None


def _check(kind: str, name: str, words: list[str] | None = None) -> Iterator[Finding]:
    casing = _casing(kind, name)
    if casing:
        yield Finding(kind, name, casing)
    words = words if words is not None else words_of(name)
    if kind in ("table", "column"):
        kept = {**ENGLISH_KEPT, **COLUMN_ENGLISH_KEPT}
        terms = {**ENGLISH_TERMS, **COLUMN_ENGLISH_TERMS}
    else:
        kept, terms = ENGLISH_KEPT, ENGLISH_TERMS
    problems = _judge_words(words, kept, terms)
    if problems:
        yield Finding(kind, name, "; ".join(problems))


# ---------------------------------------------------------------------------------------------
# The three sources
# ---------------------------------------------------------------------------------------------


def schema_findings(sdl: str) -> list[Finding]:
    from graphql import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLInterfaceType,
        GraphQLObjectType,
        GraphQLScalarType,
        build_schema,
    )

    schema = build_schema(sdl)
    found: list[Finding] = []
    mutation = schema.mutation_type
    for name, field in (mutation.fields if mutation else {}).items():
        verb = words_of(name)[0]
        if verb not in VERBS or name in MUTATION_RENAMES:
            target = MUTATION_RENAMES.get(name)
            hint = f" → `{target}`" if target and target != name else ""
            found.append(Finding("mutation", f"Mutation.{name}", f"verb `{verb}`{hint}"))
        else:
            found.extend(
                Finding("mutation", f"Mutation.{name}", f.problem) for f in _check("mutation", name)
            )
        for arg in field.args:
            found.extend(
                Finding("argument", f"Mutation.{name}({arg})", f.problem)
                for f in _check("argument", arg)
            )
    for type_name, gtype in sorted(schema.type_map.items()):
        if type_name.startswith("__") or isinstance(gtype, GraphQLScalarType):
            continue
        if type_name not in SCALARS_AND_ROOTS:
            found.extend(_check("type", type_name))
        if EXTERNAL_TYPES.match(type_name) or type_name == "Mutation":
            continue
        if isinstance(gtype, GraphQLEnumType) and not ERROR_CODE_ENUM.match(type_name):
            for value in gtype.values:
                found.extend(
                    Finding("enum value", f"{type_name}.{value}", f.problem)
                    for f in _check("enum value", value)
                )
        elif isinstance(gtype, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in gtype.fields.items():
                kind = "query" if type_name == "Query" else "field"
                found.extend(
                    Finding(kind, f"{type_name}.{field_name}", f.problem)
                    for f in _check(kind, field_name)
                )
                for arg in getattr(field, "args", None) or {}:
                    found.extend(
                        Finding("argument", f"{type_name}.{field_name}({arg})", f.problem)
                        for f in _check("argument", arg)
                    )
    found += [
        Finding(kind, name, problem)
        for (kind, name), problem in SAME_THING.items()
        if _exists(schema, name)
    ]
    return found


def _exists(schema, name: str) -> bool:
    """Whether `Type` or `Type.field` is in the schema."""
    type_name, _, field_name = name.partition(".")
    gtype = schema.type_map.get(type_name)
    if gtype is None or not field_name:
        return gtype is not None
    return field_name in (getattr(gtype, "fields", None) or {})


def model_findings() -> list[Finding]:
    from tortoise import Tortoise
    from tortoise.fields.relational import (
        BackwardFKRelation,
        BackwardOneToOneRelation,
        ForeignKeyFieldInstance,
        ManyToManyFieldInstance,
        OneToOneFieldInstance,
    )

    skipped = (
        BackwardFKRelation,
        BackwardOneToOneRelation,
        ManyToManyFieldInstance,
        ForeignKeyFieldInstance,  # its `<name>_id` source field is listed instead
        OneToOneFieldInstance,
    )
    Tortoise.init_models(["ekinerja.models.tenant"], "tenant", _init_relations=True)
    Tortoise.init_models(["ekinerja.models.shared"], "shared", _init_relations=True)
    found: list[Finding] = []
    for app in ("shared", "tenant"):
        for model in sorted(Tortoise.apps[app].values(), key=lambda m: m._meta.db_table):
            table = model._meta.db_table
            found.extend(
                Finding("table", f"{app}.{table}", f.problem) for f in _check("table", table)
            )
            for field_name, field in model._meta.fields_map.items():
                if isinstance(field, skipped):
                    continue
                column = field.source_field or field_name
                found.extend(
                    Finding("column", f"{app}.{table}.{column}", f.problem)
                    for f in _check("column", column)
                )
    return found


def module_findings(paths: Iterable[str]) -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(paths):
        if not path.startswith("ekinerja/") or "/migrations/" in path or path in MODULE_EXEMPT:
            continue
        if not path.endswith(".py"):
            continue
        parts = path.removesuffix(".py").split("/")[1:]
        if parts[-1] == "__init__":
            parts = parts[:-1]
            if not parts:
                continue
            path = path.removesuffix("/__init__.py") + "/"
        problems = [
            f"`{w}` → {MODULE_RENAMED[w]}"
            for w in (w for part in parts[-1:] for w in part.split("_"))
            if w in MODULE_RENAMED
        ]
        if problems:
            found.append(Finding("module", path, "; ".join(problems)))
    return found


def tracked_python_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "ekinerja"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------

KINDS = (
    ("mutation", "Mutations (verb first, Indonesian)"),
    ("query", "Query fields"),
    ("type", "Type names"),
    ("field", "Fields"),
    ("argument", "Arguments"),
    ("enum value", "Enum values"),
    ("table", "Tables"),
    ("column", "Columns"),
    ("module", "Modules"),
)


def render(findings: list[Finding]) -> str:
    lines = [
        "# Naming inventory",
        "",
        "Generated by `scripts/naming_inventory.py` from `schema.graphql`, the Tortoise models",
        "(`ekinerja/models/`) and the module tree; do not edit by hand. Regenerate with",
        "`./.venv/bin/python scripts/naming_inventory.py` after changing any of them;",
        "`tests/test_naming_inventory.py` fails while this file is stale.",
        "",
        "Every name below breaks the rule of [naming.md](naming.md) (decision",
        "[0027](decisions/0027-naming-rule.md)); the hint after → is the Indonesian word from",
        "the lexicon (Indonesian puts the head noun first, so a compound is reordered:",
        "`expectedVersion` → `versiDiharapkan`). The rename that empties this list is applied",
        "once, with the Node, connection and error-model changes of the 1.0 contract.",
        "",
        "| kind | names |",
        "|---|---|",
    ]
    by_kind = {kind: [f for f in findings if f.kind == kind] for kind, _ in KINDS}
    for kind, _ in KINDS:
        lines.append(f"| {kind} | {len(by_kind[kind])} |")
    lines.append(f"| **total** | **{len(findings)}** |")
    for kind, title in KINDS:
        if not by_kind[kind]:
            continue
        lines += ["", f"## {title}", ""]
        for f in sorted(by_kind[kind], key=lambda f: (f.name.lower(), f.problem)):
            lines.append(f"- `{f.name}` — {f.problem}")
    return "\n".join(lines) + "\n"


def inventory() -> str:
    findings = schema_findings(SCHEMA_FILE.read_text())
    findings += model_findings()
    findings += module_findings(tracked_python_files())
    # one entry per name and problem (a field shared by an interface and its types is one name)
    unique = list(dict.fromkeys(findings))
    return render(unique)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    args = parser.parse_args(argv)
    text = inventory()
    if args.check:
        current = INVENTORY_FILE.read_text() if INVENTORY_FILE.exists() else ""
        if current != text:
            print(f"{INVENTORY_FILE.relative_to(ROOT)} is stale: run {sys.argv[0]}")
            return 1
        return 0
    INVENTORY_FILE.write_text(text)
    print(f"wrote {INVENTORY_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
