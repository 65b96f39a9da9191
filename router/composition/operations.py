"""Checking client operations against an API schema, and finding which schema coordinates they use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    ArgumentNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    validate,
    visit,
)


@dataclass
class Operation:
    name: str
    path: Path
    document: DocumentNode | None
    parse_error: str | None = None


@dataclass
class OperationProblem:
    operation: str
    path: str
    message: str


@dataclass
class OperationReport:
    checked: int = 0
    problems: list[OperationProblem] = field(default_factory=list)


def load_operations(folder: Path) -> list[Operation]:
    """Every operation in `folder` (*.graphql, recursively), named by its operation name or file."""
    operations: list[Operation] = []
    for path in sorted(folder.rglob("*.graphql")):
        try:
            document = parse(path.read_text())
        except GraphQLError as error:
            operations.append(Operation(path.stem, path, None, error.message))
            continue
        names = [d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name]
        operations.append(Operation(", ".join(names) or path.stem, path, document))
    return operations


def check_operations(operations: list[Operation], schema: GraphQLSchema, root: Path) -> OperationReport:
    report = OperationReport()
    for operation in operations:
        report.checked += 1
        where = str(operation.path.relative_to(root)) if operation.path.is_relative_to(root) else str(operation.path)
        if operation.document is None:
            report.problems.append(OperationProblem(operation.name, where, f"does not parse: {operation.parse_error}"))
            continue
        for error in validate(schema, operation.document):
            report.problems.append(OperationProblem(operation.name, where, error.message))
    return report


class _Coordinates(Visitor):
    def __init__(self, type_info: TypeInfo):
        super().__init__()
        self.type_info = type_info
        self.used: set[str] = set()

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        if parent is not None and not node.name.value.startswith("__"):
            self.used.add(f"{parent.name}.{node.name.value}")
        named = get_named_type(self.type_info.get_type())
        if named is not None:
            self.used.add(named.name)

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        definition = self.type_info.get_field_def()
        parent = self.type_info.get_parent_type()
        if definition is not None and parent is not None:
            field_name = next((name for name, f in parent.fields.items() if f is definition), None)  # type: ignore[union-attr]
            if field_name:
                self.used.add(f"{parent.name}.{field_name}({node.name.value}:)")
        named = get_named_type(self.type_info.get_input_type())
        if named is not None:
            self.used.add(named.name)

    def enter_enum_value(self, node: EnumValueNode, *_: object) -> None:
        named = get_named_type(self.type_info.get_input_type())
        if named is not None:
            self.used.add(f"{named.name}.{node.value}")


def used_coordinates(document: DocumentNode, schema: GraphQLSchema) -> set[str]:
    """Types, fields (`Type.field`), arguments (`Type.field(arg:)`) and enum values an operation touches."""
    type_info = TypeInfo(schema)
    visitor = _Coordinates(type_info)
    visit(document, TypeInfoVisitor(type_info, visitor))
    return visitor.used
