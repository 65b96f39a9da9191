"""Who may read what: `@authenticated` and `@requiresScopes` as the supergraph carries them, per field
and per type, turned into one requirement per (parent type, field)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    ListValueNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    get_named_type,
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """Signed in, and (when `scopes` is set) holding every scope of at least one of its alternatives."""

    authenticated: bool = False
    scopes: tuple[frozenset[str], ...] | None = None

    def __bool__(self) -> bool:
        return self.authenticated or self.scopes is not None

    def both(self, other: Requirement) -> Requirement:
        """This and `other`: (a or b) and (c or d) = (a and c) or (a and d) or ..."""
        if self.scopes is None:
            scopes = other.scopes
        elif other.scopes is None:
            scopes = self.scopes
        else:
            scopes = tuple(dict.fromkeys(mine | theirs for mine in self.scopes for theirs in other.scopes))
        return Requirement(self.authenticated or other.authenticated or scopes is not None, scopes)

    def describe(self) -> str:
        if self.scopes is None:
            return "a signed-in caller"
        return "the scopes " + " or ".join("(" + " and ".join(sorted(option)) + ")" for option in self.scopes)


OPEN = Requirement()


@dataclass(frozen=True, slots=True)
class Access:
    """What the caller's verified token grants."""

    authenticated: bool
    scopes: frozenset[str] = frozenset()

    def allows(self, requirement: Requirement) -> bool:
        if requirement.authenticated and not self.authenticated:
            return False
        return requirement.scopes is None or any(alternative <= self.scopes for alternative in requirement.scopes)


ANONYMOUS_ACCESS = Access(authenticated=False)


class AccessRules:
    """The requirements of one supergraph, looked up by (parent type, field name)."""

    def __init__(self, document: DocumentNode, api: GraphQLSchema):
        self._api = api
        authenticated, requires_scopes = _directive_names(document)
        self._types: dict[str, Requirement] = {}
        self._fields: dict[tuple[str, str], Requirement] = {}
        for definition in document.definitions:
            if not isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                continue
            name = definition.name.value
            own = _requirement(definition.directives or (), authenticated, requires_scopes)
            if own:
                self._types[name] = self._types.get(name, OPEN).both(own)
            for field in getattr(definition, "fields", None) or ():
                rule = _requirement(field.directives or (), authenticated, requires_scopes)
                if rule:
                    self._fields[(name, field.name.value)] = rule
        self._resolved: dict[tuple[str, str], Requirement] = {}

    @property
    def any(self) -> bool:
        return bool(self._types or self._fields)

    def field(self, parent: str, name: str) -> Requirement:
        found = self._resolved.get((parent, name))
        if found is None:
            found = self._resolved[(parent, name)] = self._field(parent, name)
        return found

    def _field(self, parent: str, name: str) -> Requirement:
        """The field's own rule, its implementations' rules when the parent is an interface, and the
        rules of the type it returns (of every possible type when that is abstract)."""
        parent_type = self._api.get_type(parent)
        if not isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType):
            return OPEN
        definition = parent_type.fields.get(name)
        if definition is None:
            return OPEN
        rule = self._fields.get((parent, name), OPEN)
        if isinstance(parent_type, GraphQLInterfaceType):
            for implementation in self._api.get_possible_types(parent_type):
                rule = rule.both(self._fields.get((implementation.name, name), OPEN))
        return rule.both(self.type(get_named_type(definition.type)))

    def type(self, named: GraphQLNamedType) -> Requirement:
        rule = self._types.get(named.name, OPEN)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            for possible in self._api.get_possible_types(named):
                rule = rule.both(self._types.get(possible.name, OPEN))
        return rule


def _directive_names(document: DocumentNode) -> tuple[str, str]:
    """The names the supergraph gives the two directives (`@link(as:)` may rename them)."""
    names = {"authenticated": "authenticated", "requiresScopes": "requiresScopes"}
    for definition in document.definitions:
        for directive in getattr(definition, "directives", None) or ():
            if directive.name.value != "link":
                continue
            arguments = {argument.name.value: argument.value for argument in directive.arguments or ()}
            url = arguments.get("url")
            alias = arguments.get("as")
            if not isinstance(url, StringValueNode) or not isinstance(alias, StringValueNode):
                continue
            for spec in names:
                if f"/{spec}/v" in url.value:
                    names[spec] = alias.value
    return names["authenticated"], names["requiresScopes"]


def _requirement(directives: Iterable[ConstDirectiveNode], authenticated: str, requires_scopes: str) -> Requirement:
    rule = OPEN
    for directive in directives:
        if directive.name.value == authenticated:
            rule = rule.both(Requirement(authenticated=True))
        elif directive.name.value == requires_scopes:
            rule = rule.both(Requirement(True, _scopes(directive)))
    return rule


def _scopes(directive: ConstDirectiveNode) -> tuple[frozenset[str], ...]:
    arguments: Mapping[str, object] = {argument.name.value: argument.value for argument in directive.arguments or ()}
    outer = arguments.get("scopes")
    alternatives: list[frozenset[str]] = []
    if isinstance(outer, ListValueNode):
        for inner in outer.values:
            if isinstance(inner, ListValueNode):
                alternatives.append(frozenset(v.value for v in inner.values if isinstance(v, StringValueNode)))
    return tuple(alternatives)
