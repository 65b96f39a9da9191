"""Records the matrix reads but the demo does not hold, made once through GraphQL by their proper owners."""

from __future__ import annotations

import uuid

from shared.auth.principal import Role
from shared.demo import demo_id
from subgraphs.user.models import Organization, Team, TeamCategory, TeamStaff, User
from tests.authorization.cases import today
from tests.authorization.operations import PREPARE
from tests.authorization.operations.training import ASSIGN, CREATE_WORKOUT, agility_workout
from tests.authorization.table import Caller
from tests.authorization.world import OTHER_ORGANIZATION_ID, OTHER_TEAM_ID, World, adult_parent

CREATE_USER = """
mutation Parent($input: CreateUserInput!) { createUser(input: $input) { id } }
"""
LINK_PARENT = """
mutation Link($input: LinkParentInput!) { linkParent(input: $input) { relationship } }
"""
ADD_RESTRICTION = """
mutation Restrict($input: AddRestrictionInput!) { addRestriction(input: $input) { id } }
"""


async def prepare(world: World) -> None:
    await _other_club(world)
    await _adult_parent(world)
    await _medical(world)
    await _training(world)
    for prepare_service in PREPARE:
        await prepare_service(world)
    world.markers.update(value for value in world.found.values() if isinstance(value, str))


async def _other_club(world: World) -> None:
    """Another club in the user service, with a team, its club administrator and its coach: the
    outsiders' own club, so that what they read of "their club" is real, and never this one."""
    organization = OTHER_ORGANIZATION_ID
    async with world.services["user"].runtime.sessions() as session, session.begin():
        session.add(
            Organization(id=organization, name="Harbour Hawks HC", slug="harbour-hawks", time_zone="Europe/Helsinki")
        )
        await session.flush()
        session.add(
            Team(id=OTHER_TEAM_ID, organization_id=organization, name="Hawks Senior", category=TeamCategory.SENIOR)
        )
        for caller, first, role in (
            (Caller.OTHER_CLUB_ADMIN, "Aino", Role.CLUB_ADMIN),
            (Caller.OTHER_COACH, "Ville", Role.COACH),
        ):
            session.add(
                User(
                    id=world.person(caller),
                    organization_id=organization,
                    email=f"{first.lower()}@hawks.example",
                    first_name=first,
                    last_name="Hawk",
                    roles=[role],
                )
            )
        await session.flush()
        session.add(TeamStaff(team_id=OTHER_TEAM_ID, user_id=world.person(Caller.OTHER_COACH), role=Role.COACH))


async def _adult_parent(world: World) -> None:
    """A parent whose child (the senior player) is an adult: no health data for them."""
    created = await world.setup(
        "user",
        CREATE_USER,
        {
            "input": {
                "email": "adult.parent@lynx.example",
                "firstName": "Gunnel",
                "lastName": "Adult",
                "roles": ["PARENT"],
            }
        },
        as_=Caller.CLUB_ADMIN,
    )
    user_id = created["createUser"]["id"]
    link = {"parentUserId": user_id, "playerId": str(world.senior.player_id), "relationship": "MOTHER"}
    await world.setup("user", LINK_PARENT, {"input": link}, as_=Caller.CLUB_ADMIN)
    world.principals[Caller.ADULT_PARENT] = adult_parent(world.club, uuid.UUID(user_id), senior=world.senior)


async def _medical(world: World) -> None:
    world.found["junior.injury"] = str(demo_id("medical", "injury", "shoulder"))
    world.found["senior.injury"] = str(demo_id("medical", "injury", "knee"))
    # the demo restricts only the junior player; coaches of the senior team need one to see
    added = await world.setup(
        "medical",
        ADD_RESTRICTION,
        {
            "input": {
                "playerId": str(world.senior.player_id),
                "kind": "NO_SKATING",
                "bodyPart": "KNEE",
                "injuryId": world.found["senior.injury"],
                "reason": "Brace on; no skating until the graft is protected.",
            }
        },
        as_=Caller.MEDICAL_STAFF,
    )
    world.found["senior.restriction"] = added["addRestriction"]["id"]
    world.found["junior.restriction"] = str(demo_id("medical", "restriction", "shoulder-no-contact"))


async def _training(world: World) -> None:
    """A workout given to each anchor player alone: the other player (and their parent) may not see it."""
    for subject in (world.junior, world.senior):
        created = await world.setup(
            "training", CREATE_WORKOUT, {"input": agility_workout()}, as_=Caller.PHYSICAL_TRAINER
        )
        workout = created["createWorkout"]["id"]
        given = {
            "workoutId": workout,
            "startsOn": today().isoformat(),
            "playerIds": [str(subject.player_id)],
            "onConflict": "KEEP_BOTH",
        }
        await world.setup("training", ASSIGN, {"input": given}, as_=Caller.PHYSICAL_TRAINER)
        world.found[f"{subject.name}.workout"] = workout
