"""Shaping the response: exactly the fields the client asked for, in its order and under its aliases,
with GraphQL's null propagation for non-null fields. Helper fields the router added (keys,
`__typename`) never leak.

This is the hottest loop of the router (every field of every object of a response passes here), so
each selection set is compiled once per object type into slots that say what to do with a value, and
the slots into a small generated Python function that fills one object with straight-line code (a
dict display of its leaf fields, checks only where a field is non-null or needs completing). Response
paths are built only when an error needs one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from graphql import (
    BooleanValueNode,
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

from router.planner.operation import InlineFragment, Selection

_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}
"""Introspection's root fields, answered by the router: they are in no type's field map."""

_INVALID = object()
"""A non-null position came out null: the nearest nullable parent becomes null (the error is recorded)."""

_TYPENAME, _LEAF, _COMPOSITE, _DENIED = 0, 1, 2, 3

_MAX_ENTRIES = 20_000
"""Compiled selection sets and fillers kept; far above what a plan cache's operations need."""

Composite = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
Path = tuple[Any, str | int] | None
"""A response path as a chain of (parent, key) pairs; turned into a list only when an error needs it."""


class _Slot(NamedTuple):
    """A tuple, so the hot loop unpacks it instead of looking attributes up."""

    key: str
    kind: int
    required: bool
    """The field's own type is non-null."""
    lists: tuple[bool, ...]
    """One entry per list level: whether that level's items are non-null."""
    composite: Composite | None
    selections: tuple[Selection, ...] | None


Filler = Callable[["_Run", tuple[_Slot, ...], Any, Path], Any]
"""Fills one object of a type from its merged source: (run, slots, source, path) -> dict or _INVALID."""

Compiled = tuple[tuple[_Slot, ...], Filler]


class Shaper:
    """One per supergraph: it caches the compiled slots of each (selection set, object type), and the
    filler generated for each distinct layout of slots."""

    def __init__(self, schema: GraphQLSchema):
        self.schema = schema
        # Keyed by the selection tuple's id, which the entry keeps alive (so the id cannot be reused
        # by another tuple while the entry exists); emptied when it outgrows the plan cache's churn.
        self._compiled: dict[tuple[int, str], tuple[tuple[Selection, ...], Compiled]] = {}
        self._fillers: dict[tuple[object, ...], Filler] = {}

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
        shaped = run.object(root_type, selections, data, None)
        return None if shaped is _INVALID else shaped

    def compiled(
        self, runtime: GraphQLObjectType, selections: tuple[Selection, ...], variables: Mapping[str, Any]
    ) -> Compiled:
        cache_key = (id(selections), runtime.name)
        cached = self._compiled.get(cache_key)
        if cached is not None:
            return cached[1]
        grouped: dict[str, _Slot] = {}
        conditional = self._collect(runtime, selections, variables, grouped)
        slots = tuple(grouped.values())
        # The filler depends only on the layout, so selection sets that differ by a variable's
        # @skip/@include share the fillers of the layouts they produce.
        layout = (runtime.name, *((slot.key, slot.kind, slot.required, bool(slot.lists)) for slot in slots))
        filler = self._fillers.get(layout)
        if filler is None:
            if len(self._fillers) >= _MAX_ENTRIES:
                self._fillers.clear()
            filler = self._fillers[layout] = _generate_filler(runtime.name, slots)
        compiled = (slots, filler)
        if not conditional:  # no @skip/@include on a variable: the same every time
            if len(self._compiled) >= _MAX_ENTRIES:
                self._compiled.clear()
            self._compiled[cache_key] = (selections, compiled)
        return compiled

    def _collect(
        self,
        runtime: GraphQLObjectType,
        selections: tuple[Selection, ...],
        variables: Mapping[str, Any],
        grouped: dict[str, _Slot],
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
                    conditional = self._collect(runtime, selection.selections, variables, grouped) or conditional
                continue
            key = selection.response_key
            existing = grouped.get(key)
            if existing is not None:
                if existing.selections is not None and selection.selections is not None:
                    # The same field selected twice: its selections merge.
                    grouped[key] = _Slot(
                        key,
                        existing.kind,
                        existing.required,
                        existing.lists,
                        existing.composite,
                        (*existing.selections, *selection.selections),
                    )
                continue
            if selection.name == "__typename":
                grouped[key] = _Slot(key, _TYPENAME, True, (), None, None)
                continue
            field_def = runtime.fields.get(selection.name) or _META_FIELDS.get(selection.name)
            if field_def is not None:
                grouped[key] = (
                    _Slot(key, _DENIED, isinstance(field_def.type, GraphQLNonNull), (), None, None)
                    if selection.denied
                    else _compile(key, field_def.type, selection.selections)
                )
        return conditional

    def _implements(self, runtime: GraphQLObjectType, condition: str) -> bool:
        abstract = self.schema.get_type(condition)
        return isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType) and self.schema.is_sub_type(
            abstract, runtime
        )


def _compile(key: str, declared: GraphQLOutputType, selections: tuple[Selection, ...] | None) -> _Slot:
    required = isinstance(declared, GraphQLNonNull)
    inner: Any = declared.of_type if required else declared  # type: ignore[union-attr]
    lists: list[bool] = []
    while isinstance(inner, GraphQLList):
        item = inner.of_type
        lists.append(isinstance(item, GraphQLNonNull))
        inner = item.of_type if isinstance(item, GraphQLNonNull) else item
    if is_leaf_type(inner):
        return _Slot(key, _LEAF, required, tuple(lists), None, None)
    return _Slot(key, _COMPOSITE, required, tuple(lists), inner, selections)


class _Run:
    __slots__ = ("_error_paths", "errors", "quiet", "shaper", "variables")

    def __init__(self, shaper: Shaper, variables: Mapping[str, Any], errors: list[dict[str, Any]], quiet: bool):
        self.shaper = shaper
        self.variables = variables
        self.errors = errors
        self.quiet = quiet
        self._error_paths: set[tuple[str | int, ...]] | None = None

    def object(self, declared: Composite, selections: tuple[Selection, ...], source: Any, path: Path) -> Any:
        runtime = declared
        if not isinstance(declared, GraphQLObjectType):
            typename = source.get("__typename")
            resolved = self.shaper.schema.get_type(typename) if isinstance(typename, str) else None
            if not isinstance(resolved, GraphQLObjectType):
                return None  # an object whose type the router cannot tell: leave it out
            runtime = resolved
        assert isinstance(runtime, GraphQLObjectType)
        slots, fill = self.shaper.compiled(runtime, selections, self.variables)
        return fill(self, slots, source, path)

    def _complete(self, slot: _Slot, value: Any, path: Path, depth: int) -> Any:
        if depth < len(slot.lists):
            if not isinstance(value, list):
                return None
            item_required = slot.lists[depth]
            items: list[Any] = []
            append = items.append
            innermost = depth + 1 == len(slot.lists)
            leaf_items = slot.kind == _LEAF and innermost
            # A list of one object type: its slots are looked up once for all items.
            runtime = slot.composite if innermost and isinstance(slot.composite, GraphQLObjectType) else None
            compiled = (
                self.shaper.compiled(runtime, slot.selections, self.variables)
                if runtime is not None and slot.selections is not None
                else None
            )
            for index, item in enumerate(value):
                if item is None:
                    if item_required:
                        self._null(path, index)
                        return _INVALID
                    append(None)
                    continue
                if leaf_items:
                    append(item)
                    continue
                if compiled is not None:
                    completed = compiled[1](self, compiled[0], item, (path, index)) if isinstance(item, dict) else None
                else:
                    completed = self._complete(slot, item, (path, index), depth + 1)
                if completed is _INVALID:
                    if item_required:
                        return _INVALID
                    completed = None
                append(completed)
            return items
        if slot.kind == _LEAF:
            return value
        if not isinstance(value, dict) or slot.selections is None or slot.composite is None:
            return None
        return self.object(slot.composite, slot.selections, value, path)

    def _null(self, parent: Path, key: str | int) -> None:
        """A null where the schema promises a value: say so, unless a failure already explains it."""
        if self.quiet:
            return
        path = _materialize((parent, key))
        if self._error_paths is None:
            self._error_paths = {tuple(e["path"]) for e in self.errors if isinstance(e.get("path"), list)}
        if any(path[: len(known)] == known for known in self._error_paths):
            return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field at {'.'.join(map(str, path))}.",
                "path": list(path),
                "extensions": {"code": "SUBGRAPH_INVALID_RESPONSE"},
            }
        )
        self._error_paths.add(path)


def _generate_filler(typename: str, slots: tuple[_Slot, ...]) -> Filler:
    """Straight-line code for one layout: what the slot loop would do, without the loop.

    Keys are GraphQL names (the parser guarantees `[_A-Za-z][_0-9A-Za-z]*`), still written with
    `repr`; nothing from a request's values reaches the generated text.
    """
    lines = ["def fill(run, slots, source, path):", "    get = source.get"]
    entries: list[str] = []
    for index, slot in enumerate(slots):
        key = repr(slot.key)
        if slot.kind == _TYPENAME:
            entries.append(f"{key}: {typename!r}")
            continue
        if slot.kind == _DENIED:
            # The caller may not see it: null, and its error is already recorded; non-null nulls the parent.
            if slot.required:
                lines.append("    return INVALID")
            entries.append(f"{key}: None")
            continue
        value = f"v{index}"
        entries.append(f"{key}: {value}")
        lines.append(f"    {value} = get({key})")
        if slot.required:
            lines += [f"    if {value} is None:", f"        run._null(path, {key})", "        return INVALID"]
            indent = "    "
        elif slot.kind == _LEAF and not slot.lists:
            continue
        else:
            lines.append(f"    if {value} is not None:")
            indent = "        "
        if slot.kind == _LEAF and not slot.lists:
            continue
        lines.append(f"{indent}{value} = run._complete(slots[{index}], {value}, (path, {key}), 0)")
        lines.append(f"{indent}if {value} is INVALID:")
        lines.append(f"{indent}    {'return INVALID' if slot.required else f'{value} = None'}")
    lines.append(f"    return {{{', '.join(entries)}}}")
    namespace: dict[str, Any] = {"INVALID": _INVALID}
    exec(compile("\n".join(lines), f"<shape {typename}>", "exec"), namespace)  # noqa: S102
    filler: Filler = namespace["fill"]
    return filler


def _materialize(path: Path) -> tuple[str | int, ...]:
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    return tuple(reversed(keys))


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
