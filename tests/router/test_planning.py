"""The router over fixture subgraphs: for each federation feature, the plan (snapshot) and the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.router.club import data
from tests.router.club.harness import Club, fresh_data, running_club
from tests.support.snapshots import assert_snapshot

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture(scope="module")
async def club(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Club]:
    async with running_club(tmp_path_factory.mktemp("club")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(club: Club) -> Iterator[None]:
    with fresh_data():
        club.clear()
        yield


async def check(club: Club, name: str, query: str, variables: dict[str, object] | None = None) -> Any:
    assert_snapshot(SNAPSHOTS, name, club.plan(query))
    return await club.data(query, variables)


async def test_a_single_key_jump_and_an_overridden_field(club: Club) -> None:
    # points moved from roster to stats with @override: stats answers it
    data = await check(club, "single_key", "{ players { name points } }")
    assert data == {
        "players": [
            {"name": "Elias Lund", "points": 20},
            {"name": "Noah Berg", "points": 1},
            {"name": "Viktor Holm", "points": 13},
        ]
    }
    assert len(club.requests["stats"]) == 1
    assert not club.requests["medical"]


async def test_a_compound_key(club: Club) -> None:
    # medical knows players only by team and number
    data = await check(club, "compound_key", "{ players { number status } }")
    assert [p["status"] for p in data["players"]] == ["INJURED", "AVAILABLE", "INJURED"]
    representations = club.requests["medical"][0]["variables"]["representations"]
    assert representations[0] == {"__typename": "Player", "teamId": "t1", "number": 9}


async def test_a_nested_key_from_a_subgraph_that_knows_only_that_key(club: Club) -> None:
    data = await check(club, "nested_key", "{ drillPlayers { number drills name } }")
    assert data["drillPlayers"][0] == {"number": 9, "drills": ["edges", "passing"], "name": "Elias Lund"}
    representation = club.requests["roster"][0]["variables"]["representations"][0]
    assert representation == {"__typename": "Player", "team": {"id": "t1"}, "number": 9}


async def test_references_that_only_the_owner_resolves(club: Club) -> None:
    data = await check(club, "unresolvable_reference", "{ scoutedTeams { id name } }")
    assert data == {"scoutedTeams": [{"id": "t1", "name": "Lynx"}, {"id": "t2", "name": "Otters"}]}


async def test_requires_with_several_fields(club: Club) -> None:
    data = await check(club, "requires", "{ players { label } }")
    assert [p["label"] for p in data["players"]] == ["#9 C", "#30 G", "#4 D"]


async def test_requires_with_a_nested_selection(club: Club) -> None:
    data = await check(club, "requires_nested", "{ players { jersey } }")
    assert [p["jersey"] for p in data["players"]] == ["Lynx 9", "Lynx 30", "Otters 4"]
    representation = club.requests["stats"][0]["variables"]["representations"][0]
    assert representation["team"] == {"name": "Lynx"}


async def test_requires_on_a_field_with_arguments_from_variables(club: Club) -> None:
    query = "query Projection($games: Int!) { players { projectedGoals(games: $games) } }"
    data = await check(club, "requires_arguments", query, {"games": 20})
    assert [p["projectedGoals"] for p in data["players"]] == [25, 0, 4]
    assert club.requests["stats"][0]["variables"]["games"] == 20


async def test_provides_saves_a_fetch(club: Club) -> None:
    data = await check(club, "provides", "{ topScorer { name goals } }")
    assert data == {"topScorer": {"name": "Elias Lund", "goals": 12}}
    assert not club.requests["roster"]


async def test_a_shareable_field_is_taken_where_the_query_already_is(club: Club) -> None:
    scouting = await check(club, "shareable_scouting", "{ drillPlayers { position drills } }")
    assert scouting["drillPlayers"][0] == {"position": "C", "drills": ["edges", "passing"]}
    roster = await check(club, "shareable_roster", "{ players { position } }")
    assert roster["players"][1] == {"position": "G"}
    assert len(club.requests["scouting"]) == 1
    assert len(club.requests["roster"]) == 1


async def test_a_union_whose_members_need_another_subgraph(club: Club) -> None:
    query = '{ search(text: "o") { __typename ... on Player { name status } ... on Team { name } } }'
    data = await check(club, "union", query)
    assert data == {
        "search": [
            {"__typename": "Player", "name": "Noah Berg", "status": "AVAILABLE"},
            {"__typename": "Player", "name": "Viktor Holm", "status": "INJURED"},
            {"__typename": "Team", "name": "Otters"},
        ]
    }


async def test_an_entity_interface_extended_by_an_interface_object(club: Club) -> None:
    query = (
        '{ player: node(id: "p1") { id lastActivity ... on Player { name } } team: node(id: "t2") { lastActivity } }'
    )
    data = await check(club, "interface_object", query)
    assert data == {
        "player": {"id": "p1", "lastActivity": "skated", "name": "Elias Lund"},
        "team": {"lastActivity": "travelled"},
    }
    typenames = {r["__typename"] for r in club.requests["training"][0]["variables"]["representations"]}
    assert typenames == {"Node"}


async def test_fragments_aliases_variables_directives_and_typenames(club: Club) -> None:
    query = """
    query Board($id: ID!, $withMedical: Boolean!, $skipStats: Boolean!) {
      squad: team(id: $id) {
        __typename
        title: name
        players {
          ...Line
          health: status @include(if: $withMedical)
          goals @skip(if: $skipStats)
        }
      }
    }
    fragment Line on Player { nick: name number team { __typename id } }
    """
    with_medical = await check(
        club, "fragments_and_directives", query, {"id": "t1", "withMedical": True, "skipStats": True}
    )
    assert with_medical == {
        "squad": {
            "__typename": "Team",
            "title": "Lynx",
            "players": [
                {"nick": "Elias Lund", "number": 9, "team": {"__typename": "Team", "id": "t1"}, "health": "INJURED"},
                {"nick": "Noah Berg", "number": 30, "team": {"__typename": "Team", "id": "t1"}, "health": "AVAILABLE"},
            ],
        }
    }
    assert not club.requests["stats"]  # the skipped field's whole fetch is left out
    club.clear()
    without = await club.data(query, {"id": "t1", "withMedical": False, "skipStats": False})
    assert without["squad"]["players"][0] == {
        "nick": "Elias Lund",
        "number": 9,
        "team": {"__typename": "Team", "id": "t1"},
        "goals": 12,
    }
    assert not club.requests["medical"]


async def test_mutations_run_in_order_across_subgraphs(club: Club) -> None:
    query = """
    mutation Rename {
      first: renamePlayer(id: "p1", name: "Elias A") { name }
      recordInjury(playerId: "p1", bodyPart: "ankle") { bodyPart }
      second: renamePlayer(id: "p1", name: "Elias B") { name status }
    }
    """
    result = await check(club, "mutations_in_order", query)
    assert data.MUTATIONS == ["roster:rename:Elias A", "medical:injury:ankle", "roster:rename:Elias B"]
    assert result == {
        "first": {"name": "Elias A"},
        "recordInjury": {"bodyPart": "ankle"},
        "second": {"name": "Elias B", "status": "INJURED"},
    }


async def test_the_same_entity_is_fetched_once_per_path(club: Club) -> None:
    data = await club.data("{ players { team { name lastActivity } } }")
    assert [p["team"]["lastActivity"] for p in data["players"]] == ["practiced", "practiced", "travelled"]
    assert len(club.requests["training"]) == 1
    assert len(club.requests["training"][0]["variables"]["representations"]) == 2  # t1 once, t2 once


async def test_introspection_is_answered_by_the_router(club: Club) -> None:
    data = await club.data('{ __schema { queryType { name } } __type(name: "Player") { fields { name } } }')
    assert data["__schema"] == {"queryType": {"name": "Query"}}
    names = {f["name"] for f in data["__type"]["fields"]}
    assert {"name", "status", "points", "lastActivity", "drills"} <= names
    assert not any(club.requests.values())


PROGRESSIVE_A = """extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])
type Query { player(id: ID!): Player }
type Player @key(fields: "id") { id: ID! points: Int }
"""
PROGRESSIVE_B = """extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@override"])
type Player @key(fields: "id") { id: ID! points: Int @override(from: "a", label: "new-stats") }
"""


def test_progressive_override_moves_a_field_while_its_label_is_on() -> None:
    from graphql import parse

    from router.composition import SubgraphSource, compose
    from router.federation.model import load_federated_schema
    from router.planner.build import QueryPlanner
    from router.planner.operation import select_operation

    sdl = compose(
        [SubgraphSource("a", "http://a/graphql", PROGRESSIVE_A), SubgraphSource("b", "http://b/graphql", PROGRESSIVE_B)]
    ).supergraph_sdl
    assert sdl is not None
    schema = load_federated_schema(sdl)
    assert schema.override_labels == frozenset({"new-stats"})
    operation = select_operation(parse('{ player(id: "1") { points } }'), None)
    planner = QueryPlanner(schema)
    off, on = planner.plan(operation).describe(), planner.plan(operation, frozenset({"new-stats"})).describe()
    assert 'Fetch(service: "b")' not in off
    assert 'Fetch(service: "b")' in on
    assert_snapshot(SNAPSHOTS, "progressive_override_on", on)
