"""The permission table itself: it covers every root field of every subgraph, names only fields that
exist, has an operation for each row, and `docs/permissions.md` is printed from it.

`HOCKEY_HUB_UPDATE_DOCS=1` rewrites `docs/permissions.md` instead of comparing it.
"""

from __future__ import annotations

import os
import re

import pytest
from graphql import GraphQLObjectType, GraphQLSchema

from hockey_hub.services import SERVICES, subgraph
from tests.authorization.docs import DOCS_PATH, render
from tests.authorization.operations import OPERATIONS
from tests.authorization.table import load_table

ROWS = load_table()
ROOTS = ("Query", "Mutation", "Subscription")
FEDERATION_FIELDS = frozenset({"_entities", "_service"})


def _schema(service: str) -> GraphQLSchema:
    schema: GraphQLSchema = subgraph(service).schema._schema
    return schema


def _root_fields(service: str) -> set[str]:
    schema = _schema(service)
    found = set()
    for root in ROOTS:
        kind = schema.get_type(root)
        if isinstance(kind, GraphQLObjectType):
            found |= {f"{root}.{name}" for name in kind.fields if name not in FEDERATION_FIELDS}
    return found


_KEY = re.compile(r"^type (\w+)(?: implements [\w& ]+)? @key\(([^)]*)\)", re.MULTILINE)


def _entity_types(service: str) -> set[str]:
    """The entities the service resolves (keys that are not `resolvable: false` stubs)."""
    sdl = subgraph(service).schema.as_str()
    return {name for name, key in _KEY.findall(sdl) if "resolvable: false" not in key}


def _base(field: str) -> str:
    """`Query.injuries(playerId)` is a row of `Query.injuries` with one of its arguments."""
    return field.partition("(")[0]


@pytest.mark.parametrize("service", SERVICES)
def test_every_root_field_of_every_subgraph_has_a_row(service: str) -> None:
    # given the service's schema as it is now
    fields = _root_fields(service)
    # when it is compared with the table
    tabled = {_base(row.field) for row in ROWS if row.service == service}
    # then no root field is missing: a new field cannot skip the matrix
    missing = sorted(fields - tabled)
    assert not missing, f"{service}: add rows to tests/authorization/permissions.toml for {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_entity_of_every_subgraph_has_a_row(service: str) -> None:
    # given the entities the service resolves through `_entities`
    entities = _entity_types(service)
    # when the table's `_entities.Type` and `Type.field` rows of the service are gathered
    tabled = {
        row.field.partition(".")[2] if row.kind == "_entities" else row.kind for row in ROWS if row.service == service
    }
    # then each entity is read at least once as another club and as each role
    missing = sorted(entities - tabled)
    assert not missing, f"{service}: add `_entities` rows to tests/authorization/permissions.toml for {missing}"


def test_every_row_names_a_field_that_exists() -> None:
    stale = []
    for row in ROWS:
        schema = _schema(row.service)
        kind, _, name = _base(row.field).partition(".")
        if kind == "_entities":
            if name not in _entity_types(row.service):
                stale.append(row.key)
            continue
        found = schema.get_type(kind)
        if not isinstance(found, GraphQLObjectType) or name not in found.fields:
            stale.append(row.key)
    assert not stale, f"rows for fields that do not exist: {stale}"


def test_every_row_has_an_operation_and_every_operation_a_row() -> None:
    rows = {row.key for row in ROWS}
    assert sorted(rows - set(OPERATIONS)) == [], "rows without an operation in tests/authorization/operations/"
    assert sorted(set(OPERATIONS) - rows) == [], "operations without a row in permissions.toml"


def test_the_permissions_page_is_printed_from_the_table() -> None:
    # given the page as the table prints it
    printed = render(ROWS)
    if os.environ.get("HOCKEY_HUB_UPDATE_DOCS"):
        DOCS_PATH.parent.mkdir(exist_ok=True)
        DOCS_PATH.write_text(printed)
    # then the committed page is exactly that
    assert DOCS_PATH.exists(), "docs/permissions.md is missing; run with HOCKEY_HUB_UPDATE_DOCS=1"
    assert DOCS_PATH.read_text() == printed, (
        "docs/permissions.md is out of date: HOCKEY_HUB_UPDATE_DOCS=1 .venv/bin/python -m pytest "
        "tests/authorization/test_table.py"
    )
