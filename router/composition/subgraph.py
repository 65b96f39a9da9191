"""A subgraph's SDL read into a model: its types and fields with their federation directives resolved.

Federation directives are found under the names the subgraph's `@link` gives them (imported, renamed
with `as`, or namespaced as `@federation__key`); a subgraph without a federation `@link` is read as
Federation 1, where every directive has its bare name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    ListValueNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    ValueNode,
    parse,
    print_ast,
)

from router.composition.errors import ErrorCollector
from router.federation.specs import (
    CARRIED_DIRECTIVES,
    FEDERATION_DIRECTIVES,
    FEDERATION_SPEC_PREFIX,
    SUBGRAPH_INTERNAL_FIELDS,
    SUBGRAPH_INTERNALS,
)

BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
STANDARD_CARRIED = frozenset({"deprecated", "specifiedBy", "oneOf"})


class Kind(StrEnum):
    OBJECT = "type"
    INTERFACE = "interface"
    UNION = "union"
    ENUM = "enum"
    INPUT_OBJECT = "input"
    SCALAR = "scalar"


@dataclass(frozen=True, slots=True)
class AppliedDirective:
    """A directive the supergraph keeps on the element (@tag, @inaccessible, @deprecated, ...)."""

    name: str
    """Its canonical name, whatever the subgraph called it."""
    arguments: str
    """The printed argument list, `(name: "x")`, or empty."""

    def print(self) -> str:
        return f"@{self.name}{self.arguments}"


@dataclass(frozen=True, slots=True)
class Key:
    fields: str
    resolvable: bool = True


@dataclass
class InputValue:
    """An argument or an input field."""

    name: str
    type: TypeNode
    description: str | None = None
    default: str | None = None
    directives: list[AppliedDirective] = field(default_factory=list)


@dataclass
class FieldDef:
    name: str
    type: TypeNode
    description: str | None = None
    arguments: dict[str, InputValue] = field(default_factory=dict)
    shareable: bool = False
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    override: str | None = None
    override_label: str | None = None
    directives: list[AppliedDirective] = field(default_factory=list)


@dataclass
class EnumValue:
    name: str
    description: str | None = None
    directives: list[AppliedDirective] = field(default_factory=list)


@dataclass
class TypeDef:
    name: str
    kind: Kind
    description: str | None = None
    keys: list[Key] = field(default_factory=list)
    shareable: bool = False
    extension: bool = False
    interface_object: bool = False
    interfaces: list[str] = field(default_factory=list)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    input_fields: dict[str, InputValue] = field(default_factory=dict)
    values: dict[str, EnumValue] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    directives: list[AppliedDirective] = field(default_factory=list)

    @property
    def is_entity(self) -> bool:
        return bool(self.keys)


@dataclass
class Subgraph:
    name: str
    url: str
    types: dict[str, TypeDef]
    roots: dict[str, str]
    """Operation ("query", ...) -> root type name, normalised to Query, Mutation, Subscription."""


def named_type(node: TypeNode) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def type_string(node: TypeNode) -> str:
    return print_ast(node)


class _Names:
    """Local directive name -> federation directive name, from the schema's `@link`s."""

    def __init__(self, definitions: list[DefinitionNode]):
        self.local: dict[str, str] = {}
        links = [
            directive
            for definition in definitions
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode)
            for directive in definition.directives or ()
            if directive.name.value == "link"
        ]
        federation = next(
            (link for link in links if (_string_argument(link, "url") or "").startswith(FEDERATION_SPEC_PREFIX)),
            None,
        )
        if federation is None:  # Federation 1: bare names
            self.local = {name: name for name in FEDERATION_DIRECTIVES}
            return
        prefix = _string_argument(federation, "as") or "federation"
        self.local = {f"{prefix}__{name}": name for name in FEDERATION_DIRECTIVES}
        for entry in _list_argument(federation, "import"):
            if isinstance(entry, StringValueNode):
                imported = entry.value.lstrip("@")
                self.local[imported] = imported
            elif isinstance(entry, ObjectValueNode):
                values = {item.name.value: item.value for item in entry.fields}
                name, alias = values.get("name"), values.get("as")
                if isinstance(name, StringValueNode):
                    original = name.value.lstrip("@")
                    local = alias.value.lstrip("@") if isinstance(alias, StringValueNode) else original
                    self.local[local] = original

    def federation_name(self, directive: DirectiveNode) -> str | None:
        return self.local.get(directive.name.value)


def _argument(directive: DirectiveNode, name: str) -> ValueNode | None:
    return next((arg.value for arg in directive.arguments or () if arg.name.value == name), None)


def _string_argument(directive: DirectiveNode, name: str) -> str | None:
    value = _argument(directive, name)
    return value.value if isinstance(value, StringValueNode) else None


def _bool_argument(directive: DirectiveNode, name: str, default: bool) -> bool:
    value = _argument(directive, name)
    return bool(getattr(value, "value", default)) if value is not None else default


def _list_argument(directive: DirectiveNode, name: str) -> list[ValueNode]:
    value = _argument(directive, name)
    if isinstance(value, ListValueNode):
        return list(value.values)
    return [value] if value is not None else []


def _printed_arguments(directive: DirectiveNode) -> str:
    if not directive.arguments:
        return ""
    return "(" + ", ".join(print_ast(argument) for argument in directive.arguments) + ")"


def _description(node: object) -> str | None:
    description = getattr(node, "description", None)
    return description.value if description is not None else None


class _Reader:
    def __init__(self, name: str, url: str, sdl: str, errors: ErrorCollector):
        self.name = name
        self.url = url
        self.errors = errors
        self.document: DocumentNode | None = None
        try:
            self.document = parse(sdl)
        except GraphQLError as error:
            errors.error(
                "INVALID_GRAPHQL",
                f"the SDL of subgraph {name!r} does not parse: {error.message}",
                subgraphs=[name],
                hint="fix the syntax error at the reported location",
            )
            return
        self.names = _Names(list(self.document.definitions))

    def read(self) -> Subgraph | None:
        if self.document is None:
            return None
        roots = self._roots()
        rename = {local: canonical for canonical_op, local in roots.items() for canonical in [ROOT_NAMES[canonical_op]]}
        types: dict[str, TypeDef] = {}
        for definition in self.document.definitions:
            self._read_definition(definition, types, rename)
        for internal in SUBGRAPH_INTERNALS:
            types.pop(internal, None)
        for root in ("Query", "Mutation", "Subscription"):
            if root in types:
                for internal in SUBGRAPH_INTERNAL_FIELDS:
                    types[root].fields.pop(internal, None)
        # Every Federation 2 subgraph has a Query type (for `_entities`), even with no field of its own.
        types.setdefault("Query", TypeDef(name="Query", kind=Kind.OBJECT))
        present_roots = {op: ROOT_NAMES[op] for op in ROOT_NAMES if ROOT_NAMES[op] in types}
        return Subgraph(self.name, self.url, types, present_roots)

    def _roots(self) -> dict[str, str]:
        roots = {op: ROOT_NAMES[op] for op in ROOT_NAMES}
        assert self.document is not None
        for definition in self.document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for operation in definition.operation_types or ():
                    roots[operation.operation.value] = operation.type.name.value
        return roots

    def _read_definition(self, definition: DefinitionNode, types: dict[str, TypeDef], rename: dict[str, str]) -> None:
        kinds: dict[type, tuple[Kind, bool]] = {
            ObjectTypeDefinitionNode: (Kind.OBJECT, False),
            ObjectTypeExtensionNode: (Kind.OBJECT, True),
            InterfaceTypeDefinitionNode: (Kind.INTERFACE, False),
            InterfaceTypeExtensionNode: (Kind.INTERFACE, True),
            UnionTypeDefinitionNode: (Kind.UNION, False),
            UnionTypeExtensionNode: (Kind.UNION, True),
            EnumTypeDefinitionNode: (Kind.ENUM, False),
            EnumTypeExtensionNode: (Kind.ENUM, True),
            InputObjectTypeDefinitionNode: (Kind.INPUT_OBJECT, False),
            InputObjectTypeExtensionNode: (Kind.INPUT_OBJECT, True),
            ScalarTypeDefinitionNode: (Kind.SCALAR, False),
            ScalarTypeExtensionNode: (Kind.SCALAR, True),
        }
        if type(definition) not in kinds:
            return  # schema definitions, directive definitions
        kind, is_extension = kinds[type(definition)]
        node: Any = definition  # a type definition or extension: name, directives and its kind's members
        name = rename.get(node.name.value, node.name.value)
        if name.startswith(("federation__", "link__", "join__")):
            return
        existing = types.get(name)
        if existing is None:
            existing = types[name] = TypeDef(name=name, kind=kind, extension=is_extension)
        elif existing.kind is not kind:
            self.errors.error(
                "TYPE_KIND_MISMATCH",
                f"subgraph {self.name!r} defines {name} both as {existing.kind.value} and as {kind.value}",
                subgraphs=[self.name],
                coordinate=name,
                hint="keep one definition per type",
            )
            return
        elif not is_extension:
            existing.extension = False
        existing.description = existing.description or _description(node)
        self._read_type_directives(existing, node.directives or ())
        if kind in (Kind.OBJECT, Kind.INTERFACE):
            existing.interfaces += [
                i.name.value for i in node.interfaces or () if i.name.value not in existing.interfaces
            ]
            for field_node in node.fields or ():
                existing.fields[field_node.name.value] = self._read_field(field_node, existing)
        elif kind is Kind.INPUT_OBJECT:
            for value_node in node.fields or ():
                existing.input_fields[value_node.name.value] = self._read_input_value(value_node)
        elif kind is Kind.ENUM:
            for value in node.values or ():
                existing.values[value.name.value] = EnumValue(
                    value.name.value, _description(value), self._carried(value.directives or ())
                )
        elif kind is Kind.UNION:
            existing.members += [m.name.value for m in node.types or () if m.name.value not in existing.members]

    def _read_type_directives(self, type_def: TypeDef, directives: tuple[ConstDirectiveNode, ...]) -> None:
        for directive in directives:
            match self.names.federation_name(directive):
                case "key":
                    fields = _string_argument(directive, "fields")
                    if fields is not None:
                        type_def.keys.append(Key(fields, _bool_argument(directive, "resolvable", True)))
                case "shareable":
                    type_def.shareable = True
                case "interfaceObject":
                    type_def.interface_object = True
                case "extends":
                    type_def.extension = True
        type_def.directives += [d for d in self._carried(directives) if d not in type_def.directives]

    def _read_field(self, node: object, parent: TypeDef) -> FieldDef:
        definition = FieldDef(
            name=node.name.value,  # type: ignore[attr-defined]
            type=node.type,  # type: ignore[attr-defined]
            description=_description(node),
            arguments={arg.name.value: self._read_input_value(arg) for arg in node.arguments or ()},  # type: ignore[attr-defined]
            shareable=parent.shareable,
        )
        directives: tuple[ConstDirectiveNode, ...] = node.directives or ()  # type: ignore[attr-defined]
        for directive in directives:
            match self.names.federation_name(directive):
                case "shareable":
                    definition.shareable = True
                case "external":
                    definition.external = True
                case "requires":
                    definition.requires = _string_argument(directive, "fields")
                case "provides":
                    definition.provides = _string_argument(directive, "fields")
                case "override":
                    definition.override = _string_argument(directive, "from")
                    definition.override_label = _string_argument(directive, "label")
        definition.directives = self._carried(directives)
        return definition

    def _read_input_value(self, node: InputValueDefinitionNode) -> InputValue:
        return InputValue(
            name=node.name.value,
            type=node.type,
            description=_description(node),
            default=print_ast(node.default_value) if node.default_value is not None else None,
            directives=self._carried(node.directives or ()),
        )

    def _carried(self, directives: tuple[ConstDirectiveNode, ...]) -> list[AppliedDirective]:
        carried: list[AppliedDirective] = []
        for directive in directives:
            name = self.names.federation_name(directive)
            if name in CARRIED_DIRECTIVES:
                carried.append(AppliedDirective(name, _printed_arguments(directive)))
            elif name is None and directive.name.value in STANDARD_CARRIED:
                carried.append(AppliedDirective(directive.name.value, _printed_arguments(directive)))
        return carried


def read_subgraph(name: str, url: str, sdl: str, errors: ErrorCollector) -> Subgraph | None:
    """The subgraph's model, or None (with errors recorded) when its SDL cannot be read."""
    return _Reader(name, url, sdl, errors).read()


__all__ = [
    "BUILTIN_SCALARS",
    "AppliedDirective",
    "EnumValue",
    "FieldDef",
    "InputValue",
    "Key",
    "Kind",
    "Subgraph",
    "TypeDef",
    "named_type",
    "read_subgraph",
    "type_string",
]
