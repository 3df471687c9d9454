"""Fields the compiled read path covers beyond the first pages (issue 17, item 2): each
document runs through an app with compiled reads and one without on the same data, and the
answers must be equal, nulls, errors and order included; the statement counts show the
compiled path did run (one statement) where it should."""

from __future__ import annotations


async def test_below_a_cascade_the_policy_is_checked_for_others(twins, tenant):
    """The cascade below the caller's own RHK reaches pegawai they do not appraise (five
    levels): their personnel fields are not the caller's to read. The compiled path checked
    them as the caller's own (the root's relation) and showed them; it now falls back, and
    the resolvers refuse each beyond the caller's reach."""
    from tests.test_graphql_skp import build_cascade

    top, _ = await build_cascade(tenant, width=1)
    query = """{ skpSaya { nodes { rhk { cascadeBawah { kedalaman
      pemilik { nip golongan } } } } } }"""
    body, _, _ = await twins.both(top.nip, query)
    nodes = body["data"]["skpSaya"]["nodes"][0]["rhk"][0]["cascadeBawah"]
    # Those the caller appraises, or whose penilai they appraise: theirs; deeper: refused.
    readable = [(n["kedalaman"], n["pemilik"]["golongan"] is not None) for n in nodes]
    assert {depth for depth, shown in readable if shown} == {1, 2}
    assert {depth for depth, shown in readable if not shown} == {3, 4, 5}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    # Without the personnel field the same cascade is compiled.
    plain = query.replace("golongan", "nama")
    _, compiled, resolved = await twins.both(top.nip, plain)
    assert compiled == 1 and resolved > compiled
