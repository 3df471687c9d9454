"""The naming rule (docs/naming.md, decision 0027): docs/naming-inventory.md lists every name
that breaks it, and stays true.

The rename comes later, in one breaking change with the 1.0 contract, so today's violations do
not fail this test; a stale inventory does: a change that adds or removes a violation (or a word
the lexicons do not know) must regenerate the inventory, and the diff shows it in review."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "naming_inventory.py"


@pytest.fixture(scope="module")
def naming():
    spec = importlib.util.spec_from_file_location("naming_inventory", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_committed_inventory_is_current():
    # In a process of its own: reading the models initialises Tortoise's global registry, which
    # the other tests' database set-up owns.
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, (
        f"{run.stdout}{run.stderr}\ndocs/naming-inventory.md is stale: run "
        "./.venv/bin/python scripts/naming_inventory.py and commit it (and classify a new word "
        "in the script's lexicons)"
    )


def test_a_word_is_in_one_lexicon_only(naming):
    english = set(naming.ENGLISH_KEPT) | set(naming.ENGLISH_RENAMED)
    assert not naming.INDONESIAN & english
    assert not set(naming.ENGLISH_KEPT) & set(naming.ENGLISH_RENAMED)
    assert naming.VERBS <= naming.INDONESIAN


def test_the_suggested_names_keep_the_rule(naming):
    for old, new in naming.MUTATION_RENAMES.items():
        assert naming.words_of(new)[0] in naming.VERBS, old
        assert not naming._judge_words(
            naming.words_of(new), naming.ENGLISH_KEPT, naming.ENGLISH_TERMS
        ), new


def test_names_are_split_into_words(naming):
    assert naming.words_of("expectedVersion") == ["expected", "version"]
    assert naming.words_of("SiasnSkp22Page") == ["siasn", "skp", "22", "page"]
    assert naming.words_of("BUTUH_PERBAIKAN") == ["butuh", "perbaikan"]
    assert naming.words_of("dicabut_pada") == ["dicabut", "pada"]


def test_the_check_finds_what_breaks_the_rule(naming):
    sdl = """
        type Query { skpSaya: [Skp!]! me: Skp }
        type Skp { id: ID! diajukanPada: String createdAt: String rhkSKP: Int clientSecret: String }
        enum StatusSkp { DRAFT DIAJUKAN APPROVED }
        enum SkpErrorCode { NOT_FOUND }
        type Mutation { ajukanSkp(skpId: ID!): Skp submitSkp(skpId: ID!): Skp }
    """
    found = {(f.kind, f.name) for f in naming.schema_findings(sdl)}
    assert found == {
        ("query", "Query.me"),
        ("field", "Skp.createdAt"),
        ("field", "Skp.rhkSKP"),  # acronyms are words: rhkSkp
        ("enum value", "StatusSkp.APPROVED"),
        ("mutation", "Mutation.submitSkp"),
    }


def test_an_unknown_word_is_reported_not_guessed(naming):
    found = naming.schema_findings("type Query { skpFoo: Int }")
    assert [f.problem for f in found] == ["`foo` unclassified"]
