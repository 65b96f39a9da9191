"""Shaping the response: exactly the fields the client asked for, in its order and under its aliases,
with GraphQL's null propagation for non-null fields. Helper fields the router added (keys,
`__typename`) never leak."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    BooleanValueNode,
    GraphQLAbstractType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    VariableNode,
    is_leaf_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from router.planner.operation import Field, InlineFragment, Selection

_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}
"""Introspection's root fields, answered by the router: they are in no type's field map."""

_INVALID = object()
"""A non-null field came out null: the nearest nullable parent becomes null."""


@dataclass(frozen=True, slots=True)
class _Collected:
    key: str
    name: str
    selections: tuple[Selection, ...] | None
    field_type: GraphQLOutputType | None


class Shaper:
    """Walks the client's selections over the merged data; one per supergraph (it caches field collection)."""

    def __init__(self, schema: GraphQLSchema):
        self.schema = schema
        self._collected: dict[tuple[int, str], list[_Collected]] = {}

    def shape(
        self,
        root_type: GraphQLObjectType,
        selections: tuple[Selection, ...],
        data: Mapping[str, Any],
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
        *,
        quiet: bool,
    ) -> dict[str, Any] | None:
        """The response `data`; `quiet` when a failed fetch already explains missing values."""
        run = _Run(self, variables, errors, quiet)
        shaped = run.object(root_type, selections, data, [])
        return None if shaped is _INVALID else shaped

    def collect(
        self, runtime: GraphQLObjectType, selections: tuple[Selection, ...], variables: Mapping[str, Any]
    ) -> list[_Collected]:
        cache_key = (id(selections), runtime.name)
        cached = self._collected.get(cache_key)
        if cached is not None:
            return cached
        grouped: dict[str, _Collected] = {}
        conditional = self._collect_into(runtime, selections, variables, grouped)
        collected = list(grouped.values())
        if not conditional:
            self._collected[cache_key] = collected  # no @skip/@include on a variable: the same every time
        return collected

    def _collect_into(
        self,
        runtime: GraphQLObjectType,
        selections: tuple[Selection, ...],
        variables: Mapping[str, Any],
        grouped: dict[str, _Collected],
    ) -> bool:
        conditional = False
        for selection in selections:
            included, depends = _included(selection, variables)
            conditional = conditional or depends
            if not included:
                continue
            if isinstance(selection, InlineFragment):
                condition = selection.type_condition
                if condition is None or condition == runtime.name or self._implements(runtime, condition):
                    conditional = self._collect_into(runtime, selection.selections, variables, grouped) or conditional
                continue
            key = selection.response_key
            field_def = runtime.fields.get(selection.name) or _META_FIELDS.get(selection.name)
            existing = grouped.get(key)
            if existing is None:
                grouped[key] = _Collected(
                    key, selection.name, selection.selections, field_def.type if field_def else None
                )
            elif selection.selections is not None:  # the same field selected twice: its selections merge
                grouped[key] = _Collected(
                    key, existing.name, (*(existing.selections or ()), *selection.selections), existing.field_type
                )
        return conditional

    def _implements(self, runtime: GraphQLObjectType, condition: str) -> bool:
        abstract = self.schema.get_type(condition)
        return isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType) and self.schema.is_sub_type(
            abstract, runtime
        )


class _Run:
    def __init__(self, shaper: Shaper, variables: Mapping[str, Any], errors: list[dict[str, Any]], quiet: bool):
        self.shaper = shaper
        self.variables = variables
        self.errors = errors
        self.quiet = quiet
        self.error_paths = {tuple(error["path"]) for error in errors if isinstance(error.get("path"), list)}

    def object(
        self,
        declared: GraphQLObjectType | GraphQLAbstractType,
        selections: tuple[Selection, ...],
        source: Any,
        path: list[str | int],
    ) -> Any:
        runtime = declared
        if not isinstance(declared, GraphQLObjectType):
            typename = source.get("__typename")
            resolved = self.shaper.schema.get_type(typename) if isinstance(typename, str) else None
            if not isinstance(resolved, GraphQLObjectType):
                return None  # an object whose type the router cannot tell: leave it out
            runtime = resolved
        assert isinstance(runtime, GraphQLObjectType)
        out: dict[str, Any] = {}
        for item in self.shaper.collect(runtime, selections, self.variables):
            if item.name == "__typename":
                out[item.key] = runtime.name
                continue
            if item.field_type is None:
                continue
            value = self.value(item.field_type, item.selections, source.get(item.key), [*path, item.key])
            if value is _INVALID:
                return _INVALID
            out[item.key] = value
        return out

    def value(
        self, declared: GraphQLOutputType, selections: tuple[Selection, ...] | None, source: Any, path: list[str | int]
    ) -> Any:
        if isinstance(declared, GraphQLNonNull):
            inner = self.value(declared.of_type, selections, source, path)
            if inner is None or inner is _INVALID:
                self._null_error(path)
                return _INVALID
            return inner
        if source is None:
            return None
        if isinstance(declared, GraphQLList):
            if not isinstance(source, list):
                return None
            items = []
            for index, item in enumerate(source):
                shaped = self.value(declared.of_type, selections, item, [*path, index])
                if shaped is _INVALID:
                    return None  # a nullable list becomes null when a non-null item is missing
                items.append(shaped)
            return items
        if is_leaf_type(declared):
            return source
        if not isinstance(source, dict) or selections is None:
            return None
        assert isinstance(declared, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
        shaped = self.object(declared, selections, source, path)
        return None if shaped is _INVALID else shaped

    def _null_error(self, path: list[str | int]) -> None:
        if (
            self.quiet
            or tuple(path) in self.error_paths
            or any(tuple(path[: len(known)]) == known for known in self.error_paths)
        ):
            return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field at {'.'.join(map(str, path))}.",
                "path": list(path),
                "extensions": {"code": "SUBGRAPH_INVALID_RESPONSE"},
            }
        )
        self.error_paths.add(tuple(path))


def _included(selection: Selection, variables: Mapping[str, Any]) -> tuple[bool, bool]:
    """Whether @skip/@include let the selection through, and whether that depends on variables."""
    depends = False
    for directive in selection.directives:
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        value_node = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
        if isinstance(value_node, VariableNode):
            depends = True
            value = bool(variables.get(value_node.name.value))
        elif isinstance(value_node, BooleanValueNode):
            value = value_node.value
        else:
            continue
        if (name == "skip" and value) or (name == "include" and not value):
            return False, depends
    return True, depends


__all__ = ["Field", "Shaper"]
