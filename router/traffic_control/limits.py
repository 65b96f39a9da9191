"""Operation limits, checked before an operation is validated or planned, with stable error codes.

Tokens are counted on the raw text with one regular expression, before anything is parsed: a token bomb
costs a scan of at most `max_tokens` tokens (about 0.4 µs each), not a parse (about 10 µs each). Depth,
aliases, root fields, fields and cost are then measured on the parsed document (`measure`), once per
document: the verdict is cached with the prepared operation. A cost that depends on variables is checked
again per request (`check_cost`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from router.settings import RouterSettings
from router.traffic_control.cost import CostModel
from router.traffic_control.measure import Measurement

_TOKEN = re.compile(
    r"""
      (\#[^\n\r]*)                                # a comment: ignored, like white space and commas
    | \"\"\"(?:\\\"\"\"|[^"]|"(?!""))*\"\"\"      # a block string
    | "(?:\\.|[^"\\\n\r])*"                       # a string
    | -?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?   # a number
    | [_A-Za-z][_0-9A-Za-z]*                      # a name
    | \.\.\.                                      # a spread
    | [^\s,\ufeff]                                # a punctuator, or a character the parser will refuse
    """,
    re.VERBOSE,
)


def count_tokens(text: str, limit: int) -> int:
    """The lexical tokens of a GraphQL document (the parser's count for a valid one), counting stops past
    `limit`."""
    count = 0
    for match in _TOKEN.finditer(text):
        if match.group(1) is None:
            count += 1
            if count > limit:
                break
    return count


@dataclass(frozen=True)
class OperationLimits:
    """The limits an engine enforces; 0 turns one off."""

    max_tokens: int = 4000
    max_depth: int = 12
    max_aliases: int = 30
    max_root_fields: int = 20
    max_fields: int = 1000
    max_cost: int = 10_000
    introspection: bool = True
    cost: CostModel = field(default_factory=CostModel)

    @classmethod
    def from_settings(cls, settings: RouterSettings) -> OperationLimits:
        return cls(
            max_tokens=settings.max_tokens,
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_root_fields=settings.max_root_fields,
            max_fields=settings.max_fields,
            max_cost=settings.max_cost,
            introspection=settings.introspection_enabled,
            cost=CostModel(settings.cost_list_size, frozenset(settings.cost_size_arguments)),
        )

    def check_text(self, text: str) -> dict[str, Any] | None:
        if self.max_tokens and (tokens := count_tokens(text, self.max_tokens)) > self.max_tokens:
            return limit_error("MAX_TOKENS_EXCEEDED", "the document has more tokens", self.max_tokens, tokens)
        return None

    def check(self, measured: Measurement) -> tuple[dict[str, Any], ...]:
        """Every limit the document breaks (all of them, so a client fixes its document once)."""
        m = measured
        found = [
            limit_error(code, template.format(_count(actual)), limit, actual)
            for code, limit, actual, template in (
                ("MAX_DEPTH_EXCEEDED", self.max_depth, m.depth, "the operation nests fields {} deep"),
                ("MAX_ALIASES_EXCEEDED", self.max_aliases, m.aliases, "the operation uses {} aliases"),
                ("MAX_ROOT_FIELDS_EXCEEDED", self.max_root_fields, m.root_fields, "the operation has {} root fields"),
                (
                    "MAX_FIELDS_EXCEEDED",
                    self.max_fields,
                    m.fields,
                    "the operation selects {} fields (spreads expanded)",
                ),
            )
            if limit and actual > limit
        ]
        if not measured.sized_by_variables and (over := self.check_cost(measured.cost)):
            found.append(over)
        if measured.introspection and not self.introspection:
            found.append(
                {
                    "message": "introspection is turned off on this router (__schema and __type)",
                    "extensions": {"code": "INTROSPECTION_DISABLED"},
                }
            )
        return tuple(found)

    def check_cost(self, cost: int) -> dict[str, Any] | None:
        if self.max_cost and cost > self.max_cost:
            return limit_error(
                "COST_LIMIT_EXCEEDED", f"the operation's estimated cost is {_count(cost)}", self.max_cost, cost
            )
        return None


def limit_error(code: str, message: str, limit: int, actual: int) -> dict[str, Any]:
    return {
        "message": f"{message}; the limit is {limit}",
        "extensions": {"code": code, "limit": limit, "measured": min(actual, 2**53)},
    }


def _count(value: int) -> str:
    """A count for a message: a fragment bomb's count can have hundreds of digits."""
    return str(value) if value < 10**15 else f"more than 10^{len(str(value)) - 1}"
