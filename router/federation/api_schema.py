"""The client-facing API schema of a supergraph: no join or link machinery, nothing @inaccessible."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from graphql import (
    DefinitionNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    Node,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    print_schema,
)

from router.federation.specs import CARRIED_DIRECTIVES, CARRIED_SCALARS

N = TypeVar("N", bound=Node)

_MACHINERY_PREFIXES = ("join__", "link__")
_REMOVED_DIRECTIVES = {"link", *CARRIED_DIRECTIVES}


def _is_machinery(name: str) -> bool:
    return name.startswith(_MACHINERY_PREFIXES) or name in CARRIED_SCALARS.values()


def _inaccessible(node: Node) -> bool:
    return any(d.name.value == "inaccessible" for d in getattr(node, "directives", None) or ())


def _clean_directives(directives: Sequence[DirectiveNode] | None) -> tuple[DirectiveNode, ...]:
    return tuple(
        d for d in directives or () if not d.name.value.startswith("join__") and d.name.value not in _REMOVED_DIRECTIVES
    )


def _clean(node: N, **changes: Any) -> N:
    values = {key: getattr(node, key) for key in node.keys}
    values.update(changes)
    if "directives" in values:
        values["directives"] = _clean_directives(values["directives"])
    return type(node)(**values)


def _clean_arguments(
    arguments: Sequence[InputValueDefinitionNode] | None,
) -> tuple[InputValueDefinitionNode, ...]:
    return tuple(_clean(argument) for argument in arguments or () if not _inaccessible(argument))


def _clean_definition(node: DefinitionNode) -> DefinitionNode | None:
    if isinstance(node, SchemaDefinitionNode):
        return _clean(node)
    if isinstance(node, DirectiveDefinitionNode):
        name = node.name.value
        return None if name.startswith("join__") or name in _REMOVED_DIRECTIVES else node
    if not isinstance(node, TypeDefinitionNode) or _is_machinery(node.name.value) or _inaccessible(node):
        return None
    if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        fields = tuple(
            _clean(field, arguments=_clean_arguments(field.arguments))
            for field in node.fields or ()
            if not _inaccessible(field)
        )
        return _clean(node, fields=fields)
    if isinstance(node, InputObjectTypeDefinitionNode):
        return _clean(node, fields=_clean_arguments(node.fields))
    if isinstance(node, EnumTypeDefinitionNode):
        return _clean(node, values=tuple(_clean(v) for v in node.values or () if not _inaccessible(v)))
    if isinstance(node, UnionTypeDefinitionNode):
        return _clean(node)
    return _clean(node)


def api_document(supergraph: DocumentNode) -> DocumentNode:
    definitions = [cleaned for node in supergraph.definitions if (cleaned := _clean_definition(node)) is not None]
    return DocumentNode(definitions=tuple(definitions))


def api_schema(supergraph_sdl: str) -> GraphQLSchema:
    """Build the API schema a client sees from a supergraph's SDL."""
    return build_ast_schema(api_document(parse(supergraph_sdl)))


def api_schema_sdl(supergraph_sdl: str) -> str:
    return print_schema(api_schema(supergraph_sdl))


__all__ = ["FieldDefinitionNode", "api_document", "api_schema", "api_schema_sdl"]
