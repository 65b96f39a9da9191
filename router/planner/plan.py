"""The query plan: a closed set of frozen node types, executed by one `match` in the executor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from router.planner.operation import InlineFragment, Operation, print_selections


@dataclass(frozen=True, slots=True)
class Fetch:
    """One request to one subgraph: a root query or mutation, or an `_entities` lookup."""

    service: str
    operation: str
    """The document sent."""
    operation_kind: str
    variables: tuple[str, ...]
    """Client variables the document uses (sent along)."""
    requires: tuple[InlineFragment, ...] | None = None
    """For entity fetches: what each representation holds, by type (`__typename` and key fields first)."""
    typename_rewrites: tuple[tuple[str, str], ...] = ()
    """Runtime type -> the type the subgraph knows it as (an @interfaceObject)."""
    flat_requires: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    """`requires` when every field is plain (no nesting, no alias): per type, the field names. The executor
    builds those representations without walking selections."""
    id: int = 0


@dataclass(frozen=True, slots=True)
class Flatten:
    """Run `node` for every object at `path` ("@" steps into every item of a list)."""

    path: tuple[str, ...]
    node: Fetch


@dataclass(frozen=True, slots=True)
class Sequence:
    """Children one after another: each may need what the previous one fetched."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Parallel:
    """Children at the same time: none needs another's data."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """Run `if_clause` when the boolean variable is true, `else_clause` otherwise (@include/@skip)."""

    variable: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode = Fetch | Flatten | Sequence | Parallel | Condition


@dataclass(frozen=True)
class QueryPlan:
    operation: Operation
    node: PlanNode | None
    fetch_count: int = field(default=0)

    def describe(self) -> str:
        return "QueryPlan {\n" + (_describe(self.node, "  ") if self.node else "") + "\n}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "QueryPlan", "node": _as_dict(self.node) if self.node else None}


def _describe(node: PlanNode, indent: str) -> str:
    inner = indent + "  "
    match node:
        case Fetch():
            head = f'{indent}Fetch(service: "{node.service}")'
            body = node.operation.replace("\n", "\n" + inner)
            if node.requires is not None:
                requires = print_selections(node.requires, inner + "  ")
                return f"{head} {{\n{inner}{{\n{requires}\n{inner}}} =>\n{inner}{body}\n{indent}}}"
            return f"{head} {{\n{inner}{body}\n{indent}}}"
        case Flatten():
            return f'{indent}Flatten(path: "{".".join(node.path)}") {{\n{_describe(node.node, inner)}\n{indent}}}'
        case Sequence() | Parallel():
            label = type(node).__name__
            children = ",\n".join(_describe(child, inner) for child in node.nodes)
            return f"{indent}{label} {{\n{children}\n{indent}}}"
        case Condition():
            parts = []
            if node.if_clause is not None:
                parts.append(f"{inner}if {{\n{_describe(node.if_clause, inner + '  ')}\n{inner}}}")
            if node.else_clause is not None:
                parts.append(f"{inner}else {{\n{_describe(node.else_clause, inner + '  ')}\n{inner}}}")
            return f"{indent}Condition(variable: ${node.variable}) {{\n" + "\n".join(parts) + f"\n{indent}}}"


def _as_dict(node: PlanNode) -> dict[str, Any]:
    match node:
        case Fetch():
            return {
                "kind": "Fetch",
                "serviceName": node.service,
                "operation": node.operation,
                "operationKind": node.operation_kind,
                "variableUsages": list(node.variables),
                "requires": print_selections(node.requires, "") if node.requires is not None else None,
            }
        case Flatten():
            return {"kind": "Flatten", "path": list(node.path), "node": _as_dict(node.node)}
        case Sequence() | Parallel():
            return {"kind": type(node).__name__, "nodes": [_as_dict(child) for child in node.nodes]}
        case Condition():
            return {
                "kind": "Condition",
                "condition": node.variable,
                "ifClause": _as_dict(node.if_clause) if node.if_clause else None,
                "elseClause": _as_dict(node.else_clause) if node.else_clause else None,
            }
