"""The user service's operations: the club, its teams, accounts, roster and parent links."""

from __future__ import annotations

from tests.authorization.cases import Case, Operation, Variables, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller

CREATE_USER = "mutation NewUser($input: CreateUserInput!) { createUser(input: $input) { id email } }"
ADD_PLAYER = "mutation NewPlayer($input: AddPlayerInput!) { addPlayer(input: $input) { id fullName } }"
LINK_PARENT = """
mutation Link($input: LinkParentInput!) { linkParent(input: $input) { relationship parent { id } } }
"""
ASSIGN_STAFF = """
mutation Assign($teamId: ID!, $userId: ID!, $role: Role!) {
  assignTeamStaff(teamId: $teamId, userId: $userId, role: $role) { role user { id } }
}
"""


def _new_user(roles: list[str]) -> Variables:
    name = unique("matrix").replace(" ", ".")
    return {"input": {"email": f"{name}@lynx.example", "firstName": "Matrix", "lastName": "Case", "roles": roles}}


async def _fresh_user(case: Case, *roles: str) -> str:
    data = await case.setup("user", CREATE_USER, _new_user(list(roles)), as_=Caller.CLUB_ADMIN)
    return str(data["createUser"]["id"])


def _new_player(case: Case) -> Variables:
    return {
        "input": {
            "firstName": "Matrix",
            "lastName": unique("Player"),
            "birthDate": "2008-03-14",
            "position": "DEFENSE",
            "shoots": "LEFT",
            "teamId": case.team_id,
        }
    }


async def _organization(case: Case) -> Variables:
    return {"id": case.organization_id}


async def _team(case: Case) -> Variables:
    return {"id": case.team_id}


async def _player(case: Case) -> Variables:
    return {"id": case.player_id}


async def _user(case: Case) -> Variables:
    return {"id": str(case.subject.user_id)}


async def _create_organization(case: Case) -> Variables:
    slug = unique("matrix").replace(" ", "-")
    return {"input": {"name": f"Club {slug}", "slug": slug}}


async def _update_organization(case: Case) -> Variables:
    # each club keeps its colour: the write is real, the data unchanged
    return {"input": {"timeZone": "Europe/Stockholm"}}


async def _create_team(case: Case) -> Variables:
    return {"input": {"name": unique("Matrix team"), "category": "YOUTH"}}


async def _update_team(case: Case) -> Variables:
    age_group = next(team.age_group for team in case.world.club.teams if str(team.id) == case.team_id)
    return {"id": case.team_id, "input": {"ageGroup": age_group}}


async def _assign_staff(case: Case) -> Variables:
    equipment = case.world.person(Caller.EQUIPMENT_MANAGER)
    return {"teamId": case.team_id, "userId": str(equipment), "role": "EQUIPMENT_MANAGER"}


async def _remove_staff(case: Case) -> Variables:
    user_id = await _fresh_user(case, "COACH")
    assigned = {"teamId": case.team_id, "userId": user_id, "role": "ASSISTANT_COACH"}
    await case.setup("user", ASSIGN_STAFF, assigned, as_=Caller.CLUB_ADMIN)
    return {"teamId": case.team_id, "userId": user_id}


async def _create_user(case: Case) -> Variables:
    return _new_user(["COACH"])


async def _update_user(case: Case) -> Variables:
    return {"id": str(case.subject.user_id), "input": {"phone": "+46 70 123 45 67"}}


async def _add_player(case: Case) -> Variables:
    return _new_player(case)


async def _update_player(case: Case) -> Variables:
    height = next(p.height_cm for p in case.world.club.players if str(p.id) == case.player_id)
    return {"id": case.player_id, "input": {"heightCm": height}}


async def _remove_player(case: Case) -> Variables:
    data = await case.setup("user", ADD_PLAYER, _new_player(case), as_=Caller.CLUB_ADMIN)
    return {"id": data["addPlayer"]["id"]}


async def _link_parent(case: Case) -> Variables:
    parent = await _fresh_user(case, "PARENT")
    return {"input": {"parentUserId": parent, "playerId": case.player_id, "relationship": "GUARDIAN"}}


async def _unlink_parent(case: Case) -> Variables:
    linked = await _link_parent(case)
    await case.setup("user", LINK_PARENT, linked, as_=Caller.CLUB_ADMIN)
    return {"parentUserId": linked["input"]["parentUserId"], "playerId": case.player_id}


async def _organization_key(case: Case) -> str:
    return case.organization_id


async def _team_key(case: Case) -> str:
    return case.team_id


async def _user_key(case: Case) -> str:
    return str(case.subject.user_id)


OPERATIONS = {
    "Query.me": Operation("query Me { me { id firstName roles } }"),
    "Query.organization": Operation("query Club($id: ID) { organization(id: $id) { id name } }", _organization),
    "Query.team": Operation("query Team($id: ID!) { team(id: $id) { id name players { id } } }", _team),
    "Query.teams": Operation("query Teams { teams { id name } }"),
    "Query.player": Operation("query Player($id: ID!) { player(id: $id) { id fullName jerseyNumber } }", _player),
    "Query.players": Operation("query Players { players { id fullName } }"),
    "Query.user": Operation("query User($id: ID!) { user(id: $id) { id fullName } }", _user),
    "Query.users": Operation("query Users { users { id fullName } }"),
    "Mutation.createOrganization": Operation(
        "mutation NewClub($input: CreateOrganizationInput!) { createOrganization(input: $input) { id slug } }",
        _create_organization,
    ),
    "Mutation.updateOrganization": Operation(
        "mutation Club($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id timeZone } }",
        _update_organization,
    ),
    "Mutation.createTeam": Operation(
        "mutation NewTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }", _create_team
    ),
    "Mutation.updateTeam": Operation(
        "mutation Team($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { id ageGroup } }",
        _update_team,
    ),
    "Mutation.assignTeamStaff": Operation(ASSIGN_STAFF, _assign_staff),
    "Mutation.removeTeamStaff": Operation(
        "mutation Unassign($teamId: ID!, $userId: ID!) { removeTeamStaff(teamId: $teamId, userId: $userId) }",
        _remove_staff,
    ),
    "Mutation.createUser": Operation(CREATE_USER, _create_user),
    "Mutation.updateUser": Operation(
        "mutation Profile($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id phone } }",
        _update_user,
    ),
    "Mutation.addPlayer": Operation(ADD_PLAYER, _add_player),
    "Mutation.updatePlayer": Operation(
        "mutation Roster($id: ID!, $input: UpdatePlayerInput!) { updatePlayer(id: $id, input: $input) "
        "{ id heightCm } }",
        _update_player,
    ),
    "Mutation.removePlayer": Operation(
        "mutation Off($id: ID!) { removePlayer(id: $id) { id isActive } }", _remove_player
    ),
    "Mutation.linkParent": Operation(LINK_PARENT, _link_parent),
    "Mutation.unlinkParent": Operation(
        "mutation Unlink($parentUserId: ID!, $playerId: ID!) { unlinkParent(parentUserId: $parentUserId, "
        "playerId: $playerId) }",
        _unlink_parent,
    ),
    "_entities.Organization": entity("Organization", "id name slug", key=_organization_key),
    "_entities.Team": entity("Team", "id name category", key=_team_key),
    "_entities.User": entity("User", "id fullName roles", key=_user_key),
    "_entities.Player": entity("Player", "id fullName position"),
    "Player.birthDate": entity("Player", "birthDate heightCm weightKg"),
    "User.email": entity("User", "email phone", key=_user_key),
}
