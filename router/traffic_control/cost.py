"""The cost model: an estimate, from the schema and the document alone, of how much work an operation asks of
the subgraphs. It is static (no query runs to learn it) and cheap (computed once per document and cached).

- A field returning an object, interface or union costs 1, plus the cost of its selection.
- A field returning a scalar or an enum costs 0: it rides along with the object that holds it.
- A list multiplies what one element costs by its expected length: the value of its size argument (`first`,
  `last` or `limit`, the largest when several) when it has one, else that argument's default in the schema
  (`first: Int! = 50`), otherwise the assumed list size. A list of lists multiplies by the assumed size once
  more per inner level.
- A size argument given as a variable makes the cost depend on the request: it is estimated again with the
  request's variables (a missing variable counts as its default, or as the assumed size).
- Fragments add up, even on an abstract type where only one type condition applies to each object: an upper
  bound, as for the fields of every other kind.
- Introspection (`__schema`, `__type` and everything below) costs 0: the router answers it from its own
  schema, and validation bounds its depth.

So `{ team(id: 1) { name players { name injuries { note } } } }` costs 1 (team) + 20 x (1 (player) +
20 x 1 (injury)) = 421 with the default assumed size of 20, and 1 + 5 x (1 + 20) = 106 with `players(first: 5)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import ArgumentNode, GraphQLField, IntValueNode, VariableDefinitionNode, VariableNode

HUGE = 10**18
"""Sizes are clamped here: a literal of thousands of digits must not cost a big-number conversion."""


@dataclass(frozen=True)
class CostModel:
    assumed_list_size: int = 20
    size_arguments: frozenset[str] = frozenset({"first", "last", "limit"})

    def list_size(
        self,
        arguments: Iterable[ArgumentNode],
        variables: Mapping[str, Any],
        defaults: Mapping[str, int],
        schema_defaults: Mapping[str, int] | None = None,
    ) -> tuple[int, bool]:
        """The expected length of a list field with these arguments, and whether a variable decided it.
        `defaults` are the operation's variable defaults, `schema_defaults` the field's size arguments' own."""
        sizes: list[int] = []
        given_names = {argument.name.value for argument in arguments}
        sizes += [size for name, size in (schema_defaults or {}).items() if name not in given_names]
        from_variable = False
        for argument in arguments:
            if argument.name.value not in self.size_arguments:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                sizes.append(_int_literal(value.value))
            elif isinstance(value, VariableNode):
                from_variable = True
                name = value.name.value
                given = variables.get(name)
                if isinstance(given, int) and not isinstance(given, bool):
                    sizes.append(min(max(given, 0), HUGE))
                elif given is None and name in defaults:
                    sizes.append(defaults[name])
                else:
                    sizes.append(self.assumed_list_size)
        return (max(sizes) if sizes else self.assumed_list_size), from_variable

    def argument_defaults(self, definition: GraphQLField) -> dict[str, int]:
        """The schema's integer defaults of a field's size arguments (`first: Int! = 50`)."""
        return {
            name: min(max(argument.default_value, 0), HUGE)
            for name, argument in definition.args.items()
            if name in self.size_arguments
            and isinstance(argument.default_value, int)
            and not isinstance(argument.default_value, bool)
        }


def _int_literal(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > 18:
        return 0 if text.startswith("-") else HUGE
    return max(int(text), 0)


def variable_defaults(definitions: Iterable[VariableDefinitionNode]) -> dict[str, int]:
    """Integer defaults of an operation's variables (`$first: Int = 10`), the size a missing variable means."""
    defaults: dict[str, int] = {}
    for definition in definitions:
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = _int_literal(definition.default_value.value)
    return defaults
