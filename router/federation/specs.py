"""Spec URLs and the directive definitions a Federation 2 supergraph carries (link v1.0, join v0.5)."""

from __future__ import annotations

FEDERATION_SPEC_PREFIX = "https://specs.apollo.dev/federation/v"
LINK_SPEC = "https://specs.apollo.dev/link/v1.0"
JOIN_SPEC = "https://specs.apollo.dev/join/v0.5"

# Federation directives a subgraph may use (names without "@"), as `@link(import:)` names them.
FEDERATION_DIRECTIVES = frozenset(
    {
        "key",
        "requires",
        "provides",
        "external",
        "shareable",
        "override",
        "inaccessible",
        "tag",
        "interfaceObject",
        "extends",
        "composeDirective",
        "authenticated",
        "requiresScopes",
        "policy",
        "context",
        "fromContext",
        "cost",
        "listSize",
    }
)

# Directives that the supergraph keeps on elements, each linked to its own spec (feature, version, purpose).
CARRIED_DIRECTIVES: dict[str, tuple[str, str | None]] = {
    "tag": ("https://specs.apollo.dev/tag/v0.3", None),
    "inaccessible": ("https://specs.apollo.dev/inaccessible/v0.2", "SECURITY"),
    "authenticated": ("https://specs.apollo.dev/authenticated/v0.1", "SECURITY"),
    "requiresScopes": ("https://specs.apollo.dev/requiresScopes/v0.1", "SECURITY"),
    "policy": ("https://specs.apollo.dev/policy/v0.1", "SECURITY"),
}

CARRIED_DEFINITIONS: dict[str, str] = {
    "authenticated": "directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "inaccessible": (
        "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR "
        "| ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
    ),
    "policy": (
        "directive @policy(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
    ),
    "requiresScopes": (
        "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE "
        "| SCALAR | ENUM"
    ),
    "tag": (
        "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION "
        "| ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA"
    ),
}
CARRIED_SCALARS = {"policy": "policy__Policy", "requiresScopes": "requiresScopes__Scope"}

JOIN_DEFINITIONS: tuple[str, ...] = (
    "directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) "
    "repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION",
    "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
    "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, "
    "external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String, "
    "contextArguments: [join__ContextArgument!]) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION",
    "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
    "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE",
    "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, "
    "resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) "
    "repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
    "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
    "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA",
)

JOIN_TYPES: dict[str, str] = {
    "join__ContextArgument": (
        "input join__ContextArgument {\n  name: String!\n  type: String!\n  context: String!\n"
        "  selection: join__FieldValue!\n}"
    ),
    "join__DirectiveArguments": "scalar join__DirectiveArguments",
    "join__FieldSet": "scalar join__FieldSet",
    "join__FieldValue": "scalar join__FieldValue",
    "link__Import": "scalar link__Import",
    "link__Purpose": (
        "enum link__Purpose {\n"
        '  """\n  `SECURITY` features provide metadata necessary to securely resolve fields.\n  """\n'
        "  SECURITY\n\n"
        '  """\n  `EXECUTION` features provide metadata necessary for operation execution.\n  """\n'
        "  EXECUTION\n}"
    ),
}

# Names a subgraph's SDL carries for the federation machinery; they are not part of the supergraph.
SUBGRAPH_INTERNALS = frozenset({"_Service", "_Any", "_Entity", "FieldSet", "link__Import", "link__Purpose"})
SUBGRAPH_INTERNAL_FIELDS = frozenset({"_entities", "_service"})
