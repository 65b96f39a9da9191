"""Printing the supergraph: deterministic (types sorted by name, one directive per line on types)."""

from __future__ import annotations

import json

from graphql.language.block_string import print_block_string

from router.composition.merge import JoinField, JoinType, MergedArgument, MergedField, MergedType, Supergraph
from router.composition.subgraph import AppliedDirective, Kind
from router.federation.specs import (
    CARRIED_DEFINITIONS,
    CARRIED_DIRECTIVES,
    CARRIED_SCALARS,
    JOIN_DEFINITIONS,
    JOIN_SPEC,
    JOIN_TYPES,
    LINK_SPEC,
)


def print_supergraph(supergraph: Supergraph) -> str:
    used = _carried_in_use(supergraph)
    links = [f'  @link(url: "{LINK_SPEC}")', f'  @link(url: "{JOIN_SPEC}", for: EXECUTION)']
    for name, (url, purpose) in CARRIED_DIRECTIVES.items():
        if name in used:
            links.append(f'  @link(url: "{url}"' + (f", for: {purpose})" if purpose else ")"))
    operations = [
        f"  {op}: {name}"
        for op, name in (("query", "Query"), ("mutation", "Mutation"), ("subscription", "Subscription"))
        if name in supergraph.types
    ]
    blocks = ["schema\n" + "\n".join(links) + "\n{\n" + "\n".join(operations) + "\n}"]

    directives = {definition.split("(")[0].split(" ")[1]: definition for definition in JOIN_DEFINITIONS}
    directives.update({f"@{name}": CARRIED_DEFINITIONS[name] for name in used})
    blocks += [directives[name] for name in sorted(directives, key=str.lower)]

    printed: dict[str, str] = dict(JOIN_TYPES)
    printed["join__Graph"] = (
        "enum join__Graph {\n"
        + "\n".join(
            f"  {graph} @join__graph(name: {json.dumps(sub.name)}, url: {json.dumps(sub.url)})"
            for graph, sub in sorted(supergraph.graphs.items())
        )
        + "\n}"
    )
    for name in used:
        if name in CARRIED_SCALARS:
            printed[CARRIED_SCALARS[name]] = f"scalar {CARRIED_SCALARS[name]}"
    for merged in supergraph.types.values():
        printed[merged.name] = _print_type(merged)
    blocks += [printed[name] for name in sorted(printed, key=str.lower)]
    return "\n\n".join(blocks) + "\n"


def _carried_in_use(supergraph: Supergraph) -> set[str]:
    used: set[str] = set()

    def note(directives: list[AppliedDirective]) -> None:
        used.update(d.name for d in directives if d.name in CARRIED_DIRECTIVES)

    for merged in supergraph.types.values():
        note(merged.directives)
        for field_def in merged.fields.values():
            note(field_def.directives)
            for argument in field_def.arguments.values():
                note(argument.directives)
        for value in merged.values.values():
            note(value.directives)
    return used


def _description(text: str | None, indent: str = "") -> str:
    if not text:
        return ""
    block = print_block_string(text)
    return "\n".join(indent + line if line else line for line in block.split("\n")) + "\n"


def _print_type(merged: MergedType) -> str:
    keyword = merged.kind.value
    header = f"{keyword} {merged.name}"
    if merged.interfaces:
        header += " implements " + " & ".join(merged.interfaces)
    lines = [f"  @join__implements(graph: {graph}, interface: {json.dumps(name)})" for graph, name in merged.implements]
    lines += [_join_type(join) for join in merged.joins]
    if merged.kind is Kind.UNION:
        lines += [
            f"  @join__unionMember(graph: {graph}, member: {json.dumps(member)})" for graph, member in merged.members
        ]
    lines += [f"  {directive.print()}" for directive in merged.directives]
    text = _description(merged.description) + header + "\n" + "\n".join(lines)
    if merged.kind is Kind.UNION:
        members = list(dict.fromkeys(member for _, member in merged.members))
        return text + "\n = " + " | ".join(members)
    if merged.kind is Kind.SCALAR:
        return text
    if merged.kind is Kind.ENUM:
        body = [
            (
                value.description,
                f"  {value.name}"
                + "".join(f" @join__enumValue(graph: {graph})" for graph in value.graphs)
                + "".join(f" {d.print()}" for d in value.directives),
            )
            for value in merged.values.values()
        ]
    else:
        body = [(field_def.description, _print_field(field_def, merged.kind)) for field_def in merged.fields.values()]
    return text + "\n{\n" + _block(body, "  ") + "\n}"


def _block(items: list[tuple[str | None, str]], indent: str) -> str:
    """Items one per line; a described item after the first is set off by a blank line (as graphql-js does)."""
    lines: list[str] = []
    for index, (description, line) in enumerate(items):
        prefix = "\n" if description and index else ""
        lines.append(prefix + _description(description, indent) + line)
    return "\n".join(lines)


def _join_type(join: JoinType) -> str:
    arguments = [f"graph: {join.graph}"]
    if join.key is not None:
        arguments.append(f"key: {json.dumps(join.key)}")
    if join.extension:
        arguments.append("extension: true")
    if not join.resolvable:
        arguments.append("resolvable: false")
    if join.interface_object:
        arguments.append("isInterfaceObject: true")
    return f"  @join__type({', '.join(arguments)})"


def _join_field(join: JoinField) -> str:
    arguments = [f"graph: {join.graph}"] if join.graph else []
    for name, value in (
        ("requires", join.requires),
        ("provides", join.provides),
        ("type", join.type),
        ("override", join.override),
        ("overrideLabel", join.override_label),
    ):
        if value is not None:
            arguments.append(f"{name}: {json.dumps(value)}")
    if join.external:
        arguments.append("external: true")
    return f"@join__field({', '.join(arguments)})" if arguments else "@join__field"


def _print_field(field_def: MergedField, kind: Kind) -> str:
    text = f"  {field_def.name}"
    if field_def.arguments:
        text += _print_arguments(list(field_def.arguments.values()))
    text += f": {field_def.type}"
    if kind is Kind.INPUT_OBJECT and field_def.default is not None:
        text += f" = {field_def.default}"
    # Apollo's composition prints @inaccessible before the join directives and the others after.
    text += "".join(f" {d.print()}" for d in field_def.directives if d.name == "inaccessible")
    text += "".join(f" {_join_field(join)}" for join in field_def.joins or ())
    text += "".join(f" {d.print()}" for d in field_def.directives if d.name != "inaccessible")
    return text


def _print_argument(argument: MergedArgument) -> str:
    text = f"{argument.name}: {argument.type}"
    if argument.default is not None:
        text += f" = {argument.default}"
    return text + "".join(f" {d.print()}" for d in argument.directives)


def _print_arguments(arguments: list[MergedArgument]) -> str:
    if not any(argument.description for argument in arguments):
        return "(" + ", ".join(_print_argument(argument) for argument in arguments) + ")"
    inner = [(argument.description, "    " + _print_argument(argument)) for argument in arguments]
    return "(\n" + _block(inner, "    ") + "\n  )"
