"""Running one cell of the matrix: an operation, as one caller, against their home or away record."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from shared.auth.principal import Principal
from tests.authorization.table import Caller, Cell, Outcome, Relation, Row
from tests.authorization.world import Subject, World
from tests.support.graphql import GraphQLResponse

Variables = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Case:
    """One caller pointed at one subject; operations build their variables (and records) from it."""

    world: World
    caller: Caller
    subject: Subject

    @property
    def principal(self) -> Principal | None:
        return self.world.principal(self.caller)

    @property
    def organization_id(self) -> str:
        """This club's id, for fields that take one: the platform admin names it, other clubs try it."""
        return str(self.world.organization_id)

    @property
    def player_id(self) -> str:
        return str(self.subject.player_id)

    @property
    def team_id(self) -> str:
        return str(self.subject.team_id)

    def found(self, key: str) -> Any:
        """A record looked up at setup for this case's subject, e.g. `found("workout")`."""
        return self.world.found[f"{self.subject.name}.{key}"]

    async def setup(
        self, service: str, document: str, variables: Mapping[str, Any] | None = None, *, as_: Caller
    ) -> Any:
        return await self.world.setup(service, document, variables, as_=as_)


def today() -> date:
    """Today in UTC, the day the services count in."""
    return datetime.now(UTC).date()


def unique(prefix: str) -> str:
    """A name no other case uses, for writes that must not collide (unique names, slugs, emails)."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


async def _no_variables(case: Case) -> Variables:
    return {}


def substantive(value: Any) -> bool:
    """Whether an answer carries data: a value other than ids and type names, null and empty lists."""
    if value is None:
        return False
    if isinstance(value, list):
        return any(substantive(item) for item in value)
    if isinstance(value, dict):
        return any(substantive(item) for key, item in value.items() if key not in ("id", "__typename"))
    return True


@dataclass(frozen=True, slots=True)
class Operation:
    """A real GraphQL operation for one row: its document and how each case fills its variables."""

    document: str
    variables: Callable[[Case], Awaitable[Variables]] = _no_variables
    substance: Callable[[Any], bool] = substantive
    """Whether the response's data is real data (ALLOW) rather than none of it (EMPTY)."""
    trigger: Callable[[Case], Awaitable[None]] | None = None
    """For a subscription with nothing to say at first: makes an event it should deliver to the case's
    caller, repeated until something arrives, so that an accepted subscription shows itself by data."""

    async def run(self, service: str, case: Case, variables: Variables) -> GraphQLResponse:
        trigger = self.trigger
        fire = (lambda: trigger(case)) if trigger is not None else None
        return await case.world.execute(service, self.document, variables, as_=case.caller, trigger=fire)


_CODES = {
    "UNAUTHENTICATED": Outcome.ANON,
    "FORBIDDEN": Outcome.DENY,
    "NOT_FOUND": Outcome.HIDDEN,
}


def observed(response: GraphQLResponse, operation: Operation) -> tuple[str, str]:
    """The outcome a response shows, and a short account of it for failure messages."""
    codes = response.codes
    for code, outcome in _CODES.items():
        if code in codes:
            return outcome, code
    if response.status != 200 or codes:
        if codes == ["BAD_USER_INPUT"] and any(
            error.get("extensions", {}).get("field") == "organizationId" for error in response.errors
        ):
            return Outcome.NO_CLUB, "BAD_USER_INPUT on organizationId"
        if codes == ["BAD_USER_INPUT"]:
            return Outcome.INVALID, "BAD_USER_INPUT: " + str(response.errors[0].get("message"))
        messages = "; ".join(
            f"{error.get('extensions', {}).get('code')}: {error.get('message')}" for error in response.errors
        )
        return f"error ({messages or response.status})", messages
    return (Outcome.ALLOW if operation.substance(response.data) else Outcome.EMPTY), _shorten(response.data)


def _shorten(data: Any, limit: int = 160) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[:limit] + "..."


@dataclass(frozen=True, slots=True)
class Expectation:
    subject: Subject
    outcome: Outcome
    label: str


def expectations(world: World, caller: Caller, cell: Cell) -> list[Expectation]:
    """A plain cell runs once on the caller's home record; a relation cell runs on both records."""
    if cell.relation is None:
        assert cell.outcome is not None
        return [Expectation(world.home(caller), cell.outcome, str(cell.outcome))]
    home, away = world.home(caller), world.away(caller)
    if cell.relation is Relation.SELF:
        # the caller's own account, against the home player's (or, for that player, the away one's)
        home = replace(home, name="their own account", user_id=world.person(caller))
        away = away if world.home(caller).user_id == home.user_id else world.home(caller)
    return [
        Expectation(home, Outcome.ALLOW, f"{cell.relation} (related record)"),
        Expectation(away, cell.unrelated, f"{cell.relation} (unrelated record)"),
    ]


def _matches(expected: Outcome, outcome: str) -> bool:
    if expected is Outcome.ELSEWHERE:
        return outcome in (Outcome.ALLOW, Outcome.EMPTY)
    return outcome == expected


_OUTSIDERS = frozenset({Caller.ANONYMOUS, Caller.OTHER_CLUB_ADMIN, Caller.OTHER_COACH})


def leaks(world: World, response: GraphQLResponse, variables: Variables) -> list[str]:
    """This club's ids and names in an answer to someone outside it, other than those they sent."""
    answer = json.dumps(response.data)
    sent = json.dumps(variables)
    return sorted(marker for marker in world.markers if marker in answer and marker not in sent)


@dataclass
class CellResult:
    caller: Caller
    failures: list[str] = field(default_factory=list)


async def check_cell(world: World, row: Row, operation: Operation, caller: Caller) -> CellResult:
    result = CellResult(caller)
    for expected in expectations(world, caller, row.cells[caller]):
        case = Case(world, caller, expected.subject)
        variables = await operation.variables(case)
        response = await operation.run(row.service, case, variables)
        outcome, detail = observed(response, operation)
        if not _matches(expected.outcome, outcome):
            result.failures.append(
                f"{caller} on {expected.subject.name}'s record: expected {expected.outcome} "
                f"({expected.label}), got {outcome}: {detail}"
            )
        if caller in _OUTSIDERS and (leaked := leaks(world, response, variables)):
            result.failures.append(f"{caller} on {expected.subject.name}'s record: the answer holds {leaked}")
    return result
