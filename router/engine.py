"""The router's stages for one GraphQL request: parse and validate (cached), plan (cached), execute,
shape. Transport-free: the HTTP layer turns a `GraphQLRequest` into a `GraphQLResponse`."""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLObjectType,
    execute_sync,
    parse,
    validate,
)

from router.auth.filter import Filtered, filter_operation, guards
from router.auth.rules import ANONYMOUS_ACCESS, Access, AccessRules, Requirement
from router.executor.execute import Execution, Executor
from router.executor.fetch import SubgraphClient
from router.executor.shape import Shaper
from router.federation.model import FederatedSchema
from router.planner.build import PlanningError, QueryPlanner
from router.planner.operation import (
    Field,
    Operation,
    OperationNotFound,
    Selection,
    print_selections,
    select_operation,
)
from router.planner.plan import QueryPlan
from router.traffic_control.admission import Admission, Gate
from router.traffic_control.limits import OperationLimits
from router.traffic_control.measure import OperationCost, measure

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
MAX_VARIANTS = 32
"""Authorization variants kept per operation: one per distinct set of fields callers may not see."""


@dataclass(frozen=True)
class GraphQLRequest:
    query: str | None
    variables: Mapping[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    """Headers forwarded to subgraphs (authorization, request id)."""
    plan_mode: str | None = None
    """None, "true" (attach the plan to extensions) or "dry-run" (plan only, no execution)."""
    allowed_kinds: frozenset[str] = frozenset({"query", "mutation"})
    access: Access = ANONYMOUS_ACCESS
    """What the caller's verified token grants, for `@authenticated` and `@requiresScopes`."""
    claims: Mapping[str, Any] | None = None
    """Verified claims that travel to the subgraphs in `extensions.claims`."""
    admit: Gate | None = None
    """Traffic control (rate limits, APQ registration), once the operation is valid and within its limits."""


@dataclass
class GraphQLResponse:
    body: dict[str, Any]
    status: int = 200
    """For `application/graphql-response+json`: 400 when the request was not executed."""


@dataclass(frozen=True)
class Prepared:
    """What a document and operation name come to, cached: the operation, its plan, or why not."""

    operation: Operation | None
    plan: QueryPlan | None
    errors: tuple[dict[str, Any], ...] = ()
    introspection: DocumentNode | None = None
    guards: tuple[Requirement, ...] = ()
    """The requirements of its guarded fields, in walk order (router/auth/filter.py)."""
    variants: dict[tuple[bool, ...], tuple[Filtered, QueryPlan]] = field(default_factory=dict, compare=False)
    """The operation as callers with some fields denied see it, per pattern of verdicts."""
    cost: OperationCost | None = None


@dataclass(frozen=True)
class Admitted:
    """An operation this caller may run, planned as they see it: what `run` (or a subscription) executes."""

    operation: Operation
    plan: QueryPlan
    selections: tuple[Selection, ...]
    """What the response is shaped from: without the fields the caller may not see."""
    denials: list[dict[str, Any]]
    """The errors that explain the fields left out."""
    variables: dict[str, Any]
    extensions: dict[str, Any]
    prepared: Prepared


class PreparedCache:
    """A bounded LRU of prepared operations keyed by (document, operation name), bounded by count and by the
    documents' total length (a client sending distinct 2 MB documents must not fill the memory)."""

    def __init__(self, size: int = 1000, max_characters: int = 64 * 1024 * 1024):
        self.size = size
        self.max_characters = max_characters
        self._entries: OrderedDict[tuple[str, str | None, frozenset[str]], Prepared] = OrderedDict()
        self._characters = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str | None, frozenset[str]]) -> Prepared | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        else:
            self.misses += 1
        return found

    def put(self, key: tuple[str, str | None, frozenset[str]], value: Prepared) -> None:
        if key not in self._entries:
            self._characters += len(key[0])
        self._entries[key] = value
        self._entries.move_to_end(key)
        while self._entries and (len(self._entries) > self.size or self._characters > self.max_characters):
            dropped, _ = self._entries.popitem(last=False)
            self._characters -= len(dropped[0])


class RouterEngine:
    def __init__(
        self,
        schema: FederatedSchema,
        client: SubgraphClient,
        *,
        cache_size: int = 1000,
        enabled_labels: frozenset[str] = frozenset(),
        reject_unauthorized: bool = False,
        limits: OperationLimits | None = None,
    ):
        self.schema = schema
        self.limits = limits or OperationLimits()
        self.rules = AccessRules(schema.document, schema.api)
        self.reject_unauthorized = reject_unauthorized
        """Refuse an operation touching a field the caller may not see, instead of leaving the field out."""
        self.enabled_labels = enabled_labels
        self.client = client
        self.planner = QueryPlanner(schema)
        self.executor = Executor(client)
        self.shaper = Shaper(schema.api)
        self.cache = PreparedCache(cache_size)

    def prepare(self, query: str, operation_name: str | None, labels: frozenset[str] = frozenset()) -> Prepared:
        key = (query, operation_name, labels)
        prepared = self.cache.get(key)
        if prepared is None:
            prepared = self._prepare(query, operation_name, labels)
            self.cache.put(key, prepared)
        return prepared

    def active_labels(self) -> frozenset[str]:
        """Progressive-override labels on for one request: `percent(N)` by chance, others by configuration."""
        active = set()
        for label in self.schema.override_labels:
            if label.startswith("percent(") and label.endswith(")"):
                try:
                    share = float(label[len("percent(") : -1])
                except ValueError:
                    continue
                if random.random() * 100 < share:  # noqa: S311 (traffic splitting, not security)
                    active.add(label)
            elif label in self.enabled_labels:
                active.add(label)
        return frozenset(active)

    def _prepare(self, query: str, operation_name: str | None, labels: frozenset[str]) -> Prepared:
        if too_long := self.limits.check_text(query):
            return Prepared(None, None, (too_long,))
        try:
            document = parse(query)
        except GraphQLError as error:
            return Prepared(None, None, (_request_error(error, "GRAPHQL_PARSE_FAILED"),))
        measured = measure(document, self.schema.api, self.limits.cost, operation_name)
        if over_limits := self.limits.check(measured):
            return Prepared(None, None, over_limits)
        errors = validate(self.schema.api, document)
        if errors:
            return Prepared(None, None, tuple(_request_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors))
        try:
            operation = select_operation(document, operation_name)
        except OperationNotFound as error:
            return Prepared(None, None, ({"message": str(error), "extensions": {"code": "BAD_REQUEST"}},))
        try:
            plan = self.planner.plan(operation, labels)
        except PlanningError as error:
            return Prepared(
                operation, None, ({"message": str(error), "extensions": {"code": "QUERY_PLANNING_FAILED"}},)
            )
        introspection = None
        wanted = [s for s in operation.selections if isinstance(s, Field) and s.name in INTROSPECTION_FIELDS]
        if wanted:
            introspection = parse("{\n" + print_selections(wanted) + "\n}")
        cost = OperationCost(measured, document, self.schema.api, self.limits.cost, operation_name)
        return Prepared(operation, plan, (), introspection, guards(operation, self.schema.api, self.rules), cost=cost)

    async def _admit(self, prepared: Prepared, request: GraphQLRequest) -> GraphQLResponse | None:
        """The request's cost checked with its variables, then its own gate (rate limits, APQ registration)."""
        assert prepared.operation is not None
        assert prepared.cost is not None
        cost = prepared.cost.of(request.variables)
        if over := self.limits.check_cost(cost):
            return GraphQLResponse({"errors": [over]}, 400)
        if request.admit is not None:
            refusal = await request.admit(Admission(prepared.operation, request.variables, cost))
            if refusal is not None:
                return GraphQLResponse({"errors": [refusal.error]}, refusal.status)
        return None

    def _authorized(
        self, prepared: Prepared, access: Access, labels: frozenset[str]
    ) -> tuple[Filtered, QueryPlan] | None:
        """The variant of the operation this caller may run, or None when every field is open to them."""
        verdicts = tuple(access.allows(requirement) for requirement in prepared.guards)
        if all(verdicts):
            return None
        variant = prepared.variants.get(verdicts)
        if variant is None:
            assert prepared.operation is not None
            filtered = filter_operation(prepared.operation, self.schema.api, self.rules, verdicts)
            if len(prepared.variants) >= MAX_VARIANTS:
                prepared.variants.clear()
            variant = prepared.variants[verdicts] = (filtered, self.planner.plan(filtered.planned, labels))
        return variant

    async def handle(self, request: GraphQLRequest) -> GraphQLResponse:
        admitted = await self.admit(request)
        if isinstance(admitted, GraphQLResponse):
            return admitted
        return await self.run(admitted, request)

    async def admit(self, request: GraphQLRequest) -> Admitted | GraphQLResponse:
        """The operation as this caller may run it, planned; or the response that refuses it."""
        if not request.query:
            return _bad_request("the request has no query")
        labels = self.active_labels() if self.schema.override_labels else frozenset()
        prepared = self.prepare(request.query, request.operation_name, labels)
        if prepared.errors:
            return GraphQLResponse({"errors": list(prepared.errors)}, 400)
        assert prepared.operation is not None
        assert prepared.plan is not None
        operation = prepared.operation
        if operation.kind not in request.allowed_kinds:
            return GraphQLResponse(
                {
                    "errors": [
                        {
                            "message": f"{operation.kind} operations are not allowed here",
                            "extensions": {"code": "BAD_REQUEST"},
                        }
                    ]
                },
                405,
            )
        if refused := await self._admit(prepared, request):
            return refused
        plan, selections, denials = prepared.plan, operation.selections, []
        if prepared.guards:
            variant = self._authorized(prepared, request.access, labels)
            if variant is not None:
                filtered, plan = variant
                denials = filtered.errors(request.access)
                if self.reject_unauthorized:
                    return GraphQLResponse({"errors": denials}, 401 if not request.access.authenticated else 403)
                selections = filtered.shaped
        extensions: dict[str, Any] = {}
        if request.plan_mode in ("true", "dry-run"):
            extensions["queryPlan"] = {"text": plan.describe(), "object": plan.as_dict()}
            if request.plan_mode == "dry-run":
                return GraphQLResponse(
                    {"errors": denials, "extensions": extensions} if denials else {"extensions": extensions}
                )
        return Admitted(operation, plan, selections, denials, dict(request.variables), extensions, prepared)

    async def run(self, admitted: Admitted, request: GraphQLRequest) -> GraphQLResponse:
        """Execute an admitted query or mutation and shape its response."""
        operation, variables = admitted.operation, admitted.variables
        execution = Execution(variables=variables, headers=request.headers, errors=list(admitted.denials))
        if request.claims:
            execution.extensions = {"claims": dict(request.claims)}
        await self.executor.execute(admitted.plan, execution)
        if admitted.prepared.introspection is not None:
            introspected = execute_sync(self.schema.api, admitted.prepared.introspection, variable_values=variables)
            if introspected.data:
                execution.data.update(introspected.data)
        root = getattr(self.schema.api, f"{operation.kind}_type")
        assert isinstance(root, GraphQLObjectType)
        data = self.shaper.shape(
            root, admitted.selections, execution.data, variables, execution.errors, quiet=execution.failed
        )
        body: dict[str, Any] = {}
        if execution.errors:
            body["errors"] = execution.errors
        body["data"] = data
        if admitted.extensions:
            body["extensions"] = admitted.extensions
        return GraphQLResponse(body)


def _request_error(error: GraphQLError, code: str) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message, "extensions": {"code": code}}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return formatted


def _bad_request(message: str) -> GraphQLResponse:
    return GraphQLResponse({"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}, 400)
