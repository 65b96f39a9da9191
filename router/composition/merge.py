"""Merging subgraph models into the supergraph model, checking the Federation 2 composition rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    GraphQLError,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    SelectionSetNode,
    TypeNode,
    parse,
)

from router.composition.errors import ErrorCollector
from router.composition.subgraph import (
    BUILTIN_SCALARS,
    AppliedDirective,
    FieldDef,
    InputValue,
    Kind,
    Subgraph,
    TypeDef,
    named_type,
    type_string,
)


@dataclass(frozen=True, slots=True)
class JoinType:
    graph: str
    key: str | None = None
    extension: bool = False
    resolvable: bool = True
    interface_object: bool = False


@dataclass(frozen=True, slots=True)
class JoinField:
    graph: str | None
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    override_label: str | None = None


@dataclass
class MergedArgument:
    name: str
    type: str
    description: str | None
    default: str | None
    directives: list[AppliedDirective]


@dataclass
class MergedField:
    name: str
    type: str
    description: str | None = None
    arguments: dict[str, MergedArgument] = field(default_factory=dict)
    directives: list[AppliedDirective] = field(default_factory=list)
    joins: list[JoinField] | None = None
    """None: resolvable in every subgraph that defines the parent type, no @join__field needed."""
    default: str | None = None


@dataclass
class MergedEnumValue:
    name: str
    description: str | None
    graphs: list[str]
    directives: list[AppliedDirective]


@dataclass
class MergedType:
    name: str
    kind: Kind
    description: str | None = None
    joins: list[JoinType] = field(default_factory=list)
    implements: list[tuple[str, str]] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    fields: dict[str, MergedField] = field(default_factory=dict)
    values: dict[str, MergedEnumValue] = field(default_factory=dict)
    members: list[tuple[str, str]] = field(default_factory=list)
    directives: list[AppliedDirective] = field(default_factory=list)


@dataclass
class Supergraph:
    graphs: dict[str, Subgraph]
    """Join enum value (e.g. USER) -> subgraph."""
    types: dict[str, MergedType]
    roots: dict[str, str]

    def graph_name(self, subgraph: str) -> str:
        return next(graph for graph, sub in self.graphs.items() if sub.name == subgraph)


def graph_enum_names(names: Iterable[str]) -> dict[str, str]:
    """Subgraph name -> join__Graph value: upper case, non-alphanumerics as `_`, made unique."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name).upper()
        if not base or base[0].isdigit():
            base = "_" + base
        candidate, n = base, 1
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        result[name] = candidate
    return result


def _unwrap(node: TypeNode) -> tuple[bool, TypeNode]:
    if isinstance(node, NonNullTypeNode):
        return True, node.type
    return False, node


class Merger:
    def __init__(self, subgraphs: list[Subgraph], errors: ErrorCollector):
        self.subgraphs = sorted(subgraphs, key=lambda s: s.name)
        self.errors = errors
        self.graph = graph_enum_names(s.name for s in self.subgraphs)
        self.known = {s.name for s in self.subgraphs}
        self._usage_cache: dict[tuple[str, bool], set[str]] = {}
        self.implementations: dict[str, set[str]] = {}
        self.union_members: dict[str, set[str]] = {}
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for interface in type_def.interfaces:
                    self.implementations.setdefault(interface, set()).add(type_def.name)
                if type_def.kind is Kind.UNION:
                    self.union_members.setdefault(type_def.name, set()).update(type_def.members)

    # -- entry point -----------------------------------------------------------------------------------------

    def merge(self) -> Supergraph:
        for subgraph in self.subgraphs:
            self._check_subgraph(subgraph)
        names = sorted({name for s in self.subgraphs for name in s.types})
        usage = self._enum_usage()
        types: dict[str, MergedType] = {}
        for name in names:
            sources = [(s, s.types[name]) for s in self.subgraphs if name in s.types]
            merged = self._merge_type(name, sources, usage.get(name, set()))
            if merged is not None:
                types[name] = merged
        self._add_interface_object_fields(types)
        self._check_interface_implementations(types)
        roots = {op: name for s in self.subgraphs for op, name in s.roots.items()}
        supergraph = Supergraph({self.graph[s.name]: s for s in self.subgraphs}, types, roots)
        self._check_satisfiability(supergraph)
        return supergraph

    # -- per-subgraph rules ----------------------------------------------------------------------------------

    def _check_subgraph(self, subgraph: Subgraph) -> None:
        for type_def in subgraph.types.values():
            for referenced, where in self._references(type_def):
                if referenced not in subgraph.types and referenced not in BUILTIN_SCALARS:
                    self.errors.error(
                        "INVALID_GRAPHQL",
                        f"{where} in subgraph {subgraph.name!r} uses the type {referenced}, which it does not define",
                        subgraphs=[subgraph.name],
                        coordinate=where,
                        hint=f"define {referenced} in {subgraph.name}, or reference an existing type",
                    )
            for key in type_def.keys:
                self._check_field_set(subgraph, type_def, key.fields, "key", coordinate=type_def.name)
            for field_def in type_def.fields.values():
                coordinate = f"{type_def.name}.{field_def.name}"
                if field_def.requires is not None:
                    self._check_field_set(
                        subgraph,
                        type_def,
                        field_def.requires,
                        "requires",
                        coordinate=coordinate,
                        external=True,
                    )
                if field_def.provides is not None:
                    target = subgraph.types.get(named_type(field_def.type))
                    if target is None or target.kind not in (Kind.OBJECT, Kind.INTERFACE):
                        self.errors.error(
                            "PROVIDES_ON_NON_OBJECT_FIELD",
                            f"@provides on {coordinate} in subgraph {subgraph.name!r}, whose type is not an object",
                            subgraphs=[subgraph.name],
                            coordinate=coordinate,
                            hint="use @provides only on fields returning an entity type",
                        )
                    else:
                        self._check_field_set(
                            subgraph,
                            target,
                            field_def.provides,
                            "provides",
                            coordinate=coordinate,
                            external=True,
                        )
                if field_def.override is not None:
                    self._check_override(subgraph, type_def, field_def)
            self._check_external_use(subgraph, type_def)
        self._check_interface_objects(subgraph)

    def _references(self, type_def: TypeDef) -> Iterable[tuple[str, str]]:
        for field_def in type_def.fields.values():
            yield named_type(field_def.type), f"{type_def.name}.{field_def.name}"
            for argument in field_def.arguments.values():
                yield named_type(argument.type), f"{type_def.name}.{field_def.name}({argument.name}:)"
        for value in type_def.input_fields.values():
            yield named_type(value.type), f"{type_def.name}.{value.name}"
        for member in type_def.members:
            yield member, type_def.name
        for interface in type_def.interfaces:
            yield interface, type_def.name

    def _check_field_set(
        self,
        subgraph: Subgraph,
        type_def: TypeDef,
        fields: str,
        directive: str,
        *,
        coordinate: str,
        external: bool = False,
    ) -> None:
        code = {
            "key": "KEY_INVALID_FIELDS",
            "requires": "REQUIRES_INVALID_FIELDS",
            "provides": "PROVIDES_INVALID_FIELDS",
        }[directive]
        try:
            selection = parse_field_set(fields)
        except GraphQLError as error:
            self.errors.error(
                code,
                f"@{directive}(fields: {fields!r}) on {coordinate} in subgraph {subgraph.name!r} does not "
                f"parse: {error.message}",
                subgraphs=[subgraph.name],
                coordinate=coordinate,
                hint='write the fields as a selection, e.g. "id" or "id organization { id }"',
            )
            return
        self._walk_field_set(subgraph, type_def, selection, directive, code, coordinate, external)

    def _walk_field_set(
        self,
        subgraph: Subgraph,
        type_def: TypeDef,
        selection: SelectionSetNode,
        directive: str,
        code: str,
        coordinate: str,
        external: bool,
    ) -> None:
        for node in selection.selections:
            if not isinstance(node, FieldNode):
                continue
            name = node.name.value
            if name == "__typename":
                continue
            found = type_def.fields.get(name)
            if found is None:
                self.errors.error(
                    code,
                    f"@{directive} on {coordinate} in subgraph {subgraph.name!r} names {type_def.name}.{name}, "
                    f"which {subgraph.name} does not define",
                    subgraphs=[subgraph.name],
                    coordinate=coordinate,
                    hint=f"define {type_def.name}.{name} in {subgraph.name}"
                    + (" as @external" if external else "")
                    + ", or remove it from the selection",
                )
                continue
            if directive == "key" and found.arguments:
                self.errors.error(
                    "KEY_FIELDS_HAS_ARGS",
                    f"@key on {coordinate} in subgraph {subgraph.name!r} selects {type_def.name}.{name}, which "
                    "takes arguments",
                    subgraphs=[subgraph.name],
                    coordinate=coordinate,
                    hint="key fields cannot take arguments",
                )
            if external and not found.external and not node.selection_set:
                self.errors.error(
                    "REQUIRES_FIELDS_MISSING_EXTERNAL"
                    if directive == "requires"
                    else "PROVIDES_FIELDS_MISSING_EXTERNAL",
                    f"@{directive} on {coordinate} in subgraph {subgraph.name!r} names {type_def.name}.{name}, "
                    "which is not marked @external",
                    subgraphs=[subgraph.name],
                    coordinate=coordinate,
                    hint=f"declare {type_def.name}.{name} @external in {subgraph.name} (it is resolved by another "
                    "subgraph)",
                )
            if node.selection_set:
                nested = subgraph.types.get(named_type(found.type))
                if nested is not None:
                    self._walk_field_set(subgraph, nested, node.selection_set, directive, code, coordinate, external)

    def _check_override(self, subgraph: Subgraph, type_def: TypeDef, field_def: FieldDef) -> None:
        coordinate = f"{type_def.name}.{field_def.name}"
        source = field_def.override
        if source == subgraph.name:
            self.errors.error(
                "OVERRIDE_FROM_SELF_ERROR",
                f"{coordinate} in subgraph {subgraph.name!r} overrides itself",
                subgraphs=[subgraph.name],
                coordinate=coordinate,
                hint="name the subgraph the field moves from",
            )
        elif source not in self.known:
            self.errors.error(
                "OVERRIDE_SOURCE_UNKNOWN",
                f"{coordinate} in subgraph {subgraph.name!r} overrides it from {source!r}, which is not a subgraph "
                f"of this supergraph (subgraphs: {', '.join(sorted(self.known))})",
                subgraphs=[subgraph.name],
                coordinate=coordinate,
                hint="fix the subgraph name in @override(from:), or remove @override once the move is complete",
            )
        if field_def.external:
            self.errors.error(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                f"{coordinate} in subgraph {subgraph.name!r} is both @override and @external",
                subgraphs=[subgraph.name],
                coordinate=coordinate,
                hint="an overriding field resolves itself: drop @external",
            )

    def _check_external_use(self, subgraph: Subgraph, type_def: TypeDef) -> None:
        used = self._field_set_usage(subgraph)
        interface_fields = {
            name for interface in type_def.interfaces for name in getattr(subgraph.types.get(interface), "fields", {})
        }
        for field_def in type_def.fields.values():
            coordinate = f"{type_def.name}.{field_def.name}"
            if field_def.external and coordinate not in used and field_def.name not in interface_fields:
                self.errors.error(
                    "EXTERNAL_UNUSED",
                    f"{coordinate} is @external in subgraph {subgraph.name!r} but no @key, @requires or @provides "
                    "uses it",
                    subgraphs=[subgraph.name],
                    coordinate=coordinate,
                    hint="remove the field from this subgraph, or use it in a @requires or @provides",
                )

    def _field_set_usage(self, subgraph: Subgraph, *, provides_only: bool = False) -> set[str]:
        """`Type.field` coordinates a subgraph's keys, @requires and @provides select, nested ones included."""
        cached = self._usage_cache.get((subgraph.name, provides_only))
        if cached is not None:
            return cached
        used: set[str] = set()
        for type_def in subgraph.types.values():
            if not provides_only:
                for key in type_def.keys:
                    used |= self._coordinates(subgraph, type_def.name, key.fields)
            for field_def in type_def.fields.values():
                if field_def.requires and not provides_only:
                    used |= self._coordinates(subgraph, type_def.name, field_def.requires)
                if field_def.provides:
                    used |= self._coordinates(subgraph, named_type(field_def.type), field_def.provides)
        self._usage_cache[(subgraph.name, provides_only)] = used
        return used

    def _coordinates(self, subgraph: Subgraph, type_name: str, fields: str) -> set[str]:
        try:
            selection = parse_field_set(fields)
        except GraphQLError:
            return set()
        return self._walk_coordinates(subgraph, type_name, selection)

    def _walk_coordinates(self, subgraph: Subgraph, type_name: str, selection: SelectionSetNode) -> set[str]:
        found: set[str] = set()
        type_def = subgraph.types.get(type_name)
        for node in selection.selections:
            if not isinstance(node, FieldNode):
                continue
            found.add(f"{type_name}.{node.name.value}")
            field_def = type_def.fields.get(node.name.value) if type_def else None
            if node.selection_set is not None and field_def is not None:
                found |= self._walk_coordinates(subgraph, named_type(field_def.type), node.selection_set)
        return found

    def _check_interface_objects(self, subgraph: Subgraph) -> None:
        for type_def in subgraph.types.values():
            if not type_def.interface_object:
                continue
            implementations = sorted(
                name for name in self.implementations.get(type_def.name, set()) if name in subgraph.types
            )
            if implementations:
                self.errors.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f"subgraph {subgraph.name!r} declares {type_def.name} an @interfaceObject but also defines its "
                    f"implementations {', '.join(implementations)}",
                    subgraphs=[subgraph.name],
                    coordinate=type_def.name,
                    hint=f"define {type_def.name} as an interface there, or move its implementations to another "
                    "subgraph",
                )

    # -- type merging ----------------------------------------------------------------------------------------

    def _merge_type(self, name: str, sources: list[tuple[Subgraph, TypeDef]], usage: set[str]) -> MergedType | None:
        kinds = {t.kind for _, t in sources if not t.interface_object}
        interface_objects = [s for s, t in sources if t.interface_object]
        if interface_objects:
            kinds.discard(Kind.OBJECT)
            kinds.add(Kind.INTERFACE)
        if len(kinds) > 1:
            described = ", ".join(f"{t.kind.value} in {s.name}" for s, t in sources)
            self.errors.error(
                "TYPE_KIND_MISMATCH",
                f"{name} is not the same kind of type everywhere: {described}",
                subgraphs=[s.name for s, _ in sources],
                coordinate=name,
                hint="rename one of them, or make them the same kind",
            )
            return None
        kind = kinds.pop()
        merged = MergedType(name=name, kind=kind, description=_first(t.description for _, t in sources))
        merged.directives = _merge_directives(t.directives for _, t in sources)
        for subgraph, type_def in sources:
            graph = self.graph[subgraph.name]
            if type_def.keys:
                merged.joins += [
                    JoinType(graph, key.fields, type_def.extension, key.resolvable, type_def.interface_object)
                    for key in type_def.keys
                ]
            else:
                merged.joins.append(JoinType(graph, None, type_def.extension, True, type_def.interface_object))
        if kind in (Kind.OBJECT, Kind.INTERFACE):
            self._merge_fields(merged, sources)
            for subgraph, type_def in sources:
                for interface in type_def.interfaces:
                    merged.implements.append((self.graph[subgraph.name], interface))
                    if interface not in merged.interfaces:
                        merged.interfaces.append(interface)
        elif kind is Kind.INPUT_OBJECT:
            self._merge_input(merged, sources)
        elif kind is Kind.ENUM:
            self._merge_enum(merged, sources, usage)
        elif kind is Kind.UNION:
            for subgraph, type_def in sources:
                merged.members += [(self.graph[subgraph.name], member) for member in type_def.members]
        return merged

    def _merge_fields(self, merged: MergedType, sources: list[tuple[Subgraph, TypeDef]]) -> None:
        order: list[str] = []
        for _, type_def in sources:
            order += [name for name in type_def.fields if name not in order]
        for field_name in order:
            field_sources = [(s, t, t.fields[field_name]) for s, t in sources if field_name in t.fields]
            overridden = {
                f.override
                for _, _, f in field_sources
                if f.override and f.override_label is None and f.override in {s.name for s, _, _ in field_sources}
            }
            live = [(s, t, f) for s, t, f in field_sources if s.name not in overridden]
            # Progressive @override(label:): the old home keeps the field while the label is off.
            progressive = {
                f.override: f.override_label
                for _, _, f in field_sources
                if f.override and f.override_label and f.override in {s.name for s, _, _ in field_sources}
            }
            coordinate = f"{merged.name}.{field_name}"
            resolving = [(s, t, f) for s, t, f in live if not f.external and s.name not in progressive]
            # An @external field a @provides selects is resolved by that subgraph too, along that path.
            providing = [
                s for s, _, f in live if f.external and coordinate in self._field_set_usage(s, provides_only=True)
            ]
            if merged.kind is Kind.OBJECT and len(resolving) + len(providing) > 1:
                unshareable = [s.name for s, t, f in resolving if not (f.shareable or _in_key(t, field_name))]
                if unshareable:
                    self.errors.error(
                        "INVALID_FIELD_SHARING",
                        f"{coordinate} is resolved by subgraphs "
                        f"{', '.join(sorted({s.name for s, _, _ in resolving} | {s.name for s in providing}))} "
                        f"but is not @shareable in {', '.join(unshareable)}",
                        subgraphs=[s.name for s, _, _ in resolving],
                        coordinate=coordinate,
                        hint=f"mark {coordinate} @shareable in every subgraph that resolves it, or resolve it in one "
                        "subgraph only (@override moves it)",
                    )
            type_str = self._merge_output_type(coordinate, [(s.name, f.type) for s, _, f in live])
            if type_str is None:
                continue
            field_out = MergedField(
                name=field_name,
                type=type_str,
                description=_first(f.description for _, _, f in live),
                directives=_merge_directives(f.directives for _, _, f in live),
            )
            field_out.arguments = self._merge_arguments(coordinate, [(s.name, f) for s, _, f in resolving or live])
            all_equal = len({type_string(f.type) for _, _, f in live}) == 1
            needs_join = (
                not all_equal
                or bool(progressive)
                or any(f.external or f.requires or f.provides or f.override or f.override_label for _, _, f in live)
                or len(live) < len(sources)
            )
            if needs_join:
                field_out.joins = [
                    JoinField(
                        graph=self.graph[s.name],
                        requires=f.requires,
                        provides=f.provides,
                        type=None if all_equal else type_string(f.type),
                        external=f.external,
                        override=f.override,
                        override_label=f.override_label or progressive.get(s.name),
                    )
                    for s, _, f in live
                ]
            merged.fields[field_name] = field_out

    def _merge_output_type(self, coordinate: str, types: list[tuple[str, TypeNode]]) -> str | None:
        """The most general of the types (every subgraph's type must be a subtype of it)."""
        candidate = types[0][1]
        for _, node in types[1:]:
            if self._is_subtype(candidate, node):
                candidate = node
        if all(self._is_subtype(node, candidate) for _, node in types):
            return type_string(candidate)
        self.errors.error(
            "FIELD_TYPE_MISMATCH",
            f"{coordinate} has incompatible types: "
            + ", ".join(f"{type_string(node)} in {name}" for name, node in types),
            subgraphs=[name for name, _ in types],
            coordinate=coordinate,
            hint="give the field the same type everywhere (nullability may differ)",
        )
        return None

    def _is_subtype(self, sub: TypeNode, sup: TypeNode) -> bool:
        """`sub` can stand where `sup` is expected: same shape, nullability only tightened, or an implementation."""
        sub_required, sub_inner = _unwrap(sub)
        sup_required, sup_inner = _unwrap(sup)
        if sup_required and not sub_required:
            return False
        if isinstance(sub_inner, ListTypeNode) and isinstance(sup_inner, ListTypeNode):
            return self._is_subtype(sub_inner.type, sup_inner.type)
        if isinstance(sub_inner, NamedTypeNode) and isinstance(sup_inner, NamedTypeNode):
            a, b = sub_inner.name.value, sup_inner.name.value
            return a == b or a in self.implementations.get(b, set()) or a in self.union_members.get(b, set())
        return False

    def _merge_input_types(self, coordinate: str, types: list[tuple[str, TypeNode]]) -> str | None:
        """For inputs the most restrictive type wins: one every subgraph accepts (non-null anywhere sticks)."""
        for _, candidate in types:
            if all(self._is_subtype(candidate, other) for _, other in types):
                return type_string(candidate)
        self.errors.error(
            "FIELD_ARGUMENT_TYPE_MISMATCH",
            f"{coordinate} has incompatible types: " + ", ".join(f"{type_string(n)} in {s}" for s, n in types),
            subgraphs=[s for s, _ in types],
            coordinate=coordinate,
            hint="give it the same type everywhere (nullability may differ)",
        )
        return None

    def _merge_arguments(self, coordinate: str, fields: list[tuple[str, FieldDef]]) -> dict[str, MergedArgument]:
        names: list[str] = []
        for _, field_def in fields:
            names += [name for name in field_def.arguments if name not in names]
        merged: dict[str, MergedArgument] = {}
        for name in names:
            present = [(s, f.arguments[name]) for s, f in fields if name in f.arguments]
            where = f"{coordinate}({name}:)"
            if len(present) < len(fields):
                required = [s for s, a in present if _is_required(a)]
                missing = [s for s, f in fields if name not in f.arguments]
                if required:
                    self.errors.error(
                        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                        f"{where} is required in {', '.join(required)} but missing in {', '.join(missing)}",
                        subgraphs=[*required, *missing],
                        coordinate=where,
                        hint=f"add the argument in {', '.join(missing)}, or make it optional everywhere",
                    )
                continue  # arguments are intersected: one not everywhere is left out
            type_str = self._merge_input_types(where, [(s, a.type) for s, a in present])
            if type_str is None:
                continue
            defaults = {a.default for _, a in present if a.default is not None}
            if len(defaults) > 1:
                self.errors.error(
                    "INPUT_FIELD_DEFAULT_MISMATCH",
                    f"{where} has different default values: {', '.join(sorted(defaults))}",
                    subgraphs=[s for s, _ in present],
                    coordinate=where,
                    hint="use one default value everywhere",
                )
            merged[name] = MergedArgument(
                name,
                type_str,
                _first(a.description for _, a in present),
                next(iter(defaults), None),
                _merge_directives(a.directives for _, a in present),
            )
        return merged

    def _merge_input(self, merged: MergedType, sources: list[tuple[Subgraph, TypeDef]]) -> None:
        order: list[str] = []
        for _, type_def in sources:
            order += [name for name in type_def.input_fields if name not in order]
        for name in order:
            present = [(s.name, t.input_fields[name]) for s, t in sources if name in t.input_fields]
            where = f"{merged.name}.{name}"
            if len(present) < len(sources):
                required = [s for s, v in present if _is_required(v)]
                missing = [s.name for s, t in sources if name not in t.input_fields]
                if required:
                    self.errors.error(
                        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                        f"input field {where} is required in {', '.join(required)} but missing in {', '.join(missing)}",
                        subgraphs=[*required, *missing],
                        coordinate=where,
                        hint=f"add {where} to {', '.join(missing)}, or make it optional everywhere",
                    )
                else:
                    self.errors.note(
                        "INCONSISTENT_INPUT_OBJECT_FIELD",
                        f"{where} is left out of the supergraph: input types keep only the fields every subgraph has",
                        subgraphs=missing,
                        coordinate=where,
                    )
                continue
            type_str = self._merge_input_types(where, [(s, v.type) for s, v in present])
            if type_str is None:
                continue
            all_equal = len({type_string(v.type) for _, v in present}) == 1
            defaults = {v.default for _, v in present if v.default is not None}
            merged.fields[name] = MergedField(
                name=name,
                type=type_str,
                description=_first(v.description for _, v in present),
                directives=_merge_directives(v.directives for _, v in present),
                joins=None if all_equal else [JoinField(self.graph[s], type=type_string(v.type)) for s, v in present],
                default=next(iter(sorted(defaults)), None),
            )
        if not merged.fields:
            self.errors.error(
                "EMPTY_MERGED_INPUT_TYPE",
                f"input {merged.name} has no field that every subgraph defining it shares",
                subgraphs=[s.name for s, _ in sources],
                coordinate=merged.name,
                hint="give the input type the same fields in every subgraph",
            )

    def _merge_enum(self, merged: MergedType, sources: list[tuple[Subgraph, TypeDef]], usage: set[str]) -> None:
        value_sets = {s.name: set(t.values) for s, t in sources}
        all_values: list[str] = []
        for _, type_def in sources:
            all_values += [v for v in type_def.values if v not in all_values]
        if usage == {"input", "output"} and len({frozenset(v) for v in value_sets.values()}) > 1:
            self.errors.error(
                "ENUM_VALUE_MISMATCH",
                f"enum {merged.name} is used both as input and output, so every subgraph must define the same "
                "values, but: " + "; ".join(f"{s} has {', '.join(sorted(v))}" for s, v in value_sets.items()),
                subgraphs=list(value_sets),
                coordinate=merged.name,
                hint="define the same values in every subgraph",
            )
            return
        keep = all_values
        if usage == {"input"}:
            keep = [v for v in all_values if all(v in values for values in value_sets.values())]
        for value in keep:
            present = [(s, t.values[value]) for s, t in sources if value in t.values]
            merged.values[value] = MergedEnumValue(
                value,
                _first(v.description for _, v in present),
                [self.graph[s.name] for s, _ in present],
                _merge_directives(v.directives for _, v in present),
            )
        if not merged.values:
            self.errors.error(
                "EMPTY_MERGED_ENUM_TYPE",
                f"enum {merged.name} has no value every subgraph shares",
                subgraphs=list(value_sets),
                coordinate=merged.name,
                hint="share at least one value",
            )

    def _enum_usage(self) -> dict[str, set[str]]:
        usage: dict[str, set[str]] = {}
        for subgraph in self.subgraphs:
            for type_def in subgraph.types.values():
                for field_def in type_def.fields.values():
                    usage.setdefault(named_type(field_def.type), set()).add("output")
                    for argument in field_def.arguments.values():
                        usage.setdefault(named_type(argument.type), set()).add("input")
                for value in type_def.input_fields.values():
                    usage.setdefault(named_type(value.type), set()).add("input")
        return usage

    # -- interfaces --------------------------------------------------------------------------------------------

    def _add_interface_object_fields(self, types: dict[str, MergedType]) -> None:
        """Fields an @interfaceObject adds to an interface reach every implementation, resolved via the interface."""
        for interface in types.values():
            object_graphs = {join.graph for join in interface.joins if join.interface_object}
            if interface.kind is not Kind.INTERFACE or not object_graphs:
                continue
            added = {
                name: f
                for name, f in interface.fields.items()
                if f.joins is not None and {j.graph for j in f.joins} <= object_graphs
            }
            for implementation in self.implementations.get(interface.name, ()):
                target = types.get(implementation)
                if target is None:
                    continue
                for name, field_def in added.items():
                    if name not in target.fields:
                        target.fields[name] = MergedField(
                            name,
                            field_def.type,
                            field_def.description,
                            dict(field_def.arguments),
                            list(field_def.directives),
                            joins=[JoinField(graph=None)],
                        )

    def _check_interface_implementations(self, types: dict[str, MergedType]) -> None:
        for merged in types.values():
            for interface_name in merged.interfaces:
                interface = types.get(interface_name)
                if interface is None:
                    continue
                for field_name in interface.fields:
                    if field_name not in merged.fields:
                        graphs = {graph for graph, name in merged.implements if name == interface_name}
                        subgraphs = [name for name, graph in self.graph.items() if graph in graphs]
                        self.errors.error(
                            "INTERFACE_FIELD_NO_IMPLEM",
                            f"{merged.name} implements {interface_name} but has no field {field_name}",
                            subgraphs=subgraphs,
                            coordinate=f"{merged.name}.{field_name}",
                            hint=f"add {merged.name}.{field_name} in a subgraph that defines {merged.name}",
                        )

    # -- reachability --------------------------------------------------------------------------------------------

    def _check_satisfiability(self, supergraph: Supergraph) -> None:
        """Every field of every reachable object type must be resolvable from wherever a query can be at it.

        A query is at type T in subgraph S when a root field of S leads there, or when a jump through a
        resolvable @key of T reaches S from a subgraph that can select that key's fields. From each such
        (T, S) the fields of T must be resolvable in S or in a subgraph reachable from S by such jumps.
        """
        by_name = {s.name: s for s in self.subgraphs}
        entered: dict[str, set[str]] = {}
        pending: list[tuple[str, str]] = []

        def enter(type_name: str, subgraph: str) -> None:
            if subgraph not in entered.setdefault(type_name, set()):
                entered[type_name].add(subgraph)
                pending.append((type_name, subgraph))

        for each in self.subgraphs:
            for type_name in _reachable(each):
                enter(type_name, each.name)
        while pending:
            type_name, current = pending.pop()
            for target in self._jumps(type_name, by_name[current]):
                enter(type_name, target)
                for reached in _reachable(by_name[target], start=[type_name]):
                    enter(reached, target)
        roots = set(supergraph.roots.values())
        for merged in supergraph.types.values():
            # Root fields are entry points: a query starts at whichever subgraph resolves each of them.
            if merged.kind is not Kind.OBJECT or merged.name not in entered or merged.name in roots:
                continue
            for origin in sorted(entered[merged.name]):
                reachable = self._jump_closure(merged.name, by_name[origin])
                stranded: dict[str, set[str]] = {}
                for field_name in merged.fields:
                    sources = {
                        s.name
                        for s in self.subgraphs
                        if merged.name in s.types
                        and field_name in s.types[merged.name].fields
                        and not s.types[merged.name].fields[field_name].external
                    }
                    if sources and not reachable & sources:
                        stranded[field_name] = sources
                if not stranded:
                    continue
                owners = sorted(set().union(*stranded.values()))
                fields = ", ".join(f"{merged.name}.{name}" for name in stranded)
                self.errors.error(
                    "SATISFIABILITY_ERROR",
                    f"a query that reaches {merged.name} in subgraph {origin!r} cannot get {fields}: they live in "
                    f"{', '.join(owners)}, and {origin} cannot select the fields of any @key of {merged.name} there",
                    subgraphs=sorted({origin, *owners}),
                    coordinate=merged.name,
                    hint=f"give {merged.name} a @key in {', '.join(owners)} whose fields {origin} resolves, or add one "
                    f"of their keys' fields to {merged.name} in {origin}",
                )

    def _jumps(self, type_name: str, origin: Subgraph) -> list[str]:
        """Subgraphs with a resolvable @key of the type whose fields `origin` can select."""
        targets = []
        for subgraph in self.subgraphs:
            type_def = subgraph.types.get(type_name)
            if subgraph.name == origin.name or type_def is None:
                continue
            if any(key.resolvable and self._selectable(origin, type_name, key.fields) for key in type_def.keys):
                targets.append(subgraph.name)
        return targets

    def _jump_closure(self, type_name: str, origin: Subgraph) -> set[str]:
        by_name = {s.name: s for s in self.subgraphs}
        seen, frontier = {origin.name}, [origin.name]
        while frontier:
            current = frontier.pop()
            for target in self._jumps(type_name, by_name[current]):
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
        return seen

    def _selectable(self, subgraph: Subgraph, type_name: str, fields: str) -> bool:
        try:
            selection = parse_field_set(fields)
        except GraphQLError:
            return False
        return self._selectable_set(subgraph, type_name, selection)

    def _selectable_set(self, subgraph: Subgraph, type_name: str, selection: SelectionSetNode) -> bool:
        type_def = subgraph.types.get(type_name)
        if type_def is None:
            return False
        for node in selection.selections:
            if not isinstance(node, FieldNode):
                return False
            field_def = type_def.fields.get(node.name.value)
            if field_def is None or field_def.external:
                return False
            if node.selection_set is not None and not self._selectable_set(
                subgraph, named_type(field_def.type), node.selection_set
            ):
                return False
        return True


def parse_field_set(fields: str) -> SelectionSetNode:
    document = parse("{" + fields + "}")
    operation = document.definitions[0]
    return operation.selection_set  # type: ignore[attr-defined, no-any-return]


def _top_level_fields(fields: str) -> set[str]:
    try:
        selection = parse_field_set(fields)
    except GraphQLError:
        return set()
    return {node.name.value for node in selection.selections if isinstance(node, FieldNode)}


def _in_key(type_def: TypeDef, field_name: str) -> bool:
    return any(field_name in _top_level_fields(key.fields) for key in type_def.keys)


def _reachable(subgraph: Subgraph, start: Iterable[str] | None = None) -> set[str]:
    pending = list(start if start is not None else subgraph.roots.values())
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in subgraph.types:
            continue
        seen.add(name)
        type_def = subgraph.types[name]
        pending += [named_type(f.type) for f in type_def.fields.values() if not f.external]
        pending += type_def.members
        if type_def.kind is Kind.INTERFACE:
            pending += [t.name for t in subgraph.types.values() if name in t.interfaces]
    return seen


def _is_required(value: InputValue) -> bool:
    return isinstance(value.type, NonNullTypeNode) and value.default is None


def _first(values: Iterable[str | None]) -> str | None:
    """The description most subgraphs agree on; on a tie the first, by subgraph name (as Apollo's composition)."""
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    non_empty = {value: count for value, count in counts.items() if value}
    if not non_empty:
        return None
    return max(non_empty, key=lambda value: non_empty[value])


def _merge_directives(groups: Iterable[list[AppliedDirective]]) -> list[AppliedDirective]:
    merged: list[AppliedDirective] = []
    for group in groups:
        merged += [directive for directive in group if directive not in merged]
    return merged
