"""One transaction per request, one savepoint and one audit entry per mutation field.

Root mutation fields run one after another; each runs in a savepoint, so a failing field leaves no
half-written data while the fields before it keep their effect. The request's transaction commits once,
after execution (queries commit too: reads of health data write access-log rows).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types import Info

from shared.audit import given_fields, record_audit
from shared.database.after_commit import drop, pending
from shared.errors import ServiceUnavailable
from shared.events.outbox import OUTBOX_WRITTEN
from shared.graphql.context import RequestContext
from shared.graphql.errors import INTERNAL_MESSAGE, database_unavailable

logger = logging.getLogger("hockey_hub.graphql")


class RequestTransaction(SchemaExtension):
    """Commits the request's session after execution, or rolls it back; then closes it."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if not isinstance(context, RequestContext) or (session := context.session_opened) is None:
            return
        try:
            await session.commit()
            if session.info.pop(OUTBOX_WRITTEN, False) and context.runtime.relay is not None:
                context.runtime.relay.wake()
        except Exception as error:
            logger.exception("commit failed")
            with contextlib.suppress(Exception):  # a lost connection has nothing left to roll back
                await session.rollback()
            result = self.execution_context.result
            if result is not None:
                result.data = None
                result.errors = [_commit_failure(error)]
        finally:
            await session.close()


def _commit_failure(error: Exception) -> GraphQLError:
    if database_unavailable(error):
        unavailable = ServiceUnavailable("the database is unavailable; try again shortly")
        return GraphQLError(unavailable.message, extensions=unavailable.extensions())
    return GraphQLError(INTERNAL_MESSAGE, extensions={"code": "INTERNAL_SERVER_ERROR"})


class MutationTransaction(FieldExtension):
    """Runs one mutation field in a savepoint and writes its audit entry inside it.

    The entry's `details.input` is the mutation's arguments (secrets redacted); with `audit_input=False`
    it is `details.input_fields` instead, the names of the arguments and input fields given, no values.
    """

    def __init__(self, *, audit_input: bool = True, audited: bool = True) -> None:
        self.audit_input = audit_input
        self.audited = audited

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info[RequestContext, Any], **kwargs: Any
    ) -> Any:
        context = info.context
        session = context.session
        announced = pending(session)
        try:
            async with session.begin_nested():
                return await self._run_audited(next_, source, info, kwargs)
        except BaseException:
            drop(session, announced)  # this field's changes rolled back: nothing of it to announce
            raise

    async def _run_audited(
        self, next_: AsyncExtensionResolver, source: Any, info: Info[RequestContext, Any], kwargs: dict[str, Any]
    ) -> Any:
        context = info.context
        result = await next_(source, info, **kwargs)
        await context.session.flush()
        if not self.audited:
            return result
        entity_type, entity_id = _entity_of(result)
        given: dict[str, Any] = {"input": kwargs} if self.audit_input else {"input_fields": given_fields(kwargs)}
        await record_audit(
            context.session,
            context.principal,
            action=info.field_name,
            entity_type=entity_type,
            entity_id=entity_id,
            details={**given, "operation": info.operation.name.value if info.operation.name else None},
        )
        return result


def _entity_of(result: Any) -> tuple[str | None, str | None]:
    """The type and id of what a mutation returned: an entity, or the first entity a payload carries."""
    definition = getattr(result, "__strawberry_definition__", None)
    if definition is None:
        return None, None
    identifier = getattr(result, "id", None)
    if identifier is not None:
        return definition.name, str(identifier)[:120]
    for field in definition.fields:
        value = getattr(result, field.python_name, None)
        if getattr(value, "__strawberry_definition__", None) is not None and getattr(value, "id", None) is not None:
            return _entity_of(value)
    return definition.name, None


def mutation(*, description: str, audit_input: bool = True, audited: bool = True, **options: Any) -> Callable[..., Any]:
    """`strawberry.mutation` for every mutation of the platform: transactional and audited.

    `audit_input=False` keeps the input's values out of the audit trail, recording only which fields were
    given: for mutations whose input is data the trail must not copy (health records), since the trail is
    not guarded by the rules and the access log that guard that data. `audited=False` is for signals that
    change nothing stored (someone is typing): a trail entry per keystroke would bury the real ones.
    """
    extensions = [MutationTransaction(audit_input=audit_input, audited=audited), *options.pop("extensions", [])]
    return strawberry.mutation(description=description, extensions=extensions, **options)  # type: ignore[no-any-return]
