"""The world the matrix runs in: the demo club loaded into every service, and one principal per caller.

The demo club is loaded once and only read; every mutation case works on records made for it. Two
players anchor the record-dependent cells:
- `junior`: an U18 player (a minor) with a recovering shoulder injury and a restriction; the `player`
  caller is this player and the `parent` caller their parent;
- `senior`: an adult senior player with an active knee injury; the senior team is the `coach`'s and the
  `assistant_coach`'s, and the `adult_parent` caller is this player's parent.
A caller's "home" record is the one related to them (their own, their child's, their team's); their
"away" record is the other player's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from shared.auth.principal import Principal, Role
from shared.demo import DemoClub, DemoPerson, demo_id
from tests.authorization.table import Caller
from tests.support.graphql import GraphQLResponse
from tests.support.live import served
from tests.support.services import RunningService

IN_FLIGHT = 3
"""Requests at once: the work is mostly CPU in this one process, and the PostgreSQL server's connections
are shared with whatever else runs on the machine."""

ANSWER_WITHIN = 8.0
"""Seconds a subscription has to say something (an error, its first data) before it counts as silent."""
PROD_EVERY = 0.3
PROTOCOL: Subprotocol = Subprotocol("graphql-transport-ws")

OTHER_ORGANIZATION_ID = demo_id("organization", "another-club")
OTHER_TEAM_ID = demo_id("team", "another-club", "senior")


@dataclass(frozen=True, slots=True)
class Subject:
    """A player whose records an operation is pointed at, and their team."""

    name: str
    player_id: uuid.UUID
    team_id: uuid.UUID
    user_id: uuid.UUID
    """The player's own account."""


@dataclass
class World:
    club: DemoClub
    services: Mapping[str, RunningService]
    principals: dict[Caller, Principal | None]
    junior: Subject
    senior: Subject
    found: dict[str, Any] = field(default_factory=dict)
    """Ids of records looked up or made once, at setup, for read-only use (e.g. `junior.workout`)."""
    markers: set[str] = field(default_factory=set)
    """Ids and names of this club's records: none may reach a caller from outside the club."""
    _in_flight: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(IN_FLIGHT))
    _tokens: dict[Caller, tuple[Principal, str]] = field(default_factory=dict)
    _sockets: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)
    _urls: dict[str, str] = field(default_factory=dict)
    """Where each service answers WebSocket subscriptions, served on a real port on first use."""
    """Each caller's bearer token, signed once per principal (a session of the matrix is minutes long)."""

    @property
    def organization_id(self) -> uuid.UUID:
        return self.club.organization_id

    def home(self, caller: Caller) -> Subject:
        return self.senior if caller in _SENIOR_SIDE else self.junior

    def away(self, caller: Caller) -> Subject:
        return self.junior if caller in _SENIOR_SIDE else self.senior

    async def close(self) -> None:
        """Stop the WebSocket servers of subscriptions."""
        await self._sockets.aclose()

    def principal(self, caller: Caller) -> Principal | None:
        return self.principals[caller]

    def person(self, caller: Caller) -> uuid.UUID:
        principal = self.principals[caller]
        assert principal is not None
        assert principal.user_id is not None
        return principal.user_id

    def _authorization(self, service: str, caller: Caller) -> dict[str, str]:
        principal = self.principals[caller]
        if principal is None:
            return {}
        cached = self._tokens.get(caller)
        if cached is None or cached[0] is not principal:
            cached = (principal, self.services[service].graphql.token(principal))
            self._tokens[caller] = cached
        return {"Authorization": f"Bearer {cached[1]}"}

    async def execute(
        self,
        service: str,
        document: str,
        variables: Mapping[str, Any] | None = None,
        *,
        as_: Caller,
        trigger: Callable[[], Awaitable[None]] | None = None,
    ) -> GraphQLResponse:
        client = self.services[service].graphql
        if document.lstrip().startswith("subscription"):
            return await self._subscribe(service, document, variables, as_=as_, trigger=trigger)
        async with self._in_flight:
            return await client.execute(document, variables, headers=self._authorization(service, as_))

    async def _subscribe(
        self,
        service: str,
        document: str,
        variables: Mapping[str, Any] | None,
        *,
        as_: Caller,
        trigger: Callable[[], Awaitable[None]] | None,
    ) -> GraphQLResponse:
        """A subscription over graphql-transport-ws, as a response: its first message, an error or data.
        A subscription that speaks only when something happens is prodded by `trigger` until it does;
        silence is an error of its own (NO_ANSWER), never taken for acceptance."""
        if service not in self._urls:
            self._urls[service] = await self._sockets.enter_async_context(served(self.services[service].app))
        headers = self._authorization(service, as_)
        try:
            async with connect(self._urls[service], subprotocols=[PROTOCOL], additional_headers=headers) as socket:
                await socket.send(json.dumps({"type": "connection_init", "payload": headers}))
                acknowledged = json.loads(await asyncio.wait_for(socket.recv(), timeout=ANSWER_WITHIN))
                if acknowledged.get("type") != "connection_ack":
                    return _refused(acknowledged)
                payload = {"query": document, "variables": dict(variables or {})}
                await socket.send(json.dumps({"type": "subscribe", "id": "matrix", "payload": payload}))
                message = await _first_message(socket, trigger)
        except (ConnectionClosed, InvalidStatus) as closed:
            return _refused({"closed": str(closed)})
        if message is None:
            silent = {"message": "no message within the time allowed", "extensions": {"code": "NO_ANSWER"}}
            return GraphQLResponse(200, {"data": None, "errors": [silent]})
        if message.get("type") == "error":
            return GraphQLResponse(200, {"data": None, "errors": message.get("payload") or []})
        return GraphQLResponse(200, message.get("payload") or {"data": None})

    async def setup(
        self, service: str, document: str, variables: Mapping[str, Any] | None = None, *, as_: Caller
    ) -> Any:
        """Data of an operation that prepares a case: it must succeed."""
        response = await self.execute(service, document, variables, as_=as_)
        assert response.status == 200, f"setup failed in {service}: {response.body}"
        assert not response.errors, f"setup failed in {service}: {response.body}"
        return response.data


async def _first_message(socket: ClientConnection, trigger: Callable[[], Awaitable[None]] | None) -> Any:
    """The subscription's first message (pings answered), prodding it with `trigger` while it is silent."""
    deadline = asyncio.get_running_loop().time() + ANSWER_WITHIN
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=min(PROD_EVERY, left)))
        except TimeoutError:
            if trigger is not None:
                await trigger()
            continue
        if message.get("type") == "ping":
            await socket.send(json.dumps({"type": "pong"}))
            continue
        return message
    return None


def _refused(reason: Mapping[str, Any]) -> GraphQLResponse:
    """A socket the service would not open for the caller: as UNAUTHENTICATED."""
    error = {"message": f"connection refused: {reason}", "extensions": {"code": "UNAUTHENTICATED"}}
    return GraphQLResponse(200, {"data": None, "errors": [error]})


_SENIOR_SIDE = frozenset({Caller.COACH, Caller.ASSISTANT_COACH, Caller.ADULT_PARENT})


def _staff(club: DemoClub, person: DemoPerson) -> Principal:
    return Principal(
        user_id=person.id,
        organization_id=club.organization_id,
        roles=frozenset(person.roles),
        team_ids=frozenset(person.team_ids),
        email=person.email,
    )


def principals_of(club: DemoClub, *, junior: Subject) -> dict[Caller, Principal | None]:
    """What each caller's token says, as the user service would issue it for the demo's people; the
    adult parent is not in the demo, so `adult_parent` makes theirs once their account exists."""
    organization = club.organization_id
    parent = club.parents[0]
    assert parent.child_ids == (junior.player_id,)

    def staff(role: Role, email: str | None = None) -> Principal:
        people = [person for person in club.staff_with(role) if email is None or person.email == email]
        return _staff(club, people[0])

    admin = club.platform_admin
    return {
        Caller.ANONYMOUS: None,
        Caller.PLATFORM_ADMIN: Principal(user_id=admin.id, roles=frozenset(admin.roles), email=admin.email),
        # A club administrator's token lists every team of the club.
        Caller.CLUB_ADMIN: replace(staff(Role.CLUB_ADMIN), team_ids=frozenset(team.id for team in club.teams)),
        Caller.COACH: staff(Role.COACH, "coach@lynx.example"),
        Caller.ASSISTANT_COACH: staff(Role.ASSISTANT_COACH),
        Caller.PHYSICAL_TRAINER: staff(Role.PHYSICAL_TRAINER),
        Caller.MEDICAL_STAFF: staff(Role.MEDICAL_STAFF, "medic@lynx.example"),
        Caller.EQUIPMENT_MANAGER: staff(Role.EQUIPMENT_MANAGER),
        Caller.PLAYER: Principal(
            user_id=junior.user_id,
            organization_id=organization,
            roles=frozenset({Role.PLAYER}),
            team_ids=frozenset({junior.team_id}),
            player_id=junior.player_id,
        ),
        Caller.PARENT: Principal(
            user_id=parent.user.id,
            organization_id=organization,
            roles=frozenset({Role.PARENT}),
            children=frozenset({junior.player_id}),
            minor_children=frozenset({junior.player_id}),
            email=parent.user.email,
        ),
        Caller.OTHER_CLUB_ADMIN: Principal(
            user_id=demo_id("user", "another-club", "admin"),
            organization_id=OTHER_ORGANIZATION_ID,
            roles=frozenset({Role.CLUB_ADMIN}),
            team_ids=frozenset({OTHER_TEAM_ID}),
        ),
        Caller.OTHER_COACH: Principal(
            user_id=demo_id("user", "another-club", "coach"),
            organization_id=OTHER_ORGANIZATION_ID,
            roles=frozenset({Role.COACH}),
            team_ids=frozenset({OTHER_TEAM_ID}),
        ),
    }


def adult_parent(club: DemoClub, user_id: uuid.UUID, *, senior: Subject) -> Principal:
    return Principal(
        user_id=user_id,
        organization_id=club.organization_id,
        roles=frozenset({Role.PARENT}),
        children=frozenset({senior.player_id}),
    )


def club_markers(club: DemoClub) -> set[str]:
    """The demo club's organization, teams, people and players, by id, and its name and people's names."""
    people = [*club.staff, *(player.user for player in club.players), *(parent.user for parent in club.parents)]
    return {
        str(club.organization_id),
        club.organization_name,
        *(str(team.id) for team in club.teams),
        *(team.name for team in club.teams),
        *(str(player.id) for player in club.players),
        *(str(person.id) for person in people),
        *(person.full_name for person in people),
        *(person.email for person in people),
    }
