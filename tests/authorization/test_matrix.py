"""The permission matrix, run: every cell of `permissions.toml` as a real operation over HTTP.

One test per row; its callers run concurrently, each against a record related to them and, for
relation cells, one that is not. A failure lists every caller whose answer differs from the table.

`HOCKEY_HUB_MATRIX_DRAFT=FILE` drafts rows for operations the table does not have yet: it runs them as
every caller on both anchor players and writes what came back (`home|away` where the two differ), to be
checked against DESIGN.md by a person before it goes into the table.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.authorization.cases import Case, check_cell, observed
from tests.authorization.operations import OPERATIONS
from tests.authorization.table import Caller, Row, load_table
from tests.authorization.world import World

ROWS = load_table()
DRAFT = os.environ.get("HOCKEY_HUB_MATRIX_DRAFT")

# Rows whose fields are still being built, by row key, with why they fail: the table says what they must
# do, and the row runs as an expected failure until they do it.
UNFINISHED: dict[str, str] = {}


def _marked(row: Row) -> object:
    reason = UNFINISHED.get(row.key)
    if reason is None:
        return row
    return pytest.param(row, marks=pytest.mark.xfail(reason=f"work in progress: {reason}", strict=False))


@pytest.mark.parametrize("row", [_marked(row) for row in ROWS], ids=lambda row: row.key)
async def test_each_caller_gets_what_the_table_says(row: Row, world: World) -> None:
    # given the row's operation, and the demo club with its people as callers
    operation = OPERATIONS[row.key]
    # when every caller runs it against their own record (and, for a relation, someone else's)
    results = await asyncio.gather(*(check_cell(world, row, operation, caller) for caller in Caller))
    # then each gets exactly what the table says
    failures = [failure for result in results for failure in result.failures]
    assert not failures, f"{row.key}:\n  " + "\n  ".join(failures)


async def _drafted(world: World, key: str, caller: Caller) -> str:
    service = key.partition(".")[0]
    operation = OPERATIONS[key]
    seen: list[str] = []
    for subject in (world.home(caller), world.away(caller)):
        case = Case(world, caller, subject)
        try:
            variables = await operation.variables(case)
        except AssertionError as failed:
            seen.append(f"(setup failed: {str(failed).splitlines()[0][:300]})")
            continue
        response = await operation.run(service, case, variables)
        seen.append(observed(response, operation)[0])
    return seen[0] if seen[0] == seen[1] else "|".join(seen)


@pytest.mark.skipif(not DRAFT, reason="drafting rows: set HOCKEY_HUB_MATRIX_DRAFT=FILE")
async def test_draft_rows_for_new_operations(world: World) -> None:
    tabled = {row.key for row in ROWS}
    lines = []
    for key in sorted(set(OPERATIONS) - tabled):
        cells = await asyncio.gather(*(_drafted(world, key, caller) for caller in Caller))
        lines.append(f'{key} = "{"  ".join(cells)}"')
    assert DRAFT is not None
    await asyncio.to_thread(Path(DRAFT).write_text, "\n".join(lines) + "\n")
