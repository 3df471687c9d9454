"""Capaian per aspect (ekinerja/pelaksanaan/capaian.py): the pure rules, and the tenant's
overrides of which aspects are additive or smaller-is-better."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ekinerja import pengaturan
from ekinerja.models.tenant import TenantSetting
from ekinerja.pelaksanaan.capaian import (
    ADDITIVE_SETTING,
    SMALLER_IS_BETTER_SETTING,
    CapaianRules,
    capaian_persen,
    load_rules,
    realised_to_date,
    target_value,
    weighted,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

RULES = CapaianRules()
D = Decimal
T = ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]


@pytest.mark.parametrize(
    ("aspek", "target", "realised", "expected"),
    [
        ("KUANTITAS", D(12), D(3), D("25.00")),
        ("KUANTITAS", D(12), D(15), D("125.00")),
        ("KUANTITAS", D(3), D(2), D("66.67")),
        ("KUANTITAS", D(3), D(1), D("33.33")),
        ("BIAYA", D(200), D(50), D("25.00")),
        ("KUALITAS", D(90), D(81), D("90.00")),
        (None, D(4), D(1), D("25.00")),  # no aspect: measured like a quantity
        # Smaller is better: 10 months against 12 is more than on target.
        ("WAKTU", D(12), D(10), D("120.00")),
        ("WAKTU", D(12), D(15), D("80.00")),
        ("WAKTU", D(12), D(12), D("100.00")),
    ],
)
def test_capaian_is_realised_over_target_or_inverted_where_smaller_is_better(
    aspek, target, realised, expected
):
    assert capaian_persen(aspek, target, realised, RULES) == expected


def test_capaian_cannot_be_said_without_a_usable_target_or_realisation():
    assert capaian_persen("KUANTITAS", D(0), D(5), RULES) is None  # zero target
    assert capaian_persen("KUANTITAS", None, D(5), RULES) is None
    assert capaian_persen("KUANTITAS", D(12), None, RULES) is None
    assert capaian_persen("WAKTU", D(12), D(0), RULES) is None  # zero realised, inverted
    assert capaian_persen("WAKTU", None, D(3), RULES) is None
    assert capaian_persen("WAKTU", D(0), D(3), RULES) is None  # zero target, inverted
    # Zero realised of a quantity is simply nothing achieved yet.
    assert capaian_persen("KUANTITAS", D(12), D(0), RULES) == D("0.00")


def test_capaian_rounds_half_up_to_two_decimals():
    # 1.0004 / 8 × 100 = 12.505 exactly: half up gives 12.51 (banker's rounding 12.50).
    assert capaian_persen("KUANTITAS", D(8), D("1.0004"), RULES) == D("12.51")
    # Just below the boundary stays down.
    assert capaian_persen("KUANTITAS", D(8), D("1.0003"), RULES) == D("12.50")
    # 8 / 1.0004 × 100 = 799.68…: inverted ratios round the same way.
    assert capaian_persen("WAKTU", D(8), D("1.0004"), RULES) == D("799.68")
    assert capaian_persen("KUANTITAS", D(3), D(2), RULES).as_tuple().exponent == -2


def test_the_target_is_a_ranges_upper_bound_else_the_target():
    assert target_value(D(80), D(90)) == D(90)
    assert target_value(D(80), None) == D(80)
    assert target_value(None, D(7)) == D(7)
    assert target_value(None, None) is None


def test_additive_aspects_sum_the_windows_so_far_skipping_missing_ones():
    by_window = {"2026-T1": D(3), "2026-T3": D(4), "2026-T4": D(100)}
    assert realised_to_date("KUANTITAS", by_window, T[:1], RULES) == D(3)
    assert realised_to_date("KUANTITAS", by_window, T[:2], RULES) == D(3)  # T2 missing
    assert realised_to_date("KUANTITAS", by_window, T[:3], RULES) == D(7)  # T4 not yet
    assert realised_to_date("BIAYA", {"2026-T2": D("1.5")}, T[:2], RULES) == D("1.5")
    assert realised_to_date(None, by_window, T[:3], RULES) == D(7)  # no aspect: additive
    # A window recorded with a narrative only (no quantity) is skipped too.
    assert realised_to_date("KUANTITAS", {"2026-T1": None, "2026-T2": D(2)}, T[:2], RULES) == 2
    # Nothing recorded yet: unknown, not zero.
    assert realised_to_date("KUANTITAS", {}, T[:2], RULES) is None
    assert realised_to_date("KUANTITAS", {"2026-T1": None}, T[:2], RULES) is None
    assert realised_to_date("KUANTITAS", by_window, [], RULES) is None


def test_non_additive_aspects_take_the_windows_own_value():
    by_window = {"2026-T1": D(80), "2026-T2": D(90)}
    assert realised_to_date("KUALITAS", by_window, T[:1], RULES) == D(80)
    assert realised_to_date("KUALITAS", by_window, T[:2], RULES) == D(90)
    # Not carried over from an earlier window.
    assert realised_to_date("KUALITAS", by_window, T[:3], RULES) is None
    assert realised_to_date("WAKTU", {"2026-T1": D(10)}, T[:1], RULES) == D(10)
    assert realised_to_date("WAKTU", {"2026-T1": D(10)}, T[:2], RULES) is None


def test_weighted_ignores_missing_and_zero_weights_and_counts_unknown_capaian_as_zero():
    assert weighted([(D(80), D(10)), (D(100), D(30))]) == D("95.00")
    assert weighted([(D(80), D(10)), (D(100), D(30)), (D(5), None), (D(7), D(0))]) == D("95.00")
    assert weighted([(None, D(10)), (D(100), D(10))]) == D("50.00")
    assert weighted([(D(100), D(1)), (D(0), D(2))]) == D("33.33")
    assert weighted([(D(1), D(1)), (D(0), D(7))]) == D("0.13")  # 0.125 rounds half up
    assert weighted([(D(80), None), (D(90), D(0))]) is None
    assert weighted([]) is None


def test_rules_follow_the_defaults():
    assert RULES.is_additive("KUANTITAS") and RULES.is_additive("BIAYA")
    assert RULES.is_additive(None)
    assert not RULES.is_additive("KUALITAS") and not RULES.is_additive("WAKTU")
    assert RULES.smaller_is_better == frozenset({"WAKTU"})


async def test_load_rules_reads_the_tenants_overrides(tenant, other_tenant):
    async with tenant_transaction(as_bound(tenant)):
        assert await load_rules() == CapaianRules()
        await TenantSetting.create(key=ADDITIVE_SETTING, value=["KUANTITAS", "WAKTU"])
        await TenantSetting.create(key=SMALLER_IS_BETTER_SETTING, value=["BIAYA"])
        pengaturan.lupakan()  # written behind the reader's back: as the watcher would
        rules = await load_rules()
    assert rules.additive == frozenset({"KUANTITAS", "WAKTU"})
    assert rules.smaller_is_better == frozenset({"BIAYA"})
    assert not rules.is_additive("BIAYA")
    assert realised_to_date("WAKTU", {"2026-T1": D(2), "2026-T2": D(3)}, T[:2], rules) == D(5)
    assert realised_to_date("BIAYA", {"2026-T1": D(2), "2026-T2": D(3)}, T[:2], rules) == D(3)
    assert capaian_persen("WAKTU", D(12), D(10), rules) == D("83.33")  # no longer inverted
    assert capaian_persen("BIAYA", D(100), D(80), rules) == D("125.00")  # now inverted

    # One override alone leaves the other at its default; another tenant is untouched.
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.filter(key=ADDITIVE_SETTING).delete()
        pengaturan.lupakan()
        partial = await load_rules()
    assert partial == CapaianRules(smaller_is_better=frozenset({"BIAYA"}))
    async with tenant_transaction(as_bound(other_tenant)):
        assert await load_rules() == CapaianRules()
        # A setting that is not a list of aspect names falls back to the default.
        await TenantSetting.create(key=SMALLER_IS_BETTER_SETTING, value={"aspek": "WAKTU"})
        pengaturan.lupakan()
        assert await load_rules() == CapaianRules()
