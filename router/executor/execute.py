"""Walking a query plan: fetches run, entity results are merged into the response tree at their paths."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from router.errors import RouterError
from router.executor.fetch import SubgraphClient
from router.planner.operation import Field, InlineFragment, Selection
from router.planner.plan import Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan, Sequence

Path = list[str | int]


@dataclass
class Execution:
    """One request's state: the merged data and the errors, shared by every node of the plan."""

    variables: Mapping[str, Any]
    headers: Mapping[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: bool = False
    """A fetch failed outright: fields it would have filled are missing, already explained by an error."""
    extensions: dict[str, Any] | None = None
    """Sent with every subgraph request (the caller's verified claims)."""


class Executor:
    def __init__(self, client: SubgraphClient):
        self.client = client

    async def execute(self, plan: QueryPlan, execution: Execution) -> None:
        if plan.node is not None:
            await self.run(plan.node, execution)

    async def run(self, node: PlanNode, execution: Execution) -> None:
        """Run one node of a plan (a subscription runs the nodes after its root once per event)."""
        match node:
            case Fetch():
                await self._root_fetch(node, execution)
            case Flatten():
                await self._entity_fetch(node, execution)
            case Sequence():
                for child in node.nodes:
                    await self.run(child, execution)
            case Parallel():
                await asyncio.gather(*(self.run(child, execution) for child in node.nodes))
            case Condition():
                chosen = node.if_clause if bool(execution.variables.get(node.variable)) else node.else_clause
                if chosen is not None:
                    await self.run(chosen, execution)

    async def _root_fetch(self, fetch: Fetch, execution: Execution) -> None:
        body: dict[str, Any] = {"query": fetch.operation, "variables": _variables(fetch, execution)}
        if execution.extensions:
            body["extensions"] = execution.extensions
        try:
            result = await self.client.fetch(
                fetch.service, body, execution.headers, is_mutation=fetch.operation_kind == "mutation"
            )
        except RouterError as failure:
            execution.failed = True
            execution.errors.append(failure.as_graphql())
            return
        if isinstance(result.data, dict):
            _merge(execution.data, result.data)
        for error in result.errors:
            execution.errors.append(subgraph_error(error, fetch.service, error.get("path")))

    async def _entity_fetch(self, node: Flatten, execution: Execution) -> None:
        fetch = node.node
        assert fetch.requires is not None
        rewrites = dict(fetch.typename_rewrites)
        flat = dict(fetch.flat_requires) if fetch.flat_requires is not None else None
        representations: list[dict[str, Any]] = []
        targets: list[list[tuple[dict[str, Any], Chain]]] = []
        index_of: dict[object, int] = {}
        for entity, path in _objects_at(execution.data, node.path):
            key: object
            if flat is not None:
                # The common case: a key of plain fields (`__typename id`); the values themselves dedupe.
                typename = entity.get("__typename")
                names = flat.get(typename) if isinstance(typename, str) else None
                if names is None:
                    continue
                try:
                    values = tuple(entity[name] for name in names)
                except KeyError:
                    continue
                representation = dict(zip(names, values, strict=True))
                representation["__typename"] = rewrites.get(typename, typename)  # type: ignore[arg-type]
                key = (typename, values)
            else:
                found_representation = _representation(entity, fetch.requires, rewrites)
                if found_representation is None:
                    continue
                representation = found_representation
                key = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            if key not in index_of:
                index_of[key] = len(representations)
                representations.append(representation)
                targets.append([])
            targets[index_of[key]].append((entity, path))
        if not representations:
            return
        body: dict[str, Any] = {
            "query": fetch.operation,
            "variables": {**_variables(fetch, execution), "representations": representations},
        }
        if execution.extensions:
            body["extensions"] = execution.extensions
        try:
            result = await self.client.fetch(fetch.service, body, execution.headers, is_mutation=False)
        except RouterError as failure:
            execution.failed = True
            execution.errors.append(failure.as_graphql(_materialize(targets[0][0][1])))
            return
        entities = result.data.get("_entities") if isinstance(result.data, dict) else None
        if isinstance(entities, list):
            for index, found in enumerate(entities[: len(targets)]):
                if isinstance(found, dict):
                    for entity, _ in targets[index]:
                        for field_key, value in found.items():
                            if entity.get(field_key) is None or not isinstance(value, dict | list):
                                entity[field_key] = value  # the usual case: a field this fetch adds
                            else:
                                _merge(entity, {field_key: value})
        elif not result.errors:
            execution.failed = True
            execution.errors.append(
                RouterError(
                    "SUBREQUEST_MALFORMED_RESPONSE",
                    f"subgraph {fetch.service} returned no _entities list",
                    service=fetch.service,
                ).as_graphql(_materialize(targets[0][0][1]))
            )
        for error in result.errors:
            execution.errors.append(subgraph_error(error, fetch.service, _client_path(error.get("path"), targets)))


def _client_path(path: Any, targets: list[list[tuple[dict[str, Any], Chain]]]) -> Path | None:
    """`["_entities", i, ...rest]` in the subgraph's answer is the i-th entity's path plus rest for the client."""
    if not (isinstance(path, list) and len(path) >= 2 and path[0] == "_entities" and isinstance(path[1], int)):
        return None
    if path[1] >= len(targets):
        return None
    return [*_materialize(targets[path[1]][0][1]), *path[2:]]


def _variables(fetch: Fetch, execution: Execution) -> dict[str, Any]:
    return {name: execution.variables[name] for name in fetch.variables if name in execution.variables}


def subgraph_error(error: Mapping[str, Any], service: str, path: Any) -> dict[str, Any]:
    """A subgraph's error as the client sees it: its message and code, at the client's path."""
    extensions = dict(error.get("extensions") or {})
    extensions.setdefault("code", "SUBGRAPH_ERROR")
    extensions["service"] = service
    shaped: dict[str, Any] = {"message": str(error.get("message", "subgraph error")), "extensions": extensions}
    if isinstance(path, list):
        shaped["path"] = path
    return shaped


def _merge(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            _merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            for index, item in enumerate(value):
                if isinstance(existing[index], dict) and isinstance(item, dict):
                    _merge(existing[index], item)
                else:
                    existing[index] = item
        else:
            target[key] = value


Chain = tuple[Any, str | int] | None
"""A response path as (parent, key) pairs, made into a list only when an error needs it."""


def _materialize(chain: Chain) -> Path:
    keys: Path = []
    while chain is not None:
        chain, key = chain
        keys.append(key)
    keys.reverse()
    return keys


def _objects_at(data: Any, path: tuple[str, ...], prefix: Chain = None) -> list[tuple[dict[str, Any], Chain]]:
    """Every object at `path` (`@` = each list item), with its path in the response."""
    current: list[tuple[Any, Chain]] = [(data, prefix)]
    for step in path:
        following: list[tuple[Any, Chain]] = []
        for value, where in current:
            if step == "@":
                if isinstance(value, list):
                    following += [(item, (where, index)) for index, item in enumerate(value)]
            elif isinstance(value, dict) and step in value:
                following.append((value[step], (where, step)))
        current = following
    found: list[tuple[dict[str, Any], Chain]] = []
    for value, where in current:
        if isinstance(value, dict):
            found.append((value, where))
        elif isinstance(value, list):  # a list at the end of the path: its objects, however nested
            found += _objects_at(value, ("@",), where)
    return found


def _representation(
    entity: Mapping[str, Any], requires: tuple[InlineFragment, ...], rewrites: Mapping[str, str]
) -> dict[str, Any] | None:
    typename = entity.get("__typename")
    if not isinstance(typename, str):
        return None
    for fragment in requires:
        if fragment.type_condition in (typename, None):
            picked = _pick(entity, fragment.selections)
            if picked is None:
                return None
            picked["__typename"] = rewrites.get(typename, typename)
            return picked
    return None


def _pick(source: Mapping[str, Any], selections: tuple[Selection, ...]) -> dict[str, Any] | None:
    picked: dict[str, Any] = {}
    for selection in selections:
        if isinstance(selection, InlineFragment):
            inner = _pick(source, selection.selections)
            if inner is None:
                return None
            picked.update(inner)
            continue
        assert isinstance(selection, Field)
        if selection.response_key not in source:
            return None  # a key field is missing: this object cannot be looked up
        value = source[selection.response_key]
        if selection.selections is not None and isinstance(value, dict):
            value = _pick(value, selection.selections)
            if value is None:
                return None
        elif selection.selections is not None and isinstance(value, list):
            value = [_pick(item, selection.selections) if isinstance(item, dict) else item for item in value]
        picked[selection.name] = value
    return picked
