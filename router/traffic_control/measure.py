"""Measuring a parsed document for the operation limits: depth, aliases, root fields, fields and cost.

It runs before validation, so it takes what validation would refuse in its stride (unknown fields, types and
fragments count as plain selections; a fragment cycle counts as empty), and it takes time linear in the
document: each fragment is measured once and its totals are reused wherever it is spread, so fragments that
spread each other twice, thirty levels deep, count their billion fields without walking them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
)

from router.traffic_control.cost import CostModel, variable_defaults

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class Measurement:
    """The largest figure over every operation and fragment of a document (cost: the chosen operation's)."""

    depth: int = 0
    aliases: int = 0
    root_fields: int = 0
    fields: int = 0
    cost: int = 0
    introspection: bool = False
    """Some field is `__schema` or `__type`."""
    sized_by_variables: bool = False
    """A list's size argument is a variable: the cost depends on each request's variables."""


@dataclass(slots=True)
class _Tally:
    depth: int = 0
    aliases: int = 0
    width: int = 0
    """Fields at this level, through fragments: the root fields, at the root."""
    fields: int = 0
    cost: int = 0

    def include(self, other: _Tally) -> None:
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases
        self.width += other.width
        self.fields += other.fields
        self.cost += other.cost


@dataclass
class _Walk:
    schema: GraphQLSchema
    model: CostModel
    variables: Mapping[str, Any]
    defaults: Mapping[str, int]
    fragments: dict[str, FragmentDefinitionNode]
    done: dict[str, _Tally] = field(default_factory=dict)
    introspection: bool = False
    sized_by_variables: bool = False

    def selection_set(self, node: SelectionSetNode, parent: GraphQLNamedType | None) -> _Tally:
        tally = _Tally()
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                self._field(selection, parent, tally)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                tally.include(self.selection_set(selection.selection_set, inner))
            elif isinstance(selection, FragmentSpreadNode) and (spread := self.done.get(selection.name.value)):
                tally.include(spread)
        return tally

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None, tally: _Tally) -> None:
        tally.fields += 1
        tally.width += 1
        if node.alias is not None:
            tally.aliases += 1
        name = node.name.value
        if name in INTROSPECTION_FIELDS:
            self.introspection = True
        if node.selection_set is None:
            tally.depth = max(tally.depth, 1)
            return
        definition = _definition(parent, name)
        named, lists = _returned(definition)
        inner = self.selection_set(node.selection_set, named)
        tally.aliases += inner.aliases
        tally.fields += inner.fields
        if named is not None and named.name.startswith("__"):
            tally.depth = max(tally.depth, 1)  # introspection: answered by the router, bounded by validation
            return
        tally.depth = max(tally.depth, 1 + inner.depth)
        size = 1
        if lists:
            assert definition is not None  # a list type came from it
            first, from_variable = self.model.list_size(
                node.arguments or (), self.variables, self.defaults, self.model.argument_defaults(definition)
            )
            self.sized_by_variables |= from_variable
            size = first * self.model.assumed_list_size ** (lists - 1)
        tally.cost += size * (1 + inner.cost)

    def measure_fragments(self) -> None:
        """Every fragment's tally, each after the fragments it spreads (so a spread finds its tally done)."""
        for name in _dependency_order(self.fragments):
            fragment = self.fragments[name]
            condition = self.schema.get_type(fragment.type_condition.name.value)
            self.done[name] = self.selection_set(fragment.selection_set, condition)


def measure(
    document: DocumentNode,
    schema: GraphQLSchema,
    model: CostModel,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> Measurement:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    chosen = _chosen(operations, operation_name)
    defaults: dict[str, int] = {}
    for operation in [*(o for o in operations if o is not chosen), *([chosen] if chosen else [])]:
        defaults.update(variable_defaults(operation.variable_definitions or ()))
    walk = _Walk(schema, model, variables or {}, defaults, fragments)
    walk.measure_fragments()
    tallies = {}
    for operation in operations:
        root = schema.get_root_type(operation.operation)
        tallies[id(operation)] = walk.selection_set(operation.selection_set, root)
    everything = [*tallies.values(), *walk.done.values()]
    operation_tallies = list(tallies.values())
    return Measurement(
        depth=max((t.depth for t in everything), default=0),
        aliases=max((t.aliases for t in everything), default=0),
        root_fields=max((t.width for t in operation_tallies), default=0),
        fields=max((t.fields for t in everything), default=0),
        cost=tallies[id(chosen)].cost if chosen else max((t.cost for t in operation_tallies), default=0),
        introspection=walk.introspection,
        sized_by_variables=walk.sized_by_variables,
    )


class OperationCost:
    """An operation's estimated cost: fixed for its document, or estimated again per request when a list's
    size comes from a variable. Cached with the prepared operation."""

    def __init__(
        self,
        measurement: Measurement,
        document: DocumentNode,
        schema: GraphQLSchema,
        model: CostModel,
        name: str | None,
    ):
        self.static = measurement.cost
        self._again = (document, schema, model, name) if measurement.sized_by_variables else None

    def of(self, variables: Mapping[str, Any]) -> int:
        if self._again is None:
            return self.static
        document, schema, model, name = self._again
        return measure(document, schema, model, name, variables).cost


def _chosen(operations: list[OperationDefinitionNode], name: str | None) -> OperationDefinitionNode | None:
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def _definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if name == "__typename":
        return TypeNameMetaFieldDef
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _returned(definition: GraphQLField | None) -> tuple[GraphQLNamedType | None, int]:
    """The named type a field returns (None when unknown) and how many lists wrap it."""
    if definition is None:
        return None, 0
    kind: Any = definition.type
    lists = 0
    while isinstance(kind, GraphQLList | GraphQLNonNull):
        if isinstance(kind, GraphQLList):
            lists += 1
        kind = kind.of_type
    return kind, lists


def _spreads(node: SelectionSetNode) -> Iterator[str]:
    pending = [node]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
                pending.append(selection.selection_set)


def _dependency_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after those it spreads; without recursion, so a long chain cannot overflow the
    stack. In a cycle, the spread that closes it is left out (validation refuses the cycle anyway)."""
    order: list[str] = []
    seen: set[str] = set()
    for start in fragments:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, _spreads(fragments[start].selection_set))]
        while stack:
            name, spreads = stack[-1]
            for spread in spreads:
                if spread in fragments and spread not in seen:
                    seen.add(spread)
                    stack.append((spread, _spreads(fragments[spread].selection_set)))
                    break
            else:
                stack.pop()
                order.append(name)
    return order
