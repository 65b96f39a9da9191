"""Players through GraphQL over HTTP: roster reads, adding and changing players, who may do what."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.user.factories import Club, as_principal, link, make_player, make_team, make_user

ADD_PLAYER = """
mutation AddPlayer($input: AddPlayerInput!) {
  addPlayer(input: $input) { id fullName jerseyNumber position shoots birthDate team { id name } }
}
"""

ROSTER = """
query Roster($teamId: ID!) {
  team(id: $teamId) { name players { id jerseyNumber fullName position birthDate } }
}
"""

PLAYER = """
query Player($id: ID!) { player(id: $id) { id fullName birthDate age isMinor parents { relationship } } }
"""

UPDATE_PLAYER = """
mutation UpdatePlayer($id: ID!, $input: UpdatePlayerInput!) {
  updatePlayer(id: $id, input: $input) { id jerseyNumber position }
}
"""


def _new_player(team_id: str, number: int | None = 17) -> dict[str, object]:
    return {
        "firstName": "Viktor",
        "lastName": "Holm",
        "birthDate": "2001-03-09",
        "position": "DEFENSE",
        "shoots": "RIGHT",
        "teamId": team_id,
        "jerseyNumber": number,
    }


async def test_coach_adds_a_player_to_the_roster(user: RunningService, club: Club) -> None:
    # given the team's coach
    # when they add a player
    added = (await user.graphql.execute(ADD_PLAYER, {"input": _new_player(str(club.team.id))}, as_=club.coach)).ok()
    # then the player is on the team's roster
    assert added["addPlayer"]["fullName"] == "Viktor Holm"
    assert added["addPlayer"]["team"]["id"] == str(club.team.id)
    roster = (await user.graphql.execute(ROSTER, {"teamId": str(club.team.id)}, as_=club.coach)).ok()
    assert [(p["jerseyNumber"], p["position"]) for p in roster["team"]["players"]] == [(17, "DEFENSE")]


async def test_a_taken_jersey_number_is_a_conflict_naming_the_field(user: RunningService, club: Club) -> None:
    await make_player(user, organization=club.organization, team=club.team, number=17)
    response = await user.graphql.execute(ADD_PLAYER, {"input": _new_player(str(club.team.id))}, as_=club.coach)
    error = response.error("CONFLICT")
    assert error["extensions"]["field"] == "jerseyNumber"
    assert response.data is None
    roster = (await user.graphql.execute(ROSTER, {"teamId": str(club.team.id)}, as_=club.coach)).ok()
    assert len(roster["team"]["players"]) == 1  # nothing half-written


async def test_invalid_input_is_bad_user_input_with_the_field(user: RunningService, club: Club) -> None:
    for field, value in (("jerseyNumber", 120), ("firstName", "   "), ("birthDate", "2100-01-01")):
        response = await user.graphql.execute(
            ADD_PLAYER, {"input": {**_new_player(str(club.team.id)), field: value}}, as_=club.coach
        )
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_a_malformed_or_unknown_id_is_a_typed_error(user: RunningService, club: Club) -> None:
    malformed = await user.graphql.execute(PLAYER, {"id": "not-a-uuid"}, as_=club.coach)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "id"
    unknown = await user.graphql.execute(PLAYER, {"id": "00000000-0000-4000-8000-000000000000"}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]


async def test_a_player_may_not_change_the_roster(user: RunningService, club: Club) -> None:
    account = await make_user(user, organization=club.organization, roles=(Role.PLAYER,))
    player = await make_player(user, organization=club.organization, team=club.team, number=9, account=account)
    response = await user.graphql.execute(
        UPDATE_PLAYER,
        {"id": str(player.id), "input": {"jerseyNumber": 10}},
        as_=await as_principal(user, account),
    )
    assert response.codes == ["FORBIDDEN"]


async def test_anonymous_callers_are_unauthenticated(user: RunningService, club: Club) -> None:
    response = await user.graphql.execute(ROSTER, {"teamId": str(club.team.id)})
    assert response.codes == ["UNAUTHENTICATED"]


async def test_another_club_cannot_see_the_player(user: RunningService, club: Club) -> None:
    player = await make_player(user, organization=club.organization, team=club.team, number=4)
    outsider = principal(Role.CLUB_ADMIN, organization_id=club.team.id)  # some other organization's admin
    response = await user.graphql.execute(PLAYER, {"id": str(player.id)}, as_=outsider)
    assert response.codes == ["NOT_FOUND"]


async def test_birth_date_is_visible_to_staff_and_parents_not_teammates(user: RunningService, club: Club) -> None:
    # given a minor with a parent, and a teammate with an account
    minor = await make_player(
        user,
        organization=club.organization,
        team=club.team,
        number=11,
        birth_date=club.organization.created_at.date().replace(year=2012),
    )
    parent = await make_user(user, organization=club.organization, roles=(Role.PARENT,))
    await link(user, parent=parent, player=minor)
    mate_account = await make_user(user, organization=club.organization, roles=(Role.PLAYER,))
    await make_player(user, organization=club.organization, team=club.team, number=12, account=mate_account)
    # when each asks for the minor
    as_coach = (await user.graphql.execute(PLAYER, {"id": str(minor.id)}, as_=club.coach)).ok()["player"]
    as_parent = (await user.graphql.execute(PLAYER, {"id": str(minor.id)}, as_=await as_principal(user, parent))).ok()[
        "player"
    ]
    as_mate = (
        await user.graphql.execute(PLAYER, {"id": str(minor.id)}, as_=await as_principal(user, mate_account))
    ).ok()["player"]
    # then staff and parent see private details, the teammate only the roster basics
    assert as_coach["birthDate"] == as_parent["birthDate"] is not None
    assert as_coach["isMinor"] is True
    assert as_parent["parents"] == [{"relationship": "MOTHER"}]
    assert as_mate["birthDate"] is None
    assert as_mate["parents"] == []
    assert as_mate["fullName"] == "Elias Lund"


async def test_moving_a_player_to_another_clubs_team_is_refused(user: RunningService, club: Club) -> None:
    player = await make_player(user, organization=club.organization, team=club.team, number=8)
    from tests.user.factories import make_organization

    other = await make_team(user, organization=await make_organization(user))
    response = await user.graphql.execute(
        UPDATE_PLAYER, {"id": str(player.id), "input": {"teamId": str(other.id)}}, as_=club.admin
    )
    assert response.codes == ["NOT_FOUND"]  # the other club's team does not exist for this caller


ROSTER_WITH_RELATIONS = """
query Teams {
  teams {
    name
    staff { role user { fullName } }
    players { fullName team { name } user { email } parents { parent { fullName } } }
  }
}
"""


async def test_the_roster_costs_a_fixed_number_of_statements(user: RunningService, club: Club) -> None:
    from tests.support.statements import count_statements

    second = await make_team(user, organization=club.organization)

    async def add_players(numbers: range) -> None:
        for number in numbers:
            account = await make_user(user, organization=club.organization, roles=(Role.PLAYER,))
            player = await make_player(
                user,
                organization=club.organization,
                team=club.team if number % 2 else second,
                number=number,
                account=account,
            )
            parent = await make_user(user, organization=club.organization, roles=(Role.PARENT,))
            await link(user, parent=parent, player=player)

    async def load() -> tuple[int, int]:
        with count_statements(user.engine) as log:
            data = (await user.graphql.execute(ROSTER_WITH_RELATIONS, as_=club.coach)).ok()
        return sum(len(team["players"]) for team in data["teams"]), log.count

    # given two teams with players, accounts and parents
    await add_players(range(1, 5))
    # when the coach loads both rosters with every relation, before and after the club triples
    small = await load()
    await add_players(range(5, 13))
    large = await load()
    # then the statement count does not grow with the roster: one batch per relation
    assert (small[0], large[0]) == (4, 12)
    assert small[1] == large[1] <= 8
