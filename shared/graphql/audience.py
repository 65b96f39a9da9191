"""The router's question before it shares a subscription stream between people: may this caller follow
this subscription, and with whom does the caller see the same events? Answered from the field's
declared `Audience`, without starting the subscription."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLField,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.types.field import StrawberryField

from shared.errors import InvalidInput, Unauthenticated
from shared.graphql.context import RequestContext
from shared.graphql.schema import SubgraphSchema
from shared.graphql.subscriptions import AUDIENCE, Audience


async def audience_of(
    schema: SubgraphSchema, context: RequestContext, body: Mapping[str, Any]
) -> tuple[str, bool] | None:
    """The audience the caller joins for the subscription in `body` (query, variables, operationName)
    and whether newcomers may join its stream late; None when the events are the caller's own. Raises
    the error that would refuse the subscription."""
    if not context.principal.is_authenticated:
        raise Unauthenticated("sign in to follow a shared subscription")
    field, node, variables = _root_field(schema, body)
    definition = field.extensions.get("strawberry-definition") if field.extensions else None
    if not isinstance(definition, StrawberryField):
        return None
    audience = definition.metadata.get(AUDIENCE)
    if not isinstance(audience, Audience):
        return None
    try:
        values = get_argument_values(field, node, variables)
    except GraphQLError as error:
        raise InvalidInput(error.message) from error
    converter = schema.config.name_converter
    names = {converter.get_graphql_name(argument): argument.python_name for argument in definition.arguments}
    named = await audience.admit(context, **{names.get(name, name): value for name, value in values.items()})
    return None if named is None else (named, audience.late_join)


def _root_field(schema: SubgraphSchema, body: Mapping[str, Any]) -> tuple[GraphQLField, FieldNode, VariableValues]:
    query = body.get("query")
    if not isinstance(query, str):
        raise InvalidInput("the request must carry the subscription as `query`")
    core = schema._schema
    try:
        document = parse(query)
    except GraphQLError as error:
        raise InvalidInput(error.message) from error
    if errors := validate(core, document):
        raise InvalidInput(errors[0].message)
    name = body.get("operationName")
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and (not name or (d.name and d.name.value == name))
    ]
    if len(operations) != 1 or operations[0].operation != OperationType.SUBSCRIPTION:
        raise InvalidInput("the request must hold exactly one subscription operation")
    operation = operations[0]
    fields = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    subscription_type = core.subscription_type
    if len(fields) != 1 or subscription_type is None or fields[0].name.value not in subscription_type.fields:
        raise InvalidInput("a subscription selects exactly one root field")
    raw = body.get("variables") or {}
    coerced = get_variable_values(core, operation.variable_definitions or (), raw if isinstance(raw, dict) else {})
    if isinstance(coerced, list):
        raise InvalidInput(coerced[0].message)
    field: GraphQLField = subscription_type.fields[fields[0].name.value]
    return field, fields[0], coerced
