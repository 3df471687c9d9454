"""The distribution curve (docs/domain.md 5.3): default rules at their bounds, rounding, policy and
the tenant settings that override both."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ekinerja.penilaian.enums import HasilKurva, PredikatOrganisasi, PredikatPegawai
from ekinerja.penilaian.kurva import (
    DEFAULT_RULES,
    AturanKurva,
    KebijakanKurva,
    Pembulatan,
    periksa,
    policy_from_setting,
    rules_from_setting,
)

Org, P = PredikatOrganisasi, PredikatPegawai
SB, B, BP, K, SK = P.SANGAT_BAIK, P.BAIK, P.BUTUH_PERBAIKAN, P.KURANG, P.SANGAT_KURANG


def failed(organisasi, **counts) -> dict[str, tuple[int, int]]:
    """Violated default rules as {kode: (jumlah, batas)}; counts given as SB=…, B=…, …"""
    result = periksa(organisasi, {P[_NAMES[k]]: v for k, v in counts.items()})
    assert result.total == sum(counts.values())
    return {v.aturan.kode: (v.jumlah, v.batas) for v in result.pelanggaran}


_NAMES = {
    "SB": "SANGAT_BAIK",
    "B": "BAIK",
    "BP": "BUTUH_PERBAIKAN",
    "K": "KURANG",
    "SK": "SANGAT_KURANG",
}


def one_rule(rule: AturanKurva, distribusi, policy=KebijakanKurva()):
    return periksa(Org.BAIK, distribusi, {Org.BAIK: (rule,)}, policy)


def rule(**kw) -> AturanKurva:
    kw.setdefault("kode", "T.rule")
    kw.setdefault("keterangan", "test")
    return AturanKurva(**kw)


# --- default rules, each at its bound ---------------------------------------------------------


def test_istimewa():
    assert failed(Org.ISTIMEWA, SB=7, B=3) == {}  # exactly 70 %
    assert failed(Org.ISTIMEWA, SB=8, B=2) == {"ISTIMEWA.max_sangat_baik": (8, 7)}
    assert failed(Org.ISTIMEWA, SB=4, B=3, BP=3) == {}  # plurality, not an absolute majority
    assert failed(Org.ISTIMEWA, SB=4, B=4, BP=2) == {"ISTIMEWA.terbanyak_sangat_baik": (4, 5)}
    assert failed(Org.ISTIMEWA, SB=3, K=4, SK=3) == {"ISTIMEWA.terbanyak_sangat_baik": (3, 5)}


def test_baik():
    assert failed(Org.BAIK, B=7, BP=1, SB=2) == {}
    assert failed(Org.BAIK, B=7, K=1, SK=2) == {}  # Kurang satisfies "and/or"
    assert failed(Org.BAIK, B=8, BP=2) == {"BAIK.max_baik": (8, 7)}
    assert failed(Org.BAIK, B=4, SB=4, K=2) == {"BAIK.terbanyak_baik": (4, 5)}  # tie
    assert failed(Org.BAIK, B=5, SB=4, K=1) == {}
    assert failed(Org.BAIK, B=7, SB=3) == {"BAIK.ada_butuh_perbaikan_atau_kurang": (0, 1)}


def test_butuh_perbaikan():
    assert failed(Org.BUTUH_PERBAIKAN, BP=6, SB=1, B=3) == {}
    assert failed(Org.BUTUH_PERBAIKAN, BP=5, B=5) == {"BUTUH_PERBAIKAN.min_butuh_perbaikan": (5, 6)}
    assert failed(Org.BUTUH_PERBAIKAN, BP=6, SB=2, B=2) == {
        "BUTUH_PERBAIKAN.max_sangat_baik": (2, 1)
    }


def test_kurang():
    assert failed(Org.KURANG, K=6, BP=1, SB=1, B=2) == {}
    assert failed(Org.KURANG, K=5, BP=1, B=4) == {"KURANG.min_kurang": (5, 6)}
    assert failed(Org.KURANG, K=6, B=4) == {"KURANG.min_butuh_perbaikan": (0, 1)}
    assert failed(Org.KURANG, K=6, BP=1, SB=2, B=1) == {"KURANG.max_sangat_baik": (2, 1)}


def test_sangat_kurang():
    assert failed(Org.SANGAT_KURANG, SK=6, K=1, B=3) == {}
    assert failed(Org.SANGAT_KURANG, SK=6, BP=1, B=3) == {}  # either predikat of the set
    assert failed(Org.SANGAT_KURANG, SK=5, K=1, B=4) == {"SANGAT_KURANG.min_sangat_kurang": (5, 6)}
    assert failed(Org.SANGAT_KURANG, SK=6, B=4) == {
        "SANGAT_KURANG.min_kurang_atau_butuh_perbaikan": (0, 1)
    }


def test_sangat_kurang_forbids_any_sangat_baik_whatever_the_rounding():
    assert failed(Org.SANGAT_KURANG, SK=89, K=10, SB=1) == {
        "SANGAT_KURANG.tanpa_sangat_baik": (1, 0)
    }
    lenient = KebijakanKurva(pembulatan_max=Pembulatan.CEIL)
    result = periksa(Org.SANGAT_KURANG, {SK: 89, K: 10, SB: 1}, policy=lenient)
    assert [(v.aturan.kode, v.batas) for v in result.pelanggaran] == [
        ("SANGAT_KURANG.tanpa_sangat_baik", 0)
    ]


def test_violations_come_in_rule_order_and_all_are_reported():
    result = periksa(Org.KURANG, {SB: 5, B: 5})
    assert [v.aturan.kode for v in result.pelanggaran] == [
        "KURANG.min_kurang",
        "KURANG.min_butuh_perbaikan",
        "KURANG.max_sangat_baik",
    ]


def test_default_rules_cover_every_organisation_predikat_and_are_read_only():
    assert set(DEFAULT_RULES) == set(PredikatOrganisasi)
    kodes = [r.kode for rules in DEFAULT_RULES.values() for r in rules]
    assert len(kodes) == len(set(kodes)) == 13
    for organisasi, rules in DEFAULT_RULES.items():
        assert all(r.kode.startswith(f"{organisasi}.") and r.keterangan for r in rules)
    with pytest.raises(TypeError):
        DEFAULT_RULES[Org.BAIK] = ()  # type: ignore[index]


# --- rounding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pembulatan", "batas"),
    [(Pembulatan.FLOOR, 6), (Pembulatan.CEIL, 7), (Pembulatan.ROUND_HALF_UP, 6)],
)
def test_max_70_percent_of_9(pembulatan, batas):  # 6.3 people
    policy = KebijakanKurva(pembulatan_max=pembulatan)
    r = rule(predikat=(B,), max_persen=Decimal(70))
    assert one_rule(r, {B: batas, K: 9 - batas}, policy).hasil is HasilKurva.OK
    (v,) = one_rule(r, {B: batas + 1, K: 8 - batas}, policy).pelanggaran
    assert (v.jumlah, v.batas, v.total) == (batas + 1, batas, 9)


@pytest.mark.parametrize(
    ("pembulatan", "batas"),
    [(Pembulatan.CEIL, 5), (Pembulatan.FLOOR, 4), (Pembulatan.ROUND_HALF_UP, 4)],
)
def test_min_60_percent_of_7(pembulatan, batas):  # 4.2 people
    policy = KebijakanKurva(pembulatan_min=pembulatan)
    r = rule(predikat=(K,), min_persen=Decimal(60))
    assert one_rule(r, {K: batas, B: 7 - batas}, policy).hasil is HasilKurva.OK
    (v,) = one_rule(r, {K: batas - 1, B: 8 - batas}, policy).pelanggaran
    assert (v.jumlah, v.batas, v.total) == (batas - 1, batas, 7)


def test_min_10_percent_of_3():
    r = rule(predikat=(BP,), min_persen=Decimal(10))
    (v,) = one_rule(r, {K: 3}).pelanggaran  # CEIL by default: 0.3 → 1 person
    assert v.batas == 1
    assert one_rule(r, {K: 2, BP: 1}).hasil is HasilKurva.OK
    floor = KebijakanKurva(pembulatan_min=Pembulatan.FLOOR)
    assert one_rule(r, {K: 3}, floor).hasil is HasilKurva.OK  # 0.3 → 0 people


def test_round_half_up_rounds_halves_up_not_to_even():
    half_up = KebijakanKurva(Pembulatan.ROUND_HALF_UP, Pembulatan.ROUND_HALF_UP)
    at_least = rule(predikat=(K,), min_persen=Decimal(50))  # 2.5 of 5 → 3
    (v,) = one_rule(at_least, {K: 2, B: 3}, half_up).pelanggaran
    assert v.batas == 3
    at_most = rule(predikat=(B,), max_persen=Decimal(50))  # 2.5 of 5 → 3
    assert one_rule(at_most, {B: 3, K: 2}, half_up).hasil is HasilKurva.OK
    assert one_rule(at_most, {B: 4, K: 1}, half_up).pelanggaran[0].batas == 3


def test_whole_bounds_do_not_depend_on_rounding():
    r = rule(predikat=(B,), max_persen=Decimal(70))
    for p in Pembulatan:
        policy = KebijakanKurva(pembulatan_max=p)
        assert one_rule(r, {B: 7, K: 3}, policy).hasil is HasilKurva.OK
        assert one_rule(r, {B: 8, K: 2}, policy).pelanggaran[0].batas == 7


def test_fractional_percentages_use_decimal_arithmetic():
    # 33.3 % of 30 = 9.99: a float product could be 9.989999…; Decimal gives exactly 9.99.
    r = rule(predikat=(B,), max_persen=Decimal("33.3"))
    policy = KebijakanKurva(pembulatan_max=Pembulatan.ROUND_HALF_UP)
    assert one_rule(r, {B: 10, K: 20}, policy).hasil is HasilKurva.OK
    assert one_rule(r, {B: 9, K: 21}).hasil is HasilKurva.OK  # FLOOR: 9
    assert one_rule(r, {B: 10, K: 20}).pelanggaran[0].batas == 9


# --- minimal_ada and terbanyak ----------------------------------------------------------------


def test_minimal_ada_is_a_head_count_independent_of_size():
    r = rule(predikat=(BP, K), minimal_ada=2)
    assert one_rule(r, {B: 100, BP: 1, K: 1}).hasil is HasilKurva.OK
    (v,) = one_rule(r, {B: 2, K: 1}).pelanggaran
    assert (v.jumlah, v.batas) == (1, 2)


def test_terbanyak_ties_fail_and_sets_count_together():
    r = rule(predikat=(B,), terbanyak=True)
    assert one_rule(r, {B: 3, SB: 2, K: 2}).hasil is HasilKurva.OK
    (v,) = one_rule(r, {B: 3, SB: 3}).pelanggaran
    assert (v.jumlah, v.batas) == (3, 4)
    together = rule(predikat=(SB, B), terbanyak=True)  # 2 + 2 beats 3
    assert one_rule(together, {SB: 2, B: 2, K: 3}).hasil is HasilKurva.OK
    assert one_rule(together, {SB: 2, B: 2, K: 4}).pelanggaran[0].batas == 5


def test_terbanyak_holds_for_a_unit_of_one():
    assert failed(Org.ISTIMEWA, SB=1) == {"ISTIMEWA.max_sangat_baik": (1, 0)}  # 0.7 → 0
    r = rule(predikat=(SB,), terbanyak=True)
    assert one_rule(r, {SB: 1}).hasil is HasilKurva.OK


# --- outcome, policy, input -------------------------------------------------------------------


def test_policy_decides_warning_or_block():
    bad = {B: 8, BP: 2}
    assert periksa(Org.BAIK, bad).hasil is HasilKurva.WARNING
    block = KebijakanKurva(bila_gagal=HasilKurva.BLOCK)
    assert periksa(Org.BAIK, bad, policy=block).hasil is HasilKurva.BLOCK
    good = periksa(Org.BAIK, {B: 7, BP: 3}, policy=block)
    assert (good.hasil, good.pelanggaran) == (HasilKurva.OK, ())
    with pytest.raises(ValueError, match="WARNING or BLOCK"):
        KebijakanKurva(bila_gagal=HasilKurva.OK)


@pytest.mark.parametrize("organisasi", list(PredikatOrganisasi))
def test_empty_unit_is_ok(organisasi):
    block = KebijakanKurva(bila_gagal=HasilKurva.BLOCK)
    result = periksa(organisasi, {}, policy=block)
    assert (result.hasil, result.total, result.pelanggaran) == (HasilKurva.OK, 0, ())
    assert result.distribusi == dict.fromkeys(PredikatPegawai, 0)


def test_distribution_is_completed_and_validated():
    result = periksa(Org.BAIK, {"BAIK": 7, BP: 3})
    assert result.hasil is HasilKurva.OK
    assert result.distribusi == {SB: 0, B: 7, BP: 3, K: 0, SK: 0}
    assert result.total == 10
    with pytest.raises(ValueError, match="at least 0"):
        periksa(Org.BAIK, {B: -1})
    with pytest.raises(ValueError, match="whole number"):
        periksa(Org.BAIK, {B: True})
    with pytest.raises(ValueError):
        periksa(Org.BAIK, {"CUKUP": 1})


def test_organisation_without_rules_is_ok():
    result = periksa(Org.BAIK, {SB: 10}, rules={Org.ISTIMEWA: DEFAULT_RULES[Org.ISTIMEWA]})
    assert (result.hasil, result.pelanggaran) == (HasilKurva.OK, ())


# --- messages ---------------------------------------------------------------------------------


def test_messages_name_the_rule_the_counts_and_the_bound():
    def pesan(organisasi, distribusi):
        return [v.pesan for v in periksa(organisasi, distribusi).pelanggaran]

    assert pesan(Org.BAIK, {B: 8, BP: 2}) == [
        "BAIK.max_baik: 8 of 10 pegawai are Baik; at most 7 (70 %, rounded down) are allowed"
    ]
    assert pesan(Org.BUTUH_PERBAIKAN, {BP: 5, B: 5}) == [
        "BUTUH_PERBAIKAN.min_butuh_perbaikan: 5 of 10 pegawai are Butuh Perbaikan; "
        "at least 6 (60 %, rounded up) are required"
    ]
    assert pesan(Org.BAIK, {B: 7, SB: 3}) == [
        "BAIK.ada_butuh_perbaikan_atau_kurang: 0 of 10 pegawai are Butuh Perbaikan or "
        "Kurang/Misconduct; at least 1 is required"
    ]
    assert pesan(Org.ISTIMEWA, {SB: 4, B: 4, BP: 2}) == [
        "ISTIMEWA.terbanyak_sangat_baik: 4 of 10 pegawai are Sangat Baik; 4 are Baik, so at "
        "least 5 are required (Sangat Baik must outnumber every other predikat; a tie fails)"
    ]
    assert pesan(Org.SANGAT_KURANG, {SK: 9, SB: 1}) == [
        "SANGAT_KURANG.min_kurang_atau_butuh_perbaikan: 0 of 10 pegawai are Kurang/Misconduct "
        "or Butuh Perbaikan; at least 1 (10 %, rounded up) is required",
        "SANGAT_KURANG.tanpa_sangat_baik: 1 of 10 pegawai is Sangat Baik; at most 0 "
        "(0 %, rounded down) are allowed",
    ]


# --- rule validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"predikat": ()}, "at least one predikat"),
        ({"predikat": (B, B), "terbanyak": True}, "twice"),
        ({"predikat": (B,)}, "exactly one of"),
        ({"predikat": (B,), "min_persen": Decimal(10), "max_persen": Decimal(20)}, "exactly one"),
        ({"predikat": (B,), "max_persen": Decimal(101)}, "from 0 to 100"),
        ({"predikat": (B,), "max_persen": 70}, "must be a Decimal"),
        ({"predikat": (B,), "minimal_ada": 0}, "at least 1"),
        ({"predikat": tuple(PredikatPegawai), "terbanyak": True}, "left out"),
        ({"predikat": (B,), "terbanyak": True, "kode": " "}, "kode must not be empty"),
    ],
)
def test_invalid_rules_are_refused_when_built(kw, reason):
    with pytest.raises(ValueError, match=reason):
        rule(**kw)


# --- tenant settings --------------------------------------------------------------------------


def test_rules_setting_replaces_listed_levels_and_keeps_the_rest():
    rules = rules_from_setting(
        {
            "BAIK": [
                {
                    "kode": "BAIK.max_baik",
                    "predikat": ["BAIK"],
                    "maxPersen": "80",
                    "keterangan": "Paling banyak 80 % Baik",
                },
                {"kode": "BAIK.ada_sk", "predikat": ["SANGAT_KURANG"], "minimalAda": 1,
                 "keterangan": "x"},
                {"kode": "BAIK.top", "predikat": ["BAIK", "SANGAT_BAIK"], "terbanyak": True,
                 "keterangan": "x"},
                {"kode": "BAIK.min", "predikat": ["KURANG"], "minPersen": 12.5,
                 "keterangan": "x"},
            ],
            "SANGAT_KURANG": [],
        }
    )  # fmt: skip
    max_baik, ada_sk, top, minimum = rules[Org.BAIK]
    assert (max_baik.max_persen, max_baik.predikat, max_baik.keterangan) == (
        Decimal(80), (B,), "Paling banyak 80 % Baik"
    )  # fmt: skip
    assert (ada_sk.minimal_ada, top.terbanyak, top.predikat) == (1, True, (B, SB))
    assert minimum.min_persen == Decimal("12.5")
    assert rules[Org.SANGAT_KURANG] == ()
    assert rules[Org.ISTIMEWA] == DEFAULT_RULES[Org.ISTIMEWA]
    assert periksa(Org.SANGAT_KURANG, {SB: 10}, rules).hasil is HasilKurva.OK
    assert periksa(Org.BAIK, {B: 8, SK: 1, K: 2}, rules).hasil is HasilKurva.OK  # 8 of 11 Baik
    tenant = periksa(Org.BAIK, {B: 8, SK: 1, K: 1}, rules)  # 12.5 % of 10 = 1.25 → 2 Kurang
    assert [(v.aturan.kode, v.jumlah, v.batas) for v in tenant.pelanggaran] == [("BAIK.min", 1, 2)]


def test_empty_rules_setting_is_the_default():
    assert dict(rules_from_setting({})) == dict(DEFAULT_RULES)


GOOD = {"kode": "BAIK.x", "predikat": ["BAIK"], "maxPersen": "70", "keterangan": "x"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ([], "kurva rules: expected an object, got list"),
        ({"CUKUP": []}, "kurva rules: 'CUKUP' is not one of ISTIMEWA"),
        ({"BAIK": {}}, r"kurva rules\.BAIK: expected a list"),
        ({"BAIK": ["x"]}, r"kurva rules\.BAIK\[0\]: expected an object"),
        ({"BAIK": [GOOD | {"maxPercent": 1}]}, r"BAIK\[0\]: unknown key 'maxPercent'"),
        ({"BAIK": [{"predikat": ["BAIK"], "keterangan": "x"}]}, r"BAIK\[0\]\.kode: missing"),
        ({"BAIK": [GOOD | {"kode": ""}]}, r"BAIK\[0\]\.kode: expected a non-empty string"),
        ({"BAIK": [GOOD | {"keterangan": 3}]}, r"\.keterangan: expected a non-empty string"),
        ({"BAIK": [GOOD | {"predikat": []}]}, r"\.predikat: expected a non-empty list"),
        ({"BAIK": [GOOD | {"predikat": "BAIK"}]}, r"\.predikat: expected a non-empty list"),
        ({"BAIK": [GOOD, GOOD | {"predikat": ["CUKUP"]}]}, r"BAIK\[1\]\.predikat\[0\]: 'CUKUP'"),
        ({"BAIK": [GOOD | {"maxPersen": "abc"}]}, r"\.maxPersen: 'abc' is not a number"),
        ({"BAIK": [GOOD | {"maxPersen": "150"}]}, r"\.maxPersen: '150' must be from 0 to 100"),
        ({"BAIK": [GOOD | {"maxPersen": -1}]}, r"\.maxPersen: -1 must be from 0 to 100"),
        ({"BAIK": [GOOD | {"maxPersen": "NaN"}]}, r"\.maxPersen: 'NaN' must be from 0 to 100"),
        ({"BAIK": [GOOD | {"maxPersen": True}]}, r"\.maxPersen: expected a number"),
        ({"BAIK": [GOOD | {"minPersen": "10"}]}, r"BAIK\[0\]: BAIK\.x: set exactly one of"),
        ({"BAIK": [{k: v for k, v in GOOD.items() if k != "maxPersen"}]}, "set exactly one of"),
        ({"BAIK": [GOOD | {"minimalAda": 0}]}, r"\.minimalAda: expected a whole number"),
        ({"BAIK": [GOOD | {"minimalAda": "1"}]}, r"\.minimalAda: expected a whole number"),
        ({"BAIK": [GOOD | {"terbanyak": "yes"}]}, r"\.terbanyak: expected true or false"),
        ({"BAIK": [GOOD, GOOD]}, r"kurva rules\.BAIK: kode 'BAIK\.x' is used twice"),
    ],
)
def test_malformed_rules_setting_names_the_bad_key(value, reason):
    with pytest.raises(ValueError, match=reason):
        rules_from_setting(value)


def test_policy_setting():
    assert policy_from_setting({}) == KebijakanKurva()
    assert policy_from_setting({"bilaGagal": "BLOCK"}) == KebijakanKurva(
        bila_gagal=HasilKurva.BLOCK
    )
    full = {"pembulatanMin": "FLOOR", "pembulatanMax": "ROUND_HALF_UP", "bilaGagal": "WARNING"}
    assert policy_from_setting(full) == KebijakanKurva(
        Pembulatan.FLOOR, Pembulatan.ROUND_HALF_UP, HasilKurva.WARNING
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("BLOCK", "kurva policy: expected an object, got str"),
        ({"pembulatan": "CEIL"}, "kurva policy: unknown key 'pembulatan'"),
        ({"pembulatanMin": "UP"}, r"kurva policy\.pembulatanMin: 'UP' is not one of CEIL"),
        ({"pembulatanMax": None}, r"kurva policy\.pembulatanMax: None is not one of"),
        ({"bilaGagal": "ERROR"}, r"kurva policy\.bilaGagal: 'ERROR' is not one of"),
        ({"bilaGagal": "OK"}, r"kurva policy\.bilaGagal: must be WARNING or BLOCK"),
    ],
)
def test_malformed_policy_setting_names_the_bad_key(value, reason):
    with pytest.raises(ValueError, match=reason):
        policy_from_setting(value)
