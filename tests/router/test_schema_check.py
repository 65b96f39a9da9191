"""The schema registry checks: breaking-change classes, drift, acknowledgements and operation checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import build_schema

from hockey_hub.schema import Composed, Workspace, check, format_report, write_files
from router.composition import SubgraphSource, compose
from router.composition.diff import Level, diff_schemas

FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])\n'


@pytest.mark.parametrize(
    ("before", "after", "level", "code", "coordinate"),
    [
        ("type Query { a: Int } type Gone { x: Int }", "type Query { a: Int }", Level.BREAKING, "TYPE_REMOVED", "Gone"),
        ("type Query { a: Int b: Int }", "type Query { a: Int }", Level.BREAKING, "FIELD_REMOVED", "Query.b"),
        ("type Query { a(x: Int): Int }", "type Query { a: Int }", Level.BREAKING, "ARGUMENT_REMOVED", "Query.a(x:)"),
        (
            "type Query { a: E } enum E { X Y }",
            "type Query { a: E } enum E { X }",
            Level.BREAKING,
            "ENUM_VALUE_REMOVED",
            "E.Y",
        ),
        ("type Query { a: Int }", "type Query { a: String }", Level.BREAKING, "FIELD_CHANGED_TYPE", "Query.a"),
        (
            "type Query { a: Int }",
            "type Query { a(x: Int!): Int }",
            Level.BREAKING,
            "REQUIRED_ARGUMENT_ADDED",
            "Query.a(x:)",
        ),
        (
            "type Query { a(i: I): Int } input I { x: Int }",
            "type Query { a(i: I): Int } input I { x: Int y: Int! }",
            Level.BREAKING,
            "REQUIRED_INPUT_FIELD_ADDED",
            "I.y",
        ),
        ("type Query { a: Int! }", "type Query { a: Int }", Level.BREAKING, "FIELD_BECAME_NULLABLE", "Query.a"),
        (
            "type Query { a(x: Int): Int }",
            "type Query { a(x: Int!): Int }",
            Level.BREAKING,
            "INPUT_TYPE_CHANGED",
            "Query.a(x:)",
        ),
        (
            "type Query { a: E } enum E { X }",
            "type Query { a: E } enum E { X Y }",
            Level.DANGEROUS,
            "ENUM_VALUE_ADDED",
            "E.Y",
        ),
        (
            "type Query { a(x: Int = 1): Int }",
            "type Query { a(x: Int = 2): Int }",
            Level.DANGEROUS,
            "DEFAULT_VALUE_CHANGED",
            "Query.a(x:)",
        ),
        ("type Query { a: Int }", "type Query { a: Int b: Int }", Level.SAFE, "FIELD_ADDED", "Query.b"),
        ("type Query { a: Int }", "type Query { a: Int! }", Level.SAFE, "FIELD_TYPE_NARROWED", "Query.a"),
        (
            "type Query { a(x: Int!): Int }",
            "type Query { a(x: Int): Int }",
            Level.SAFE,
            "INPUT_TYPE_WIDENED",
            "Query.a(x:)",
        ),
        (
            "type Query { a: Int }",
            "type Query { a(x: Int): Int }",
            Level.SAFE,
            "OPTIONAL_ARGUMENT_ADDED",
            "Query.a(x:)",
        ),
    ],
)
def test_each_change_is_classified(before: str, after: str, level: Level, code: str, coordinate: str) -> None:
    changes = diff_schemas(build_schema(before), build_schema(after))
    assert [(c.level, c.code, c.coordinate) for c in changes] == [(level, code, coordinate)]


ROSTER_V1 = (
    FED
    + """
type Query { players: [Player!]! }
type Player @key(fields: "id") { id: ID! name: String! number: Int }
"""
)
ROSTER_V2 = (
    FED
    + """
type Query { players: [Player!]! }
type Player @key(fields: "id") { id: ID! name: String! }
"""
)
ROSTER_SCREEN = "query Roster { players { id name number } }\n"
NAMES_ONLY = "query Names { players { name } }\n"


def _composed(sdl: str) -> Composed:
    return Composed({"roster": sdl}, compose([SubgraphSource("roster", "http://roster/graphql", sdl)]))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    space = Workspace.of(tmp_path)
    (space.operations).mkdir(parents=True)
    (space.operations / "Roster.graphql").write_text(ROSTER_SCREEN)
    (space.operations / "Names.graphql").write_text(NAMES_ONLY)
    return space


def test_a_removed_field_is_breaking_and_names_the_operations_using_it(workspace: Workspace) -> None:
    # given the committed v1 supergraph, and a change that removes Player.number
    base = _composed(ROSTER_V1).result.supergraph_sdl
    composed = _composed(ROSTER_V2)
    write_files(composed, workspace)
    # when the registry checks the change
    report = check(composed, base_sdl=base, base="main", workspace=workspace)
    # then the removal is breaking, not acknowledged, used by the Roster screen, whose document no longer validates
    assert not report.ok
    assert [(c.code, c.coordinate) for c in report.unacknowledged_breaking] == [("FIELD_REMOVED", "Player.number")]
    assert report.affected_operations == {"Player.number": ["Roster"]}
    assert [(p["operation"], p["message"]) for p in report.operation_problems] == [
        ("Roster", "Cannot query field 'number' on type 'Player'. Did you mean 'name'?")
    ]
    text = format_report(report)
    assert "[breaking] field Player.number was removed; used by Roster" in text
    assert "schema/breaking-changes.allow" in text


def test_an_acknowledged_breaking_change_passes(workspace: Workspace) -> None:
    (workspace.operations / "Roster.graphql").write_text("query Roster { players { id name } }\n")
    workspace.allow_file.write_text("# coordinate: reason\nPlayer.number: numbers moved to the season roster\n")
    composed = _composed(ROSTER_V2)
    write_files(composed, workspace)
    report = check(composed, base_sdl=_composed(ROSTER_V1).result.supergraph_sdl, base="main", workspace=workspace)
    assert report.ok
    assert report.acknowledged == {"Player.number": "numbers moved to the season roster"}
    assert report.as_dict()["changes"]["items"][0]["acknowledged"] == "numbers moved to the season roster"


def test_drift_of_the_committed_files_fails_with_a_diff(workspace: Workspace) -> None:
    write_files(_composed(ROSTER_V1), workspace)
    report = check(_composed(ROSTER_V2), base_sdl=None, base="main", workspace=workspace)
    assert {drift.path for drift in report.drift} == {"schema/subgraphs/roster.graphql", "schema/supergraph.graphql"}
    assert '-type Player @key(fields: "id") { id: ID! name: String! number: Int }' in report.drift[0].diff
    assert report.base_note == "no supergraph at main: nothing to compare with"
    assert not report.ok


def test_a_composition_error_fails_the_check(workspace: Workspace) -> None:
    broken = _composed(FED + 'type Query { p: Player } type Player @key(fields: "uuid") { id: ID! }')
    report = check(broken, base_sdl=None, base="main", workspace=workspace)
    assert not report.ok
    assert report.composition_errors[0].startswith("KEY_INVALID_FIELDS [roster]")


def test_the_command_reports_the_project_as_json() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "hockey_hub.cli", "schema", "check", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(finished.stdout)
    assert report["composition"] == {"ok": True, "errors": []}
    assert report["operations"]["checked"] >= 30
    assert report["operations"]["problems"] == []
    assert finished.returncode == (0 if report["ok"] else 1)


def test_compose_takes_a_subgraph_from_a_file_or_a_running_service(tmp_path: Path) -> None:
    import socket
    import threading
    import time

    import uvicorn

    from hockey_hub.schema import subgraph_sdl
    from hockey_hub.services import app_module

    # given the user subgraph's SDL in a file with one field added, and the user service's schema served
    # by a running HTTP server (a bare Strawberry app: `_service { sdl }` needs no database)
    edited = subgraph_sdl("user").replace(
        "type Query {", 'type Query {\n  """Added for the test."""\n  rinkCount: Int', 1
    )
    (tmp_path / "user.graphql").write_text(edited)
    from strawberry.asgi import GraphQL

    app = GraphQL(app_module("training").SUBGRAPH.schema)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        # when composing with both
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "hockey_hub.cli",
                "schema",
                "compose",
                "--print",
                "--subgraph",
                f"user={tmp_path / 'user.graphql'}",
                "--subgraph",
                f"training=http://127.0.0.1:{port}/graphql",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    # then the supergraph on stdout has the file's field, and the served subgraph's types
    assert finished.returncode == 0, finished.stderr
    assert "rinkCount: Int @join__field(graph: USER)" in finished.stdout
    assert "type WorkoutAssignment" in finished.stdout


def test_compose_refuses_an_unknown_subgraph_name() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "hockey_hub.cli", "schema", "compose", "--print", "--subgraph", "rink=x.graphql"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    assert "NAME one of user" in finished.stderr
