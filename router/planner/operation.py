"""The client operation normalised for planning and shaping: fragment spreads inlined, one IR."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    print_ast,
)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    alias: str | None = None
    arguments: tuple[ArgumentNode, ...] = ()
    directives: tuple[DirectiveNode, ...] = ()
    selections: tuple[Selection, ...] | None = None
    denied: bool = False
    """The caller may not see it (router/auth/filter.py): it is never planned and answers null."""

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True, slots=True)
class InlineFragment:
    type_condition: str | None
    selections: tuple[Selection, ...]
    directives: tuple[DirectiveNode, ...] = ()


Selection = Field | InlineFragment


@dataclass(frozen=True)
class Operation:
    kind: str
    """query, mutation or subscription."""
    name: str | None
    selections: tuple[Selection, ...]
    variables: tuple[VariableDefinitionNode, ...]

    @property
    def variable_types(self) -> dict[str, str]:
        return {v.variable.name.value: print_ast(v.type) for v in self.variables}


class OperationNotFound(ValueError):
    pass


def select_operation(document: DocumentNode, name: str | None) -> Operation:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        if len(operations) != 1:
            raise OperationNotFound("the document holds several operations: name one with operationName")
        chosen = operations[0]
    else:
        found = [o for o in operations if o.name and o.name.value == name]
        if not found:
            raise OperationNotFound(f"the document has no operation named {name!r}")
        chosen = found[0]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return Operation(
        kind=chosen.operation.value,
        name=chosen.name.value if chosen.name else None,
        selections=_selections(chosen.selection_set, fragments),
        variables=tuple(chosen.variable_definitions or ()),
    )


def _selections(node: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]) -> tuple[Selection, ...]:
    result: list[Selection] = []
    for selection in node.selections:
        if isinstance(selection, FieldNode):
            result.append(
                Field(
                    name=selection.name.value,
                    alias=selection.alias.value if selection.alias else None,
                    arguments=tuple(selection.arguments or ()),
                    directives=tuple(selection.directives or ()),
                    selections=_selections(selection.selection_set, fragments) if selection.selection_set else None,
                )
            )
        elif isinstance(selection, InlineFragmentNode):
            result.append(
                InlineFragment(
                    type_condition=selection.type_condition.name.value if selection.type_condition else None,
                    selections=_selections(selection.selection_set, fragments),
                    directives=tuple(selection.directives or ()),
                )
            )
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            result.append(
                InlineFragment(
                    type_condition=fragment.type_condition.name.value,
                    selections=_selections(fragment.selection_set, fragments),
                    directives=tuple(selection.directives or ()),
                )
            )
    return tuple(result)


def variables_in(selections: Iterable[Selection]) -> set[str]:
    """Names of the variables the selections use, in arguments and directives."""
    found: set[str] = set()
    for selection in selections:
        nodes: Sequence[ArgumentNode] = ()
        if isinstance(selection, Field):
            nodes = (*selection.arguments, *(a for d in selection.directives for a in d.arguments or ()))
            found |= variables_in(selection.selections or ())
        else:
            nodes = tuple(a for d in selection.directives for a in d.arguments or ())
            found |= variables_in(selection.selections)
        for argument in nodes:
            found |= _variables(argument.value)
    return found


def _variables(value: object) -> set[str]:
    if isinstance(value, VariableNode):
        return {value.name.value}
    found: set[str] = set()
    for child in getattr(value, "values", None) or ():
        found |= _variables(child)
    for child in getattr(value, "fields", None) or ():
        found |= _variables(child.value)
    return found


def print_selections(selections: Iterable[Selection], indent: str = "  ") -> str:
    """GraphQL text of selections, one per line (documents sent to subgraphs and printed plans)."""
    lines: list[str] = []
    for selection in selections:
        directives = "".join(f" {print_ast(d)}" for d in selection.directives)
        if isinstance(selection, Field):
            head = f"{selection.alias}: {selection.name}" if selection.alias else selection.name
            if selection.arguments:
                head += "(" + ", ".join(print_ast(a) for a in selection.arguments) + ")"
            head += directives
            if selection.selections is not None:
                lines.append(f"{indent}{head} {{\n{print_selections(selection.selections, indent + '  ')}\n{indent}}}")
            else:
                lines.append(indent + head)
        else:
            on = f" on {selection.type_condition}" if selection.type_condition else ""
            lines.append(
                f"{indent}...{on}{directives} {{\n{print_selections(selection.selections, indent + '  ')}\n{indent}}}"
            )
    return "\n".join(lines)
