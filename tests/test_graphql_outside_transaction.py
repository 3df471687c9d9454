"""The steps an operation runs before its transaction (decision 0018) see every argument its
resolvers will receive, however the document spells it."""

from __future__ import annotations

import pytest

from ekinerja.schema import outside_transaction
from ekinerja.schema.outside_transaction import argument, before_transaction, run_before

FIELD = "stepUnderTest"


@pytest.fixture
def seen():
    found: list = []

    @before_transaction(FIELD)
    async def step(context, field, variables):
        found.append(argument(field, "id", variables))

    yield found
    del outside_transaction._STEPS[FIELD]


async def test_a_variable_left_out_takes_its_default(seen):
    document = f'mutation($id: ID = "5") {{ a: {FIELD}(id: $id) {{ x }} }}'
    await run_before(None, document, None, {}, 2000, 30)
    await run_before(None, document, None, {"id": "7"}, 2000, 30)
    await run_before(None, document, None, {"id": None}, 2000, 30)  # an explicit null stays null
    assert seen == ["5", "7", None]


async def test_steps_stop_at_what_the_alias_limit_lets_through(seen):
    """Steps run before validation: 200 aliased selections (which validation refuses) must not
    cost 200 store calls; at most the alias limit + 1 steps run."""
    selections = " ".join(f'a{n}: {FIELD}(id: "{n}") {{ x }}' for n in range(200))
    await run_before(None, f"mutation {{ {selections} }}", None, {}, 20000, 30)
    assert seen == [str(n) for n in range(31)]
