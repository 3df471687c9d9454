"""Penilaian (assessment): ratings, predikat, the distribution curve and angka kredit."""
