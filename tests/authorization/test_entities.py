"""`_entities` straight at each subgraph, as another club: every entity of this club the subgraph
resolves, with every plain field it has, in one call. Nothing of this club may come back: no id, name,
email or diagnosis, whatever the representation asks for."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)

from hockey_hub.services import SERVICES, subgraph
from tests.authorization.cases import substantive
from tests.authorization.operations.calendar import MAIN_RINK
from tests.authorization.table import Caller
from tests.authorization.world import World

_KEY = re.compile(r"^type (\w+)(?: implements [\w& ]+)? @key\(fields: \"id\"(?!, resolvable: false)", re.MULTILINE)
DIAGNOSES = (
    "Anterior cruciate ligament rupture, right knee",
    "Acromioclavicular joint sprain, grade II, left shoulder",
)


def _entities(service: str) -> list[str]:
    return sorted(set(_KEY.findall(subgraph(service).schema.as_str())))


def _leaf_fields(schema: GraphQLSchema, typename: str) -> list[str]:
    """Fields of the type a selection can name without arguments or sub-selections."""
    kind = schema.get_type(typename)
    assert isinstance(kind, GraphQLObjectType)
    return [
        name for name, field in kind.fields.items() if is_leaf_type(get_named_type(field.type)) and _no_arguments(field)
    ]


def _no_arguments(field: GraphQLField) -> bool:
    return not any(is_non_null_type(arg.type) and arg.default_value is Undefined for arg in field.args.values())


def _keys(world: World, typename: str) -> list[str]:
    """Ids of this club's records of an entity type: the demo's, and those the matrix made at setup."""
    club = world.club
    by_type: dict[str, list[Any]] = {
        "Organization": [club.organization_id],
        "Team": [team.id for team in club.teams],
        "User": [person.id for person in club.staff] + [world.junior.user_id, world.senior.user_id],
        "Player": [world.junior.player_id, world.senior.player_id],
        "Season": [club.season_id],
    }
    made = {"Conversation": "conversation", "CalendarEvent": "event", "PracticePlan": "plan", "Game": "game"}
    if typename in made:
        return [world.found[f"{subject}.{made[typename]}"] for subject in ("junior", "senior")]
    if typename == "CalendarResource":
        return [MAIN_RINK]
    return [str(identifier) for identifier in by_type[typename]]


SERVICE_ENTITIES = [(service, typename) for service in SERVICES for typename in _entities(service)]


@pytest.mark.parametrize(("service", "typename"), SERVICE_ENTITIES, ids=lambda value: str(value))
@pytest.mark.parametrize("caller", [Caller.OTHER_CLUB_ADMIN, Caller.OTHER_COACH])
async def test_another_club_gets_nothing_of_this_club_through_entities(
    world: World, service: str, typename: str, caller: Caller
) -> None:
    # given every record of this club of one entity type, and every plain field the subgraph gives it
    schema: GraphQLSchema = subgraph(service).schema._schema
    fields = " ".join(_leaf_fields(schema, typename))
    representations = [{"__typename": typename, "id": key} for key in _keys(world, typename)]
    document = (
        "query Entities($representations: [_Any!]!) { _entities(representations: $representations) "
        f"{{ ... on {typename} {{ {fields} }} }} }}"
    )
    # when another club's person asks the subgraph itself for them
    response = await world.execute(service, document, {"representations": representations}, as_=caller)
    # then the answer holds none of this club's ids, names, emails or diagnoses, but the ids it was sent
    answer = json.dumps(response.body)
    sent = {str(key) for key in _keys(world, typename)}
    leaked = sorted(marker for marker in (*world.markers, *DIAGNOSES) if marker in answer and marker not in sent)
    assert not leaked, f"{caller} read {leaked} through {service} _entities: {answer[:600]}"
    # and no record came back with more than the id it was asked for
    for found in (response.data or {}).get("_entities") or []:
        assert found is None or not substantive(found), f"{caller} read {found} through {service} _entities"
