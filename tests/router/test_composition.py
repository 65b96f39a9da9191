"""Composition: the same supergraph Apollo's composition writes, and a clear error for each broken rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_ast_schema, parse, print_ast

from router.composition import CompositionError, SubgraphSource, compose
from router.federation.api_schema import api_schema

FIXTURES = Path(__file__).parent / "fixtures"
FED = (
    '@link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable", "@external", '
    '"@requires", "@provides", "@override", "@interfaceObject"])'
)


def _sources(folder: Path) -> list[SubgraphSource]:
    return [
        SubgraphSource(path.stem, f"http://{path.stem}.example/graphql", path.read_text())
        for path in sorted(folder.glob("*.graphql"))
    ]


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_the_supergraph_matches_apollos_composition(case: str) -> None:
    # given a set of subgraphs, and the supergraph Apollo's composition wrote for them
    expected = (FIXTURES / case / "supergraph.expected").read_text()
    # when we compose them
    result = compose(_sources(FIXTURES / case))
    # then we write the same supergraph, byte for byte
    assert result.errors == []
    assert result.supergraph_sdl is not None
    assert result.supergraph_sdl.rstrip("\n") == expected.rstrip("\n")


def test_composition_is_deterministic_whatever_the_order_of_subgraphs() -> None:
    sources = _sources(FIXTURES / "entities")
    assert compose(sources).supergraph_sdl == compose(list(reversed(sources))).supergraph_sdl


def test_the_api_schema_drops_federation_machinery_and_inaccessible_elements() -> None:
    sdl = compose(_sources(FIXTURES / "entities")).supergraph_sdl
    assert sdl is not None
    schema = api_schema(sdl)
    product = schema.get_type("Product")
    assert product is not None
    assert "secret" not in product.fields  # type: ignore[attr-defined]
    assert "price" in product.fields  # type: ignore[attr-defined]
    assert not [name for name in schema.type_map if name.startswith(("join__", "link__"))]
    assert schema.get_directive("join__field") is None


def _compose(**subgraphs: str) -> list[CompositionError]:
    return compose(
        [
            SubgraphSource(name, f"http://{name}/graphql", f"extend schema {FED}\n{sdl}")
            for name, sdl in subgraphs.items()
        ]
    ).errors


def _only(errors: list[CompositionError], code: str) -> CompositionError:
    assert [error.code for error in errors] == [code], [str(e) for e in errors]
    return errors[0]


def test_a_field_resolved_by_two_subgraphs_must_be_shareable() -> None:
    error = _only(
        _compose(
            roster='type Query { teams: [Team] } type Team @key(fields: "id") { id: ID! name: String }',
            stats='type Query { leaders: [Team] } type Team @key(fields: "id") { id: ID! name: String }',
        ),
        "INVALID_FIELD_SHARING",
    )
    assert error.coordinate == "Team.name"
    assert set(error.subgraphs) == {"roster", "stats"}
    assert "@shareable" in (error.hint or "")


def test_incompatible_field_types_are_refused() -> None:
    error = _only(
        _compose(
            a='type Query { a: Player } type Player @key(fields: "id") { id: ID! number: Int @shareable }',
            b='type Query { b: Player } type Player @key(fields: "id") { id: ID! number: String @shareable }',
        ),
        "FIELD_TYPE_MISMATCH",
    )
    assert error.coordinate == "Player.number"
    assert "Int in a" in error.message
    assert "String in b" in error.message


def test_nullability_differences_are_merged_not_refused() -> None:
    errors = _compose(
        a='type Query { a: Player } type Player @key(fields: "id") { id: ID! name: String! @shareable }',
        b='type Query { b: Player } type Player @key(fields: "id") { id: ID! name: String @shareable }',
    )
    assert errors == []


def test_incompatible_argument_types_are_refused() -> None:
    error = _only(
        _compose(
            a="type Query { search(limit: Int): [String] @shareable }",
            b="type Query { search(limit: String): [String] @shareable }",
        ),
        "FIELD_ARGUMENT_TYPE_MISMATCH",
    )
    assert error.coordinate == "Query.search(limit:)"


def test_an_entity_key_must_name_fields_that_exist() -> None:
    error = _only(
        _compose(a='type Query { p: Player } type Player @key(fields: "uuid") { id: ID! }'), "KEY_INVALID_FIELDS"
    )
    assert error.coordinate == "Player"
    assert "Player.uuid" in error.message


def test_requires_must_name_external_fields() -> None:
    error = _only(
        _compose(
            a='type Query { p: Player } type Player @key(fields: "id") { id: ID! minutes: Int @shareable }',
            b='type Player @key(fields: "id") '
            '{ id: ID! minutes: Int @shareable load: Int @requires(fields: "minutes") }',
        ),
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
    )
    assert error.coordinate == "Player.load"
    assert "@external" in (error.hint or "")


def test_requires_must_name_fields_that_exist() -> None:
    error = _only(
        _compose(
            a='type Query { p: Player } type Player @key(fields: "id") { id: ID! }',
            b='type Player @key(fields: "id") { id: ID! load: Int @requires(fields: "minutes") }',
        ),
        "REQUIRES_INVALID_FIELDS",
    )
    assert "Player.minutes" in error.message


def test_provides_must_name_external_fields() -> None:
    error = _only(
        _compose(
            a='type Query { p: Player } type Player @key(fields: "id") { id: ID! name: String @shareable }',
            b='type Query { top: Player @provides(fields: "name") } type Player @key(fields: "id") '
            "{ id: ID! name: String @shareable }",
        ),
        "PROVIDES_FIELDS_MISSING_EXTERNAL",
    )
    assert error.coordinate == "Query.top"


def test_override_from_an_unknown_subgraph_is_refused() -> None:
    error = _only(
        _compose(
            a='type Query { p: Player } type Player @key(fields: "id") { id: ID! points: Int @override(from: "stats") }'
        ),
        "OVERRIDE_SOURCE_UNKNOWN",
    )
    assert "'stats'" in error.message
    assert error.coordinate == "Player.points"


def test_enums_used_as_input_and_output_must_match() -> None:
    error = _only(
        _compose(
            a="type Query { byPosition(position: Position): Position } enum Position { CENTER WING }",
            b="type Query { positions: [Position] } enum Position { CENTER WING GOALIE }",
        ),
        "ENUM_VALUE_MISMATCH",
    )
    assert error.coordinate == "Position"


def test_input_types_keep_only_shared_fields_and_refuse_a_missing_required_one() -> None:
    error = _only(
        _compose(
            a="type Query { a(filter: Filter): Int } input Filter { season: Int! team: ID }",
            b="type Query { b(filter: Filter): Int } input Filter { team: ID }",
        ),
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
    )
    assert error.coordinate == "Filter.season"
    assert error.subgraphs == ("a", "b")


def test_an_implementation_must_have_every_interface_field() -> None:
    error = _only(
        _compose(
            a="type Query { n: Node } interface Node { id: ID! label: String } type Game implements Node { id: ID! }",
        ),
        "INTERFACE_FIELD_NO_IMPLEM",
    )
    assert error.coordinate == "Game.label"


def test_a_field_no_query_path_can_reach_is_refused() -> None:
    error = _only(
        _compose(
            roster="type Query { players: [Player] } type Player @shareable { id: ID! name: String }",
            medical="type Player @shareable { id: ID! injuries: [String] }",
        ),
        "SATISFIABILITY_ERROR",
    )
    assert error.coordinate == "Player"
    assert "Player.injuries" in error.message
    assert "@key" in (error.hint or "")


def test_a_type_must_be_the_same_kind_everywhere() -> None:
    error = _only(
        _compose(
            a="type Query { a: Badge } type Badge { id: ID }",
            b="type Query { b: Badge @shareable } enum Badge { GOLD }",
        ),
        "TYPE_KIND_MISMATCH",
    )
    assert error.coordinate == "Badge"


def test_an_unused_external_field_is_refused() -> None:
    error = _only(
        _compose(
            a='type Query { p: Player } type Player @key(fields: "id") { id: ID! name: String }',
            b='type Player @key(fields: "id") { id: ID! name: String @external age: Int }',
        ),
        "EXTERNAL_UNUSED",
    )
    assert error.coordinate == "Player.name"


def test_an_unparsable_subgraph_is_reported_with_its_name() -> None:
    result = compose([SubgraphSource("broken", "http://b/graphql", "type Query { a: }")])
    assert [error.code for error in result.errors] == ["INVALID_GRAPHQL"]
    assert result.errors[0].subgraphs == ("broken",)


def test_the_projects_supergraph_composes_and_round_trips() -> None:
    from hockey_hub.schema import PROJECT, compose_project

    # given the nine subgraphs, composed from their Strawberry schemas
    composed = compose_project()
    assert composed.result.errors == []
    sdl = composed.result.supergraph_sdl
    assert sdl is not None
    # then the supergraph is a valid schema that survives parse -> print -> parse unchanged
    document = parse(sdl)
    build_ast_schema(document)
    printed = print_ast(document)
    assert print_ast(parse(printed)) == printed
    # and its API schema is what the committed file gives
    assert PROJECT.supergraph.exists()
    assert set(api_schema(sdl).type_map) == set(api_schema(PROJECT.supergraph.read_text()).type_map)
    # and Player is one entity that five subgraphs contribute to
    player = next(block for block in sdl.split("\n\n") if "\ntype Player\n" in f"\n{block}")
    graphs = {line.split("graph: ")[1].split(",")[0] for line in player.splitlines() if "@join__type(" in line}
    assert {"USER", "MEDICAL", "TRAINING", "STATISTICS", "PLANNING"} <= graphs


def test_a_field_a_provides_selects_must_be_shareable_where_it_is_resolved() -> None:
    error = _only(
        _compose(
            roster='type Query { p: Player } type Player @key(fields: "id") { id: ID! name: String }',
            stats='type Query { top: Player @provides(fields: "name") } '
            'type Player @key(fields: "id") { id: ID! name: String @external }',
        ),
        "INVALID_FIELD_SHARING",
    )
    assert error.coordinate == "Player.name"
    assert "roster" in error.message


def test_an_interface_object_subgraph_may_not_define_the_implementations() -> None:
    error = _only(
        _compose(
            roster='type Query { n: Node } interface Node @key(fields: "id") { id: ID! } '
            'type Game implements Node @key(fields: "id") { id: ID! }',
            training='type Node @key(fields: "id") @interfaceObject { id: ID! load: Int } '
            'type Game @key(fields: "id") { id: ID! }',
        ),
        "INTERFACE_OBJECT_USAGE_ERROR",
    )
    assert error.coordinate == "Node"
    assert error.subgraphs == ("training",)


def test_a_type_reached_in_a_subgraph_that_cannot_select_any_key_strands_the_other_fields() -> None:
    errors = _compose(
        roster='type Query { players: [Player] } type Player @key(fields: "id") { id: ID! name: String }',
        scouting='type Query { prospects: [Player] } type Player @key(fields: "number") { number: Int! }',
    )
    # neither can select the other's key, so each strands the other's fields
    assert [error.code for error in errors] == ["SATISFIABILITY_ERROR", "SATISFIABILITY_ERROR"]
    from_scouting = next(error for error in errors if "subgraph 'scouting'" in error.message)
    assert "Player.id, Player.name" in from_scouting.message
    assert from_scouting.coordinate == "Player"
