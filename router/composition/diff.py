"""Changes between two API schemas, each classified as breaking, dangerous or safe for clients."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    is_specified_scalar_type,
)
from graphql.language import print_ast
from graphql.utilities import ast_from_value


class Level(StrEnum):
    BREAKING = "breaking"
    """A client that works today can fail after the change."""
    DANGEROUS = "dangerous"
    """Clients keep working, but may behave differently (a new enum value, a changed default)."""
    SAFE = "safe"


@dataclass(frozen=True, slots=True)
class Change:
    level: Level
    code: str
    coordinate: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "level": self.level.value,
            "code": self.code,
            "coordinate": self.coordinate,
            "message": self.message,
        }


def _kind(named: GraphQLNamedType) -> str:
    return type(named).__name__.removeprefix("GraphQL").removesuffix("Type").lower()


def _visible_types(schema: GraphQLSchema) -> dict[str, GraphQLNamedType]:
    return {
        name: named
        for name, named in schema.type_map.items()
        if not name.startswith("__") and not is_specified_scalar_type(named)
    }


def diff_schemas(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    changes: list[Change] = []
    old_types, new_types = _visible_types(old), _visible_types(new)
    for name in sorted(old_types.keys() - new_types.keys()):
        changes.append(Change(Level.BREAKING, "TYPE_REMOVED", name, f"type {name} was removed"))
    for name in sorted(new_types.keys() - old_types.keys()):
        changes.append(Change(Level.SAFE, "TYPE_ADDED", name, f"type {name} was added"))
    for name in sorted(old_types.keys() & new_types.keys()):
        before, after = old_types[name], new_types[name]
        if type(before) is not type(after):
            changes.append(
                Change(
                    Level.BREAKING,
                    "TYPE_CHANGED_KIND",
                    name,
                    f"{name} changed from {_kind(before)} to {_kind(after)}",
                )
            )
        elif isinstance(before, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(after, GraphQLObjectType | GraphQLInterfaceType)
            changes += _diff_fields(before, after)
            changes += _diff_interfaces(before, after)
        elif isinstance(before, GraphQLInputObjectType):
            assert isinstance(after, GraphQLInputObjectType)
            changes += _diff_input(before, after)
        elif isinstance(before, GraphQLEnumType):
            assert isinstance(after, GraphQLEnumType)
            changes += _diff_enum(before, after)
        elif isinstance(before, GraphQLUnionType):
            assert isinstance(after, GraphQLUnionType)
            changes += _diff_union(before, after)
    return changes


def _diff_fields(
    before: GraphQLObjectType | GraphQLInterfaceType, after: GraphQLObjectType | GraphQLInterfaceType
) -> list[Change]:
    changes: list[Change] = []
    for name in before.fields.keys() - after.fields.keys():
        changes.append(
            Change(
                Level.BREAKING,
                "FIELD_REMOVED",
                f"{before.name}.{name}",
                f"field {before.name}.{name} was removed",
            )
        )
    for name in after.fields.keys() - before.fields.keys():
        changes.append(
            Change(Level.SAFE, "FIELD_ADDED", f"{before.name}.{name}", f"field {before.name}.{name} was added")
        )
    for name in before.fields.keys() & after.fields.keys():
        coordinate = f"{before.name}.{name}"
        old_field, new_field = before.fields[name], after.fields[name]
        old_type, new_type = str(old_field.type), str(new_field.type)
        if old_type != new_type:
            if _output_safe(old_field.type, new_field.type):
                changes.append(
                    Change(
                        Level.SAFE,
                        "FIELD_TYPE_NARROWED",
                        coordinate,
                        f"{coordinate} changed type from {old_type} to {new_type}",
                    )
                )
            elif _strip(old_field.type) == _strip(new_field.type):
                changes.append(
                    Change(
                        Level.BREAKING,
                        "FIELD_BECAME_NULLABLE",
                        coordinate,
                        f"{coordinate} changed type from {old_type} to {new_type}: clients may now get null",
                    )
                )
            else:
                changes.append(
                    Change(
                        Level.BREAKING,
                        "FIELD_CHANGED_TYPE",
                        coordinate,
                        f"{coordinate} changed type from {old_type} to {new_type}",
                    )
                )
        if not old_field.deprecation_reason and new_field.deprecation_reason:
            changes.append(
                Change(
                    Level.SAFE,
                    "FIELD_DEPRECATED",
                    coordinate,
                    f"{coordinate} was deprecated: {new_field.deprecation_reason}",
                )
            )
        changes += _diff_arguments(coordinate, old_field.args, new_field.args)
    return sorted(changes, key=lambda change: change.coordinate)


def _diff_arguments(
    coordinate: str, before: dict[str, GraphQLArgument], after: dict[str, GraphQLArgument]
) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(before.keys() - after.keys()):
        changes.append(
            Change(
                Level.BREAKING,
                "ARGUMENT_REMOVED",
                f"{coordinate}({name}:)",
                f"argument {name} of {coordinate} was removed",
            )
        )
    for name in sorted(after.keys() - before.keys()):
        argument = after[name]
        required = isinstance(argument.type, GraphQLNonNull) and not _has_default(argument)
        changes.append(
            Change(
                Level.BREAKING,
                "REQUIRED_ARGUMENT_ADDED",
                f"{coordinate}({name}:)",
                f"required argument {name} was added to {coordinate}",
            )
            if required
            else Change(
                Level.SAFE,
                "OPTIONAL_ARGUMENT_ADDED",
                f"{coordinate}({name}:)",
                f"optional argument {name} was added to {coordinate}",
            )
        )
    for name in sorted(before.keys() & after.keys()):
        changes += _diff_input_value(f"{coordinate}({name}:)", before[name], after[name], "argument")
    return changes


def _diff_input(before: GraphQLInputObjectType, after: GraphQLInputObjectType) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(before.fields.keys() - after.fields.keys()):
        changes.append(
            Change(
                Level.BREAKING,
                "INPUT_FIELD_REMOVED",
                f"{before.name}.{name}",
                f"input field {before.name}.{name} was removed",
            )
        )
    for name in sorted(after.fields.keys() - before.fields.keys()):
        field = after.fields[name]
        required = isinstance(field.type, GraphQLNonNull) and not _has_default(field)
        changes.append(
            Change(
                Level.BREAKING,
                "REQUIRED_INPUT_FIELD_ADDED",
                f"{before.name}.{name}",
                f"required input field {before.name}.{name} was added",
            )
            if required
            else Change(
                Level.SAFE,
                "OPTIONAL_INPUT_FIELD_ADDED",
                f"{before.name}.{name}",
                f"optional input field {before.name}.{name} was added",
            )
        )
    for name in sorted(before.fields.keys() & after.fields.keys()):
        changes += _diff_input_value(f"{before.name}.{name}", before.fields[name], after.fields[name], "input field")
    return changes


def _diff_input_value(
    coordinate: str,
    before: GraphQLArgument | GraphQLInputField,
    after: GraphQLArgument | GraphQLInputField,
    what: str,
) -> list[Change]:
    changes: list[Change] = []
    old_type, new_type = str(before.type), str(after.type)
    if old_type != new_type:
        if _input_safe(before.type, after.type):
            changes.append(
                Change(
                    Level.SAFE,
                    "INPUT_TYPE_WIDENED",
                    coordinate,
                    f"{what} {coordinate} changed type from {old_type} to {new_type}",
                )
            )
        else:
            changes.append(
                Change(
                    Level.BREAKING,
                    "INPUT_TYPE_CHANGED",
                    coordinate,
                    f"{what} {coordinate} changed type from {old_type} to {new_type}",
                )
            )
    old_default, new_default = _default(before), _default(after)
    if old_default != new_default and old_default is not None:
        changes.append(
            Change(
                Level.DANGEROUS,
                "DEFAULT_VALUE_CHANGED",
                coordinate,
                f"default of {what} {coordinate} changed from {old_default} to {new_default}",
            )
        )
    return changes


def _diff_enum(before: GraphQLEnumType, after: GraphQLEnumType) -> list[Change]:
    changes = [
        Change(
            Level.BREAKING,
            "ENUM_VALUE_REMOVED",
            f"{before.name}.{name}",
            f"enum value {before.name}.{name} was removed",
        )
        for name in sorted(before.values.keys() - after.values.keys())
    ]
    changes += [
        Change(
            Level.DANGEROUS,
            "ENUM_VALUE_ADDED",
            f"{before.name}.{name}",
            f"enum value {before.name}.{name} was added: clients that switch on {before.name} meet a new case",
        )
        for name in sorted(after.values.keys() - before.values.keys())
    ]
    return changes


def _diff_union(before: GraphQLUnionType, after: GraphQLUnionType) -> list[Change]:
    old, new = {t.name for t in before.types}, {t.name for t in after.types}
    changes = [
        Change(
            Level.BREAKING,
            "UNION_MEMBER_REMOVED",
            before.name,
            f"{name} was removed from union {before.name}",
        )
        for name in sorted(old - new)
    ]
    changes += [
        Change(Level.DANGEROUS, "UNION_MEMBER_ADDED", before.name, f"{name} was added to union {before.name}")
        for name in sorted(new - old)
    ]
    return changes


def _diff_interfaces(
    before: GraphQLObjectType | GraphQLInterfaceType, after: GraphQLObjectType | GraphQLInterfaceType
) -> list[Change]:
    old, new = {i.name for i in before.interfaces}, {i.name for i in after.interfaces}
    changes = [
        Change(
            Level.BREAKING,
            "IMPLEMENTATION_REMOVED",
            before.name,
            f"{before.name} no longer implements {name}",
        )
        for name in sorted(old - new)
    ]
    changes += [
        Change(Level.DANGEROUS, "IMPLEMENTATION_ADDED", before.name, f"{before.name} now implements {name}")
        for name in sorted(new - old)
    ]
    return changes


def _strip(type_: GraphQLOutputType | GraphQLInputType) -> str:
    return str(type_).replace("!", "")


def _output_safe(old: GraphQLOutputType, new: GraphQLOutputType) -> bool:
    """Clients reading `old` can read `new`: same shape, nullability only tightened."""
    if isinstance(new, GraphQLNonNull):
        return _output_safe(old.of_type if isinstance(old, GraphQLNonNull) else old, new.of_type)
    if isinstance(old, GraphQLNonNull):
        return False
    if isinstance(old, GraphQLList) and isinstance(new, GraphQLList):
        return _output_safe(old.of_type, new.of_type)
    return isinstance(old, GraphQLNamedType) and isinstance(new, GraphQLNamedType) and old.name == new.name


def _input_safe(old: GraphQLInputType, new: GraphQLInputType) -> bool:
    """Clients sending `old` can send to `new`: same shape, nullability only loosened."""
    if isinstance(old, GraphQLNonNull):
        return _input_safe(old.of_type, new.of_type if isinstance(new, GraphQLNonNull) else new)
    if isinstance(new, GraphQLNonNull):
        return False
    if isinstance(old, GraphQLList) and isinstance(new, GraphQLList):
        return _input_safe(old.of_type, new.of_type)
    return isinstance(old, GraphQLNamedType) and isinstance(new, GraphQLNamedType) and old.name == new.name


def _default(value: GraphQLArgument | GraphQLInputField) -> str | None:
    """The default as printed GraphQL, or None; graphql-core 3.3 keeps an SDL default as a literal."""
    default = value.default
    if default is None:
        return None
    if default.literal is not None:
        return print_ast(default.literal)
    node = ast_from_value(default.value, value.type)
    return print_ast(node) if node is not None else repr(default.value)


def _has_default(value: GraphQLArgument | GraphQLInputField) -> bool:
    return value.default is not None
