"""What operations of every service share: `_entities` reads of a subject's entity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.authorization.cases import Case, Operation, Variables, substantive


async def _season(case: Case) -> Variables:
    return {"seasonId": str(case.world.club.season_id)}


def entity(
    typename: str,
    selection: str,
    *,
    key: Callable[[Case], Awaitable[str]] | None = None,
    in_season: bool = False,
    substance: Callable[[Any], bool] = substantive,
) -> Operation:
    """An `_entities` read of one representation (the case's player unless `key` names another record);
    `in_season` declares `$seasonId` (the demo season) for selections whose fields take one."""

    async def variables(case: Case) -> Variables:
        identifier = await key(case) if key is not None else case.player_id
        extra = await _season(case) if in_season else {}
        return {"representations": [{"__typename": typename, "id": identifier}], **extra}

    declared = ", $seasonId: ID!" if in_season else ""
    document = (
        f"query Entities($representations: [_Any!]!{declared}) {{ _entities(representations: $representations) "
        f"{{ ... on {typename} {{ {selection} }} }} }}"
    )
    return Operation(document, variables, substance)
