"""The federation schema every subgraph builds: Federation 2.11, cached parsing, coded errors."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError, parse
from opentelemetry import trace
from strawberry.extensions import SchemaExtension, ValidationCache
from strawberry.federation.schema_directives import Authenticated
from strawberry.permission import PermissionExtension
from strawberry.types import ExecutionContext

from shared.graphql.errors import ErrorCodes
from shared.graphql.permissions import PublicField
from shared.graphql.transactions import MutationTransaction, RequestTransaction
from shared.log import operation_var
from shared.metrics import RequestMetrics

FEDERATION_VERSION = "2.11"


class OperationName(SchemaExtension):
    """Puts the operation's name on the request's log lines and its trace span."""

    def on_operation(self) -> Iterator[None]:
        name = self.execution_context.operation_name
        operation_var.set(name)
        if name:
            trace.get_current_span().set_attribute("graphql.operation.name", name)
        yield


_cached_parse = functools.lru_cache(maxsize=2048)(parse)


class ParseCache(SchemaExtension):
    """Parses each distinct document once. strawberry's ParserCache raises syntax errors out of the
    operation hooks, so they would bypass ErrorCodes; here a failed parse is left to strawberry's own
    parser, which reports it as a normal request error."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = _cached_parse(context.query)
        yield


class SubgraphSchema(strawberry.federation.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Unexpected errors are logged once by ErrorCodes, with the request id; nothing more here."""


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Sequence[type] = (),
) -> SubgraphSchema:
    for root in (query, mutation, subscription):
        if root is not None:
            _require_sign_in_by_default(root)
    schema = SubgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=list(types),
        federation_version=FEDERATION_VERSION,  # type: ignore[arg-type]
        # Exit hooks run in reverse: the transaction finishes first, then errors get their codes, then
        # the metrics count those codes.
        extensions=[
            RequestMetrics,
            OperationName,
            ErrorCodes,
            RequestTransaction,
            ParseCache,
            lambda: ValidationCache(maxsize=2048),
        ],
    )
    _check_mutations_are_transactional(schema, mutation)
    return schema


def _require_sign_in_by_default(root: type) -> None:
    """Every root field is `@authenticated` unless it says it is public: the router then refuses anonymous
    callers before any subgraph runs, and a field nobody thought about is closed, not open."""
    for field in root.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        public = [extension for extension in field.extensions if isinstance(extension, PublicField)]
        if public:
            field.extensions = [extension for extension in field.extensions if extension not in public]
            continue
        guarded = any(isinstance(extension, PermissionExtension) for extension in field.extensions)
        if not guarded and not any(isinstance(directive, Authenticated) for directive in field.directives):
            field.directives = [*field.directives, Authenticated()]


def _check_mutations_are_transactional(schema: Any, mutation: type | None) -> None:
    if mutation is None:
        return
    definition = mutation.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        if not any(isinstance(extension, MutationTransaction) for extension in field.extensions):
            raise TypeError(
                f"mutation {field.name} is not declared with shared.graphql.mutation, so it would run "
                "without its savepoint and audit entry"
            )
