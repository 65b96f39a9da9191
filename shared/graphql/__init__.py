"""The GraphQL layer every subgraph shares: context, schema builder, permissions, errors, transactions, and
the user service's entities as other subgraphs reference them."""

from shared.graphql import enums as _enums  # noqa: F401 (registers the shared enums)
from shared.graphql.context import Ctx, RequestContext, actor, session_of
from shared.graphql.ids import decode_cursor, encode_cursor, parse_id, parse_ids, to_id
from shared.graphql.inputs import provided
from shared.graphql.permissions import (
    HasCapability,
    HasRole,
    InScope,
    IsAuthenticated,
    Scope,
    public_field,
    requires_capability,
    requires_role,
    requires_scope,
    requires_sign_in,
)
from shared.graphql.references import OrganizationReference, TeamReference, UserReference
from shared.graphql.schema import SubgraphSchema, build_schema
from shared.graphql.subscriptions import Audience, subscription
from shared.graphql.transactions import mutation

__all__ = [
    "Audience",
    "Ctx",
    "HasCapability",
    "HasRole",
    "InScope",
    "IsAuthenticated",
    "OrganizationReference",
    "RequestContext",
    "Scope",
    "SubgraphSchema",
    "TeamReference",
    "UserReference",
    "actor",
    "build_schema",
    "decode_cursor",
    "encode_cursor",
    "mutation",
    "parse_id",
    "parse_ids",
    "provided",
    "public_field",
    "requires_capability",
    "requires_role",
    "requires_scope",
    "requires_sign_in",
    "session_of",
    "subscription",
    "to_id",
]
