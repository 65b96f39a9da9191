"""Enforcing `@authenticated` and `@requiresScopes` on an operation before it runs.

Per prepared operation the guarded fields are listed once, in walk order (`guards`). Per request
each guard is checked against the caller's access; when any fails, the operation is rewritten into a
variant (cached per pattern of verdicts): the planned selections leave the denied fields out (no
subgraph ever sees them), and the shaped selections keep them marked `denied`, so they answer null,
with one error at the field's path (`@` standing for every item of a list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

from router.auth.rules import Access, AccessRules, Requirement
from router.planner.operation import Field, InlineFragment, Operation, Selection

Composite = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
ResponsePath = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Denial:
    path: ResponsePath
    requirement: Requirement


@dataclass(frozen=True, slots=True)
class Filtered:
    """An operation with the fields one caller may not see taken out."""

    planned: Operation
    """What is planned and fetched: the denied fields removed."""
    shaped: tuple[Selection, ...]
    """What the response is shaped by: the denied fields kept, marked `denied`."""
    denials: tuple[Denial, ...]

    def errors(self, access: Access) -> list[dict[str, Any]]:
        code = "FORBIDDEN" if access.authenticated else "UNAUTHENTICATED"
        return [
            {
                "message": f"{'.'.join(denial.path)} needs {denial.requirement.describe()}",
                "path": list(denial.path),
                "extensions": {"code": code},
            }
            for denial in self.denials
        ]


def guards(operation: Operation, schema: GraphQLSchema, rules: AccessRules) -> tuple[Requirement, ...]:
    """The requirements of the operation's guarded fields, in walk order."""
    found: list[Requirement] = []

    def record(requirement: Requirement) -> bool:
        found.append(requirement)
        return True

    if rules.any:
        _Walk(schema, rules, record).selections(operation.selections, _root(schema, operation), ())
    return tuple(found)


def filter_operation(
    operation: Operation, schema: GraphQLSchema, rules: AccessRules, verdicts: tuple[bool, ...]
) -> Filtered:
    """The variant of the operation for one pattern of verdicts (one per guard, in walk order)."""
    remaining: Iterator[bool] = iter(verdicts)
    walk = _Walk(schema, rules, lambda _requirement: next(remaining))
    planned, shaped = walk.selections(operation.selections, _root(schema, operation), ())
    return Filtered(replace(operation, selections=planned), shaped, tuple(walk.denials))


def _root(schema: GraphQLSchema, operation: Operation) -> GraphQLObjectType:
    root = getattr(schema, f"{operation.kind}_type")
    assert isinstance(root, GraphQLObjectType)
    return root


def _list_depth(declared: GraphQLOutputType) -> int:
    depth = 0
    inner: Any = declared
    while isinstance(inner, GraphQLNonNull | GraphQLList):
        if isinstance(inner, GraphQLList):
            depth += 1
        inner = inner.of_type
    return depth


class _Walk:
    """Walks every selection (also below denied ones, so the verdicts stay in step with `guards`)."""

    def __init__(self, schema: GraphQLSchema, rules: AccessRules, decide: Callable[[Requirement], bool]):
        self.schema = schema
        self.rules = rules
        self.decide = decide
        self.denials: list[Denial] = []

    def selections(
        self, selections: tuple[Selection, ...], parent: Composite, path: ResponsePath
    ) -> tuple[tuple[Selection, ...], tuple[Selection, ...]]:
        planned: list[Selection] = []
        shaped: list[Selection] = []
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = self.schema.get_type(selection.type_condition) if selection.type_condition else parent
                inner = condition if isinstance(condition, Composite) else parent
                inner_planned, inner_shaped = self.selections(selection.selections, inner, path)
                if inner_planned:
                    planned.append(replace(selection, selections=inner_planned))
                shaped.append(replace(selection, selections=inner_shaped))
                continue
            field_planned, field_shaped = self.field(selection, parent, path)
            if field_planned is not None:
                planned.append(field_planned)
            shaped.append(field_shaped)
        return tuple(planned), tuple(shaped)

    def field(self, selection: Field, parent: Composite, path: ResponsePath) -> tuple[Field | None, Field]:
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(selection.name)
        if definition is None:  # __typename and introspection: never guarded
            return selection, selection
        requirement = self.rules.field(parent.name, selection.name)
        allowed = self.decide(requirement) if requirement else True
        here = (*path, selection.response_key)
        below = (*here, *("@",) * _list_depth(definition.type))
        planned_inner: tuple[Selection, ...] = ()
        shaped_inner: tuple[Selection, ...] | None = None
        if selection.selections is not None:
            named = get_named_type(definition.type)
            assert isinstance(named, Composite)
            planned_inner, shaped_inner = self.selections(selection.selections, named, below)
        if not allowed:
            self.denials.append(Denial(here, requirement))
            return None, replace(selection, denied=True)
        if selection.selections is None:
            return selection, selection
        # A selection set left empty still needs one field to be valid GraphQL for the subgraph.
        planned_selections = planned_inner or (Field("__typename"),)
        return replace(selection, selections=planned_selections), replace(selection, selections=shaped_inner)
