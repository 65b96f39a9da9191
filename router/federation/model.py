"""A supergraph read for routing: which subgraph resolves what, with which keys, requires and provides.

It reads the join spec v0.2 to v0.5 (as Apollo's composition and ours write it). Types and fields are
described per subgraph ("graph", the `join__Graph` value); the schema a client sees is `api`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    SelectionSetNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
)

from router.federation.api_schema import api_document


class SupergraphError(ValueError):
    """The SDL is not a supergraph this router can serve; the message says why."""


def parse_selection(fields: str) -> SelectionSetNode:
    """A FieldSet string (`"id organization { id }"`) as a selection set."""
    operation = parse("{" + fields + "}").definitions[0]
    selection: SelectionSetNode = operation.selection_set  # type: ignore[attr-defined]
    return selection


@dataclass(frozen=True)
class Graph:
    """One subgraph of the supergraph."""

    enum: str
    """Its `join__Graph` value, e.g. USER."""
    name: str
    url: str


@dataclass(frozen=True)
class Key:
    fields: str
    resolvable: bool

    @cached_property
    def selection(self) -> SelectionSetNode:
        return parse_selection(self.fields)


@dataclass(frozen=True)
class TypeInGraph:
    graph: str
    keys: tuple[Key, ...] = ()
    interface_object: bool = False

    @property
    def resolvable_keys(self) -> tuple[Key, ...]:
        return tuple(key for key in self.keys if key.resolvable)


@dataclass(frozen=True)
class FieldInGraph:
    graph: str | None
    """None: resolved through an @interfaceObject elsewhere (a `@join__field` with no graph)."""
    requires: str | None = None
    provides: str | None = None
    external: bool = False
    type: str | None = None
    override: str | None = None
    override_label: str | None = None
    """Progressive @override: with `override` set this graph resolves the field while the label is on;
    without, it is the old home and resolves it while the label is off."""
    used_overridden: bool = False

    def active(self, labels: frozenset[str]) -> bool:
        if self.override_label is None:
            return True
        return (self.override_label in labels) == (self.override is not None)

    @cached_property
    def requires_selection(self) -> SelectionSetNode | None:
        return parse_selection(self.requires) if self.requires else None

    @cached_property
    def provides_selection(self) -> SelectionSetNode | None:
        return parse_selection(self.provides) if self.provides else None


@dataclass
class FederatedType:
    name: str
    graphs: dict[str, TypeInGraph] = field(default_factory=dict)
    fields: dict[str, dict[str, FieldInGraph]] = field(default_factory=dict)
    """field name -> graph -> how that graph has it (all graphs of the type when no @join__field says)."""
    implements: dict[str, set[str]] = field(default_factory=dict)
    """graph -> interfaces the type implements there."""
    members: dict[str, set[str]] = field(default_factory=dict)
    """For unions: graph -> member types there."""

    def resolving_graphs(self, field_name: str, labels: frozenset[str] = frozenset()) -> list[str]:
        """Graphs that resolve the field themselves (not @external), given the active override labels."""
        return [
            graph
            for graph, info in self.fields.get(field_name, {}).items()
            if not info.external and not info.used_overridden and info.active(labels)
        ]


@dataclass
class FederatedSchema:
    graphs: dict[str, Graph]
    types: dict[str, FederatedType]
    supergraph: GraphQLSchema
    """Every type and field, @inaccessible ones included (keys may use them)."""
    api: GraphQLSchema
    """What clients see."""
    document: DocumentNode
    """The supergraph as parsed, with the directives the schemas above do not keep (@authenticated, ...)."""

    @cached_property
    def override_labels(self) -> frozenset[str]:
        """Labels of progressive @override in the supergraph, decided per request."""
        return frozenset(
            info.override_label
            for federated in self.types.values()
            for graphs in federated.fields.values()
            for info in graphs.values()
            if info.override_label
        )

    def type(self, name: str) -> FederatedType:
        return self.types[name]

    def graph_named(self, subgraph: str) -> Graph:
        return next(graph for graph in self.graphs.values() if graph.name == subgraph)

    def possible_types(self, name: str) -> list[GraphQLObjectType]:
        named = self.supergraph.get_type(name)
        if isinstance(named, GraphQLObjectType):
            return [named]
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return sorted(self.supergraph.get_possible_types(named), key=lambda t: t.name)
        return []

    def is_abstract(self, name: str) -> bool:
        return isinstance(self.supergraph.get_type(name), GraphQLInterfaceType | GraphQLUnionType)

    def composite(self, name: str) -> GraphQLCompositeType:
        named = self.supergraph.get_type(name)
        assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType), name
        return named

    def named(self, name: str) -> GraphQLNamedType | None:
        return self.supergraph.get_type(name)


def _arguments(directive: ConstDirectiveNode) -> dict[str, object]:
    values: dict[str, object] = {}
    for argument in directive.arguments or ():
        value = argument.value
        values[argument.name.value] = getattr(value, "value", value)
    return values


def _directives(node: object, name: str) -> list[dict[str, object]]:
    return [_arguments(d) for d in getattr(node, "directives", None) or () if d.name.value == name]


def _join_prefix(document: DocumentNode) -> str:
    """The name the supergraph gives the join spec (`join` unless `@link(as:)` renamed it)."""
    for definition in document.definitions:
        for directive in getattr(definition, "directives", None) or ():
            if directive.name.value == "link":
                arguments = _arguments(directive)
                url = str(arguments.get("url", ""))
                if "/join/v" in url:
                    version = url.rsplit("/v", 1)[1]
                    if version not in ("0.2", "0.3", "0.4", "0.5"):
                        raise SupergraphError(f"join spec v{version} is not supported (v0.2 to v0.5 are)")
                    return str(arguments.get("as") or "join")
    raise SupergraphError("not a supergraph: no @link to the join spec")


def load_federated_schema(sdl: str, *, url_overrides: Mapping[str, str] | None = None) -> FederatedSchema:
    """Read a supergraph. Subgraph URLs come from `join__Graph`, overridden by `url_overrides` (by
    subgraph name) and then by `HOCKEY_HUB_SUBGRAPH_<NAME>_URL`."""
    try:
        document = parse(sdl)
    except Exception as error:
        raise SupergraphError(f"the supergraph does not parse: {error}") from error
    join = _join_prefix(document)
    graphs = _graphs(document, join, url_overrides or {})
    types: dict[str, FederatedType] = {}
    for definition in document.definitions:
        if not isinstance(definition, TypeDefinitionNode):
            continue
        name = definition.name.value
        if name.startswith((f"{join}__", "link__")):
            continue
        types[name] = _read_type(definition, join, graphs)
    try:
        supergraph = build_ast_schema(document)
        api = build_ast_schema(api_document(document))
    except Exception as error:
        raise SupergraphError(f"the supergraph is not a valid schema: {error}") from error
    return FederatedSchema(graphs=graphs, types=types, supergraph=supergraph, api=api, document=document)


def _graphs(document: DocumentNode, join: str, overrides: Mapping[str, str]) -> dict[str, Graph]:
    enum = next(
        (d for d in document.definitions if isinstance(d, EnumTypeDefinitionNode) and d.name.value == f"{join}__Graph"),
        None,
    )
    if enum is None:
        raise SupergraphError(f"not a supergraph: no {join}__Graph enum")
    graphs: dict[str, Graph] = {}
    for value in enum.values or ():
        found = _directives(value, f"{join}__graph")
        if not found:
            raise SupergraphError(f"{join}__Graph.{value.name.value} has no @{join}__graph(name:, url:)")
        name, url = str(found[0]["name"]), str(found[0]["url"])
        env = os.environ.get(f"HOCKEY_HUB_SUBGRAPH_{name.upper().replace('-', '_')}_URL")
        graphs[value.name.value] = Graph(value.name.value, name, env or overrides.get(name) or url)
    return graphs


def _read_type(definition: TypeDefinitionNode, join: str, graphs: Mapping[str, Graph]) -> FederatedType:
    federated = FederatedType(definition.name.value)
    for arguments in _directives(definition, f"{join}__type"):
        graph = str(arguments["graph"])
        existing = federated.graphs.get(graph, TypeInGraph(graph))
        keys = existing.keys
        if "key" in arguments:
            keys = (*keys, Key(str(arguments["key"]), arguments.get("resolvable", True) is not False))
        federated.graphs[graph] = TypeInGraph(
            graph, keys, existing.interface_object or arguments.get("isInterfaceObject") is True
        )
    if not federated.graphs:  # join v0.1-style or a type every graph shares implicitly
        federated.graphs = {graph: TypeInGraph(graph) for graph in graphs}
    for arguments in _directives(definition, f"{join}__implements"):
        federated.implements.setdefault(str(arguments["graph"]), set()).add(str(arguments["interface"]))
    if isinstance(definition, UnionTypeDefinitionNode):
        for arguments in _directives(definition, f"{join}__unionMember"):
            federated.members.setdefault(str(arguments["graph"]), set()).add(str(arguments["member"]))
    if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        for field_node in definition.fields or ():
            federated.fields[field_node.name.value] = _read_field(field_node, join, federated)
    return federated


def _read_field(node: object, join: str, parent: FederatedType) -> dict[str, FieldInGraph]:
    joins = _directives(node, f"{join}__field")
    if not joins:
        return {graph: FieldInGraph(graph) for graph in parent.graphs}
    by_graph: dict[str, FieldInGraph] = {}
    for arguments in joins:
        graph = arguments.get("graph")
        info = FieldInGraph(
            graph=str(graph) if graph is not None else None,
            requires=_optional(arguments.get("requires")),
            provides=_optional(arguments.get("provides")),
            external=arguments.get("external") is True,
            type=_optional(arguments.get("type")),
            override=_optional(arguments.get("override")),
            override_label=_optional(arguments.get("overrideLabel")),
            used_overridden=arguments.get("usedOverridden") is True,
        )
        if info.graph is None:
            # Resolved through the @interfaceObject graphs of one of the type's interfaces.
            by_graph.setdefault("", info)
        else:
            by_graph[info.graph] = info
    return by_graph


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


__all__ = [
    "FederatedSchema",
    "FederatedType",
    "FieldInGraph",
    "FieldNode",
    "Graph",
    "Key",
    "SupergraphError",
    "TypeInGraph",
    "load_federated_schema",
    "parse_selection",
]
