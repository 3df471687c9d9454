"""The predikat matrix (docs/domain.md 5.2): every cell, the argument order, and rank ordering."""

from __future__ import annotations

import pytest

from ekinerja.penilaian.enums import PredikatPegawai, Rating
from ekinerja.penilaian.predikat import MATRIX, predikat

A, S, B = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI
P = PredikatPegawai


@pytest.mark.parametrize(
    ("perilaku", "hasil_kerja", "expected"),
    [
        (A, B, P.BUTUH_PERBAIKAN),
        (A, S, P.BAIK),
        (A, A, P.SANGAT_BAIK),
        (S, B, P.BUTUH_PERBAIKAN),
        (S, S, P.BAIK),
        (S, A, P.BAIK),
        (B, B, P.SANGAT_KURANG),
        (B, S, P.KURANG),
        (B, A, P.KURANG),
    ],
)
def test_every_cell_of_the_matrix(perilaku, hasil_kerja, expected):
    assert predikat(hasil_kerja=hasil_kerja, perilaku=perilaku) is expected
    assert predikat(hasil_kerja, perilaku) is expected
    assert MATRIX[(perilaku, hasil_kerja)] is expected


def test_matrix_has_exactly_the_nine_cells_and_is_read_only():
    assert set(MATRIX) == {(p, h) for p in Rating for h in Rating}
    with pytest.raises(TypeError):
        MATRIX[(A, A)] = P.BAIK  # type: ignore[index]


def test_hasil_comes_first_in_the_function():
    # The known wrong variant maps hasil Di Atas + perilaku Sesuai to Sangat Baik.
    assert predikat(A, S) is P.BAIK
    assert predikat(hasil_kerja=A, perilaku=S) is P.BAIK
    # Swapping the arguments of an asymmetric cell changes the answer.
    assert predikat(B, A) is P.BUTUH_PERBAIKAN  # hasil below, perilaku above
    assert predikat(A, B) is P.KURANG  # hasil above, perilaku below: misconduct


def test_sangat_baik_only_when_both_ratings_are_above():
    cells = [(h, p) for h in Rating for p in Rating if predikat(h, p) is P.SANGAT_BAIK]
    assert cells == [(A, A)]


def test_plain_strings_are_accepted_and_unknown_values_refused():
    assert predikat("DI_ATAS_EKSPEKTASI", "DI_ATAS_EKSPEKTASI") is P.SANGAT_BAIK
    with pytest.raises(ValueError):
        predikat("LUAR_BIASA", "SESUAI_EKSPEKTASI")


def test_rank_orders_best_to_worst():
    ordered = sorted(PredikatPegawai, key=lambda p: p.rank, reverse=True)
    assert ordered == [P.SANGAT_BAIK, P.BAIK, P.BUTUH_PERBAIKAN, P.KURANG, P.SANGAT_KURANG]
    assert [p.rank for p in ordered] == [5, 4, 3, 2, 1]
    # Butuh Perbaikan ranks above Kurang (a peer gets this wrong), unlike string order.
    assert P.BUTUH_PERBAIKAN.rank > P.KURANG.rank
    assert max(P.BAIK, P.KURANG, key=lambda p: p.rank) is P.BAIK


def test_labels():
    assert {p: p.label for p in PredikatPegawai} == {
        P.SANGAT_BAIK: "Sangat Baik",
        P.BAIK: "Baik",
        P.BUTUH_PERBAIKAN: "Butuh Perbaikan",
        P.KURANG: "Kurang/Misconduct",
        P.SANGAT_KURANG: "Sangat Kurang",
    }
