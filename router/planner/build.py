"""Building a query plan over the subgraphs of a supergraph.

The walk follows the client's selections inside one subgraph for as long as that subgraph resolves
them, and jumps to another subgraph through an entity key where it does not: the jump becomes a
dependent `_entities` fetch at that path, with the key fields (and any `@requires` fields) added to
the parent fetch so representations can be built. Abstract types whose fields need another subgraph
are split into their possible object types. Where several subgraphs could resolve a field, the one
already being queried wins, and otherwise the one that serves the most of the pending fields.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

from router.federation.model import FederatedSchema, Key
from router.planner.operation import Field, InlineFragment, Operation, Selection, print_selections, variables_in
from router.planner.plan import Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan
from router.planner.plan import Sequence as SequenceNode

TYPENAME = Field("__typename")
Provided = dict[str, "Provided"]
"""Fields a @provides makes resolvable at a position: name -> what it provides below."""


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph (composition should have prevented it)."""


@dataclass
class Step:
    """A fetch being built."""

    graph: str
    path: tuple[str, ...]
    entity: bool
    selections: list[Selection] = field(default_factory=list)
    requires: dict[str, list[Selection]] = field(default_factory=dict)
    """Type the representation is built from -> its fields."""
    rewrites: dict[str, str] = field(default_factory=dict)
    children: list[Step] = field(default_factory=list)
    conditions: frozenset[tuple[str, bool]] | None = None
    """(variable, run-when) pairs every field of the step carries; None until fields are assigned."""


@dataclass(frozen=True)
class _Target:
    graph: str
    via: str
    """The type the target subgraph knows the object as (the object type, or an interface object)."""
    key: Key


class QueryPlanner:
    def __init__(self, schema: FederatedSchema):
        self.schema = schema
        self._ids = itertools.count(1)
        self._labels: frozenset[str] = frozenset()

    # -- entry ---------------------------------------------------------------------------------------------

    def plan(self, operation: Operation, labels: frozenset[str] = frozenset()) -> QueryPlan:
        """Plan the operation; `labels` are the progressive-override labels on for this request."""
        self._labels = labels
        self._ids = itertools.count(1)  # fetches are numbered per plan, so plans read (and compare) the same
        root_type = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}[operation.kind]
        fields = self._root_fields(operation.selections)
        local = [f for f in fields if f.name in ("__typename", "__schema", "__type")]
        remote = [f for f in fields if f not in local]
        if not remote:
            return QueryPlan(operation, None, 0)
        assigned = [(self._root_graph(root_type, f), f) for f in remote]
        steps: list[Step] = []
        if operation.kind == "mutation":
            for graph, group in itertools.groupby(assigned, key=lambda pair: pair[0]):
                steps.append(self._root_step(graph, root_type, [f for _, f in group]))
            node: PlanNode = _sequence([self._node(step, operation) for step in steps])
        else:
            by_graph: dict[str, list[Field]] = {}
            for graph, selection in assigned:
                by_graph.setdefault(graph, []).append(selection)
            steps = [self._root_step(graph, root_type, group) for graph, group in by_graph.items()]
            node = _parallel([self._node(step, operation) for step in steps])
        return QueryPlan(operation, node, _count_fetches(node))

    def _root_fields(self, selections: Sequence[Selection]) -> list[Field]:
        """Root selections as fields; a root fragment's directives move onto its fields."""
        fields: list[Field] = []
        for selection in selections:
            if isinstance(selection, Field):
                fields.append(selection)
            else:
                for inner in self._root_fields(selection.selections):
                    fields.append(
                        Field(
                            inner.name,
                            inner.alias,
                            inner.arguments,
                            (*selection.directives, *inner.directives),
                            inner.selections,
                        )
                    )
        return fields

    def _root_graph(self, root_type: str, selection: Field) -> str:
        candidates = self.schema.type(root_type).resolving_graphs(selection.name, self._labels)
        if not candidates:
            raise PlanningError(f"no subgraph resolves {root_type}.{selection.name}")
        if len(candidates) == 1:
            return candidates[0]
        # A shareable root field: take the subgraph that needs the fewest further fetches for it.
        costs = []
        for graph in sorted(candidates):
            trial = self._root_step(graph, root_type, [selection])
            costs.append((_count_steps(trial), self.schema.graphs[graph].name, graph))
        return min(costs)[2]

    def _root_step(self, graph: str, root_type: str, fields: list[Field]) -> Step:
        step = Step(graph=graph, path=(), entity=False)
        step.selections = self._plan_set(step, root_type, fields, (), {})
        return step

    # -- walking selections within one subgraph --------------------------------------------------------------

    def _plan_set(
        self, step: Step, parent: str, selections: Sequence[Selection], path: tuple[str, ...], provided: Provided
    ) -> list[Selection]:
        if self.schema.is_abstract(parent) and self._needs_split(step.graph, parent, selections, provided):
            return self._split(step, parent, selections, path, provided)
        out: list[Selection] = []
        pending: list[Field] = []
        for selection in selections:
            if isinstance(selection, InlineFragment):
                condition = selection.type_condition
                if condition is None or condition == parent or self._applies(condition, parent):
                    inner = self._plan_set(step, parent, selection.selections, path, provided)
                    if inner and not selection.directives:
                        for item in inner:
                            _ensure(out, item)
                    elif inner:
                        out.append(InlineFragment(None, tuple(inner), selection.directives))
                elif self.schema.is_abstract(parent) and self._reachable_from(step.graph, parent, condition):
                    inner = self._plan_set(step, condition, selection.selections, path, provided)
                    if inner:
                        out.append(InlineFragment(condition, tuple(inner), selection.directives))
                continue
            if selection.name == "__typename" or self._resolvable(step.graph, parent, selection.name, provided):
                out.append(self._local_field(step, parent, selection, path, provided))
            else:
                pending.append(selection)
        if pending:
            self._jump(step, parent, pending, path, out)
        return out

    def _local_field(
        self, step: Step, parent: str, selection: Field, path: tuple[str, ...], provided: Provided
    ) -> Field:
        if selection.selections is None:
            return selection
        definition = self._field_type(parent, selection.name)
        child_type = get_named_type(definition).name
        child_path = (*path, selection.response_key, *(["@"] * _list_depth(definition)))
        below: Provided = dict(provided.get(selection.name, {}))
        info = self.schema.types.get(parent)
        how = info.fields.get(selection.name, {}).get(step.graph) if info is not None else None
        if how is not None and how.provides_selection is not None:
            below.update(_provided(how.provides_selection))
        planned = self._plan_set(step, child_type, selection.selections, child_path, below)
        return Field(selection.name, selection.alias, selection.arguments, selection.directives, tuple(planned))

    def _field_type(self, parent: str, name: str) -> GraphQLOutputType:
        composite = self.schema.composite(parent)
        fields = getattr(composite, "fields", {})
        if name not in fields:
            raise PlanningError(f"{parent} has no field {name}")
        output: GraphQLOutputType = fields[name].type
        return output

    def _applies(self, condition: str, parent: str) -> bool:
        """A fragment on `condition` applies to every object of type `parent` (an interface it implements)."""
        if not isinstance(self.schema.named(parent), GraphQLObjectType):
            return False
        return parent in {t.name for t in self.schema.possible_types(condition)}

    def _knows(self, graph: str, type_name: str) -> bool:
        info = self.schema.types.get(type_name)
        return info is not None and graph in info.graphs

    def _possible_in(self, graph: str, abstract: str) -> list[str]:
        """The object types a subgraph can return where `abstract` is expected: its own members/implementations."""
        info = self.schema.types.get(abstract)
        names = [t.name for t in self.schema.possible_types(abstract) if self._knows(graph, t.name)]
        if info is not None and info.members:
            return [name for name in names if name in info.members.get(graph, set())]
        if info is not None and info.graphs.get(graph) is not None and info.graphs[graph].interface_object:
            return names
        return [
            name
            for name in names
            if not (implements := self.schema.types[name].implements) or abstract in implements.get(graph, set())
        ]

    def _reachable_from(self, graph: str, abstract: str, condition: str) -> bool:
        """A fragment on `condition` inside `abstract` can match something this subgraph returns."""
        possible = set(self._possible_in(graph, abstract))
        return bool(possible & {t.name for t in self.schema.possible_types(condition)})

    def _resolvable(self, graph: str, parent: str, name: str, provided: Provided) -> bool:
        if name in provided:
            return True
        info = self.schema.types.get(parent)
        if info is None or graph not in info.graphs:
            return False
        how = info.fields.get(name, {}).get(graph)
        return how is not None and not how.external and not how.used_overridden and how.active(self._labels)

    def _needs_split(self, graph: str, parent: str, selections: Sequence[Selection], provided: Provided) -> bool:
        for selection in selections:
            if isinstance(selection, Field):
                if selection.name != "__typename" and not self._resolvable(graph, parent, selection.name, provided):
                    return True
            elif selection.type_condition in (None, parent) and self._needs_split(
                graph, parent, selection.selections, provided
            ):
                return True
        return False

    def _split(
        self, step: Step, parent: str, selections: Sequence[Selection], path: tuple[str, ...], provided: Provided
    ) -> list[Selection]:
        """An abstract selection some field of which lives elsewhere: plan it per possible object type."""
        out: list[Selection] = [TYPENAME]
        for possible in self._possible_in(step.graph, parent):  # what this subgraph can return here
            narrowed = self._narrow(selections, parent, possible)
            if narrowed:
                inner = self._plan_set(step, possible, narrowed, path, provided)
                if inner:
                    out.append(InlineFragment(possible, tuple(inner)))
        return out

    def _narrow(self, selections: Sequence[Selection], parent: str, possible: str) -> list[Selection]:
        narrowed: list[Selection] = []
        for selection in selections:
            if isinstance(selection, Field):
                narrowed.append(selection)
            elif selection.type_condition in (None, parent, possible) or (
                selection.type_condition is not None
                and possible in {t.name for t in self.schema.possible_types(selection.type_condition)}
            ):
                narrowed.append(InlineFragment(None, tuple(selection.selections), selection.directives))
        return narrowed

    # -- jumping to another subgraph ---------------------------------------------------------------------------

    def _jump(
        self, step: Step, parent: str, pending: list[Field], path: tuple[str, ...], local: list[Selection]
    ) -> list[Step]:
        """Fetch pending fields from other subgraphs at this path; returns the steps that do."""
        made: list[Step] = []
        for target, fields in self._assign(step.graph, parent, pending):
            requires = self._requires(target.graph, parent, fields)
            anchor = step
            needed = [*self._key_selections(target.key), *requires]
            remote = [f for f in _fields(needed) if not self._resolvable(step.graph, parent, f.name, {})]
            if remote:
                # Fields the target's @requires needs that only a third subgraph has: fetch them first, and
                # fetch for the target once they are merged.
                earlier = self._jump(step, parent, remote, path, local)
                anchor = earlier[-1]
            for needed_field in [TYPENAME, *needed]:
                if isinstance(needed_field, Field) and self._resolvable(step.graph, parent, needed_field.name, {}):
                    _ensure(local, needed_field)
                elif needed_field is TYPENAME:
                    _ensure(local, TYPENAME)
            child = self._child(anchor, target.graph, path)
            child.requires.setdefault(parent, [])
            for needed_field in [TYPENAME, *needed]:
                _ensure(child.requires[parent], needed_field)
            if target.via != parent:
                child.rewrites[parent] = target.via
            inner = self._plan_set(child, target.via, fields, path, {})
            _merge_fragment(child.selections, target.via, inner)
            conditions = frozenset.intersection(*(_conditions(f) for f in fields)) if fields else frozenset()
            child.conditions = conditions if child.conditions is None else child.conditions & conditions
            made.append(child)
        return made

    def _assign(self, current: str, parent: str, pending: list[Field]) -> list[tuple[_Target, list[Field]]]:
        """Spread pending fields over target subgraphs: fewest fetches, greedily."""
        options = {id(f): self._targets(current, parent, f.name) for f in pending}
        for selection in pending:
            if not options[id(selection)]:
                raise PlanningError(
                    f"{parent}.{selection.name} cannot be reached from subgraph "
                    f"{self.schema.graphs[current].name}: no subgraph resolving it has a key available there"
                )
        groups: list[tuple[_Target, list[Field]]] = []
        left = list(pending)
        while left:
            counts: dict[_Target, int] = {}
            for selection in left:
                for target in options[id(selection)]:
                    counts[target] = counts.get(target, 0) + 1
            best = max(counts, key=lambda t: (counts[t], t.via == parent, -_rank(t.graph, self.schema)))
            taken = [f for f in left if best in options[id(f)]]
            groups.append((best, taken))
            left = [f for f in left if f not in taken]
        return groups

    def _targets(self, current: str, parent: str, name: str) -> list[_Target]:
        info = self.schema.types.get(parent)
        if info is None:
            return []
        targets: list[_Target] = []
        for graph in info.resolving_graphs(name, self._labels):
            if graph in ("", current):
                continue
            key = self._available_key(current, parent, parent, graph)
            if key is not None:
                targets.append(_Target(graph, parent, key))
        # Fields an @interfaceObject contributes: reach them through the interface.
        parent_type = self.schema.named(parent)
        if isinstance(parent_type, GraphQLObjectType):
            for interface in parent_type.interfaces:
                interface_info = self.schema.types.get(interface.name)
                if interface_info is None:
                    continue
                for graph in interface_info.resolving_graphs(name, self._labels):
                    in_graph = interface_info.graphs.get(graph)
                    if graph == current or in_graph is None or not in_graph.interface_object:
                        continue
                    key = self._available_key(current, parent, interface.name, graph)
                    if key is not None:
                        targets.append(_Target(graph, interface.name, key))
        return targets

    def _available_key(self, current: str, parent: str, via: str, graph: str) -> Key | None:
        """A key of `via` in `graph` whose fields `current` can select on `parent`."""
        info = self.schema.types.get(via)
        if info is None or graph not in info.graphs:
            return None
        for key in info.graphs[graph].resolvable_keys:
            if self._selectable(current, parent, key.selection):
                return key
        return None

    def _selectable(self, graph: str, parent: str, selection: SelectionSetNode) -> bool:
        for node in selection.selections:
            if not isinstance(node, FieldNode):
                return False
            name = node.name.value
            if name == "__typename":
                continue
            if not self._resolvable(graph, parent, name, {}):
                return False
            if node.selection_set is not None:
                child = get_named_type(self._field_type(parent, name)).name
                if not self._selectable(graph, child, node.selection_set):
                    return False
        return True

    def _requires(self, graph: str, parent: str, fields: list[Field]) -> list[Selection]:
        required: list[Selection] = []
        info = self.schema.types.get(parent)
        for selection in fields:
            how = info.fields.get(selection.name, {}).get(graph) if info else None
            if how is not None and how.requires_selection is not None:
                for needed in _from_ast(how.requires_selection):
                    _ensure(required, needed)
        return required

    def _key_selections(self, key: Key) -> list[Selection]:
        return _from_ast(key.selection)

    def _child(self, anchor: Step, graph: str, path: tuple[str, ...]) -> Step:
        for child in anchor.children:
            if child.graph == graph and child.path == path and child.entity:
                return child
        child = Step(graph=graph, path=path, entity=True)
        anchor.children.append(child)
        return child

    # -- from steps to plan nodes -------------------------------------------------------------------------------

    def _node(self, step: Step, operation: Operation) -> PlanNode:
        fetch = self._fetch(step, operation)
        node: PlanNode = Flatten(step.path, fetch) if step.entity else fetch
        children = [self._node(child, operation) for child in step.children]
        if children:
            node = SequenceNode((node, _parallel(children)))
        for variable, run_when in sorted(step.conditions or ()):
            node = Condition(variable, node, None) if run_when else Condition(variable, None, node)
        return node

    def _fetch(self, step: Step, operation: Operation) -> Fetch:
        used = sorted(variables_in(step.selections))
        types = operation.variable_types
        declared = [f"${name}: {types[name]}" for name in used if name in types]
        number = next(self._ids)
        name = f"{operation.name}__{self.schema.graphs[step.graph].name}__{number}" if operation.name else None
        if step.entity:
            declared.insert(0, "$representations: [_Any!]!")
            body = (
                "{\n  _entities(representations: $representations) {\n"
                + print_selections(step.selections, "    ")
                + "\n  }\n}"
            )
            kind = "query"
        else:
            body = "{\n" + print_selections(step.selections) + "\n}"
            kind = operation.kind
        head = kind + (f" {name}" if name else "")
        if declared:
            head += "(" + ", ".join(declared) + ")"
        document = (head + " " + body) if (name or declared or kind != "query") else body
        requires = (
            tuple(InlineFragment(type_name, tuple(fields)) for type_name, fields in step.requires.items())
            if step.entity
            else None
        )
        return Fetch(
            service=self.schema.graphs[step.graph].name,
            operation=document,
            operation_kind=kind,
            variables=tuple(name for name in used if name in types),
            requires=requires,
            typename_rewrites=tuple(sorted(step.rewrites.items())),
            flat_requires=_flat(requires) if requires is not None else None,
            id=number,
        )


def _flat(requires: tuple[InlineFragment, ...]) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    flat: list[tuple[str, tuple[str, ...]]] = []
    for fragment in requires:
        if fragment.type_condition is None:
            return None
        names: list[str] = []
        for selection in fragment.selections:
            if not isinstance(selection, Field) or selection.selections is not None or selection.alias:
                return None
            if selection.name != "__typename":
                names.append(selection.name)
        flat.append((fragment.type_condition, tuple(names)))
    return tuple(flat)


def _rank(graph: str, schema: FederatedSchema) -> int:
    """Stable tie-break between equally good subgraphs: by subgraph name."""
    return sorted(schema.graphs).index(graph)


def _list_depth(output: GraphQLOutputType) -> int:
    depth = 0
    while True:
        if isinstance(output, GraphQLNonNull):
            output = output.of_type
        elif isinstance(output, GraphQLList):
            depth += 1
            output = output.of_type
        else:
            return depth


def _provided(selection: SelectionSetNode) -> Provided:
    provided: Provided = {}
    for node in selection.selections:
        if isinstance(node, FieldNode):
            provided[node.name.value] = _provided(node.selection_set) if node.selection_set else {}
    return provided


def _from_ast(selection: SelectionSetNode) -> list[Selection]:
    result: list[Selection] = []
    for node in selection.selections:
        if isinstance(node, FieldNode):
            inner = tuple(_from_ast(node.selection_set)) if node.selection_set else None
            result.append(Field(node.name.value, selections=inner))
        elif isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else None
            result.append(InlineFragment(condition, tuple(_from_ast(node.selection_set))))
    return result


def _fields(selections: Iterable[Selection]) -> list[Field]:
    return [selection for selection in selections if isinstance(selection, Field) and selection.name != "__typename"]


def _ensure(selections: list[Selection], wanted: Selection) -> None:
    """Add a field the router needs (a key, `__typename`) unless an equivalent one is there."""
    if isinstance(wanted, InlineFragment):
        selections.append(wanted)
        return
    for existing in selections:
        if (
            isinstance(existing, Field)
            and existing.response_key == wanted.name
            and existing.name == wanted.name
            and not existing.arguments
            and not existing.directives
        ) and (wanted.selections is None or existing.selections == wanted.selections):
            return
    selections.append(wanted)


def _merge_fragment(selections: list[Selection], type_condition: str, inner: list[Selection]) -> None:
    for index, existing in enumerate(selections):
        if isinstance(existing, InlineFragment) and existing.type_condition == type_condition:
            selections[index] = InlineFragment(type_condition, (*existing.selections, *inner))
            return
    selections.append(InlineFragment(type_condition, tuple(inner)))


def _conditions(selection: Field) -> frozenset[tuple[str, bool]]:
    """@include(if: $v) / @skip(if: $v) on the field, as (variable, run-when)."""
    found: set[tuple[str, bool]] = set()
    for directive in selection.directives:
        run_when = _condition_polarity(directive)
        if run_when is None:
            continue
        value = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
        if isinstance(value, VariableNode):
            found.add((value.name.value, run_when))
    return frozenset(found)


def _condition_polarity(directive: DirectiveNode) -> bool | None:
    return {"include": True, "skip": False}.get(directive.name.value)


def _sequence(nodes: list[PlanNode]) -> PlanNode:
    return nodes[0] if len(nodes) == 1 else SequenceNode(tuple(nodes))


def _parallel(nodes: list[PlanNode]) -> PlanNode:
    return nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes))


def _count_steps(step: Step) -> int:
    return 1 + sum(_count_steps(child) for child in step.children)


def _count_fetches(node: PlanNode | None) -> int:
    match node:
        case None:
            return 0
        case Fetch():
            return 1
        case Flatten():
            return 1
        case SequenceNode() | Parallel():
            return sum(_count_fetches(child) for child in node.nodes)
        case Condition():
            return _count_fetches(node.if_clause) + _count_fetches(node.else_clause)
    return 0
