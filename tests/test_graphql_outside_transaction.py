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
    await run_before(None, document, None, {}, 2000)
    await run_before(None, document, None, {"id": "7"}, 2000)
    await run_before(None, document, None, {"id": None}, 2000)  # an explicit null stays null
    assert seen == ["5", "7", None]
