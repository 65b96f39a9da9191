"""Running a planned subscription: its root fetch becomes a WebSocket subscription at the owning subgraph,
and for each event the rest of the plan (entity fetches into other subgraphs) runs over the event's data,
with the caller's headers, before the event is shaped and sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson
from graphql import GraphQLObjectType

from router.engine import Admitted, GraphQLRequest, GraphQLResponse, RouterEngine
from router.executor.execute import Execution, subgraph_error
from router.planner.plan import Fetch, PlanNode, Sequence
from router.subscriptions.hub import Credentials, SharedStream, SubscriptionHub
from router.subscriptions.socket import OperationRefused, SocketOperation
from router.subscriptions.upstream import UpstreamEnded, subscribe


class EngineOperations:
    """Operations of one socket, run by the engine serving at the moment each one starts."""

    def __init__(self, engine: RouterEngine, hub: SubscriptionHub):
        self.engine = engine
        self.hub = hub

    async def stream(self, operation: SocketOperation) -> AsyncIterator[dict[str, Any]]:
        payload = operation.payload
        request = GraphQLRequest(
            payload.query,
            payload.variables,
            payload.operation_name,
            operation.headers,
            allowed_kinds=frozenset({"query", "mutation", "subscription"}),
            access=operation.caller.access,
            claims=operation.caller.forwarded_claims,
            admit=operation.admit,
        )
        admitted = await self.engine.admit(request)
        if isinstance(admitted, GraphQLResponse):
            raise OperationRefused(admitted.body.get("errors") or [])
        if admitted.operation.kind != "subscription":
            yield (await self.engine.run(admitted, request)).body
            return
        root, rest = split_root(admitted.plan.node)
        body: dict[str, Any] = {
            "query": root.operation,
            "variables": {n: admitted.variables.get(n) for n in root.variables},
        }
        if request.claims:
            body["extensions"] = {"claims": dict(request.claims)}
        audience = None
        if rest is None and not admitted.denials:  # events shaped from the subgraph's answer alone
            client = self.engine.client
            audience = await self.hub.audiences.ask(
                client.session, root.service, client.urls[root.service], body, request.headers
            )
        key = (
            id(self.engine),
            payload.query,
            payload.operation_name,
            orjson.dumps(admitted.variables, option=orjson.OPT_SORT_KEYS),
            ("audience", root.service, audience.name) if audience else identity(operation.caller.claims),
        )
        expires = operation.caller.claims.get("exp")
        credentials = Credentials(operation.headers, float(expires) if isinstance(expires, int | float) else 0.0)

        def still_valid(engine: RouterEngine) -> list[dict[str, Any]]:
            prepared = engine.prepare(payload.query or "", payload.operation_name)
            if not prepared.errors:
                return []
            reason = "the supergraph changed and no longer has what this subscription selects"
            return [{"message": reason, "extensions": {"code": "SUBSCRIPTION_SCHEMA_CHANGED"}}, *prepared.errors]

        events = self.hub.join(
            key,
            lambda stream: self._events(admitted, request, stream, root, rest, body),
            credentials,
            still_valid,
            late_join=audience is not None and audience.late_join,
            owner=self.engine,
        )
        async for event in events:
            yield event

    async def _events(
        self,
        admitted: Admitted,
        request: GraphQLRequest,
        stream: SharedStream,
        root: Fetch,
        rest: PlanNode | None,
        body: dict[str, Any],
    ) -> AsyncIterator[dict[str, Any]]:
        engine = self.engine
        url = engine.client.urls[root.service]
        root_type = engine.schema.api.subscription_type
        assert isinstance(root_type, GraphQLObjectType)
        try:
            async for event in subscribe(engine.client.sockets, root.service, url, body, request.headers):
                execution = Execution(
                    variables=admitted.variables, headers=stream.credentials.headers, errors=list(admitted.denials)
                )
                execution.extensions = body.get("extensions")
                for error in event.get("errors") or ():
                    if isinstance(error, dict):
                        execution.errors.append(subgraph_error(error, root.service, error.get("path")))
                data = event.get("data")
                if not isinstance(data, dict):  # the event is an error as a whole: pass it on as such
                    yield {"errors": execution.errors, "data": None}
                    continue
                execution.data = data
                if rest is not None and execution.data:
                    await engine.executor.run(rest, execution)
                shaped = engine.shaper.shape(
                    root_type, admitted.selections, execution.data, admitted.variables, execution.errors,
                    quiet=execution.failed,
                )  # fmt: skip
                result: dict[str, Any] = {"data": shaped}
                if execution.errors:
                    result = {"errors": execution.errors, "data": shaped}
                yield result
        except UpstreamEnded as ended:
            raise OperationRefused(ended.errors) from ended


INSTANCE_CLAIMS = frozenset({"jti", "iat", "exp", "nbf", "sid"})
"""Claims that differ between two tokens of the same person with the same rights."""


def identity(claims: Mapping[str, Any]) -> bytes:
    """Who is asking, as far as what they may see goes: equal for two sockets of one person."""
    return orjson.dumps({k: v for k, v in claims.items() if k not in INSTANCE_CLAIMS}, option=orjson.OPT_SORT_KEYS)


def split_root(node: PlanNode | None) -> tuple[Fetch, PlanNode | None]:
    """The subscription's root fetch, and what runs for each event after it."""
    match node:
        case Fetch():
            return node, None
        case Sequence(nodes=(Fetch() as root, *rest)):
            return root, (rest[0] if len(rest) == 1 else Sequence(tuple(rest))) if rest else None
    raise OperationRefused(
        [{"message": "this subscription cannot be planned", "extensions": {"code": "SUBSCRIPTION_NOT_PLANNABLE"}}]
    )
