"""Season fees for a team's players, billed to their parents: created for the team's active roster, read
by staff (all) and parents (their children's), marked paid or void by the club's administrators."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from shared import roster
from shared.auth.principal import Role
from shared.database import utcnow
from shared.events import Event
from tests.payment.factories import Club
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.support.waiting import eventually

CREATE = """
mutation Create($input: CreateTeamFeesInput!) {
  createTeamFees(input: $input) { id playerId team { id } season amount currency dueDate status paidAt }
}
"""
LIST = """
query Fees($teamId: ID, $overdueOnly: Boolean! = false) {
  teamFees(teamId: $teamId, overdueOnly: $overdueOnly) { id playerId status }
}
"""
MARK_PAID = "mutation Paid($id: ID!) { markTeamFeePaid(id: $id) { id status paidAt } }"
VOID = "mutation Void($id: ID!) { voidTeamFee(id: $id) { id status } }"


async def _on_roster(
    payment: RunningService, club: Club, team_id: uuid.UUID, *, active: bool = True, player_id: uuid.UUID | None = None
) -> uuid.UUID:
    """A player the user service announced (player.added), as the roster copy holds them."""
    player = player_id or uuid.uuid4()
    async with payment.runtime.sessions.begin() as session:
        await roster.upsert_roster_entry(
            session,
            player_id=player,
            organization_id=club.organization_id,
            team_id=team_id,
            first_name="Alex",
            last_name=f"Player {str(player)[:4]}",
            is_active=active,
            occurred_at=utcnow(),
        )
    return player


def _input(team_id: uuid.UUID, *, due: date | None = None, amount: int = 250_000) -> dict[str, object]:
    return {
        "input": {
            "teamId": str(team_id),
            "season": "2026/27",
            "description": "Season fee U16",
            "amount": amount,
            "currency": "sek",
            "dueDate": (due or utcnow().date() + timedelta(days=30)).isoformat(),
        }
    }


async def test_fees_go_to_the_active_players_and_parents_see_their_childs(payment: RunningService, club: Club) -> None:
    # given a team with two active players, one who left, and a player of another team
    team = uuid.uuid4()
    first = await _on_roster(payment, club, team)
    second = await _on_roster(payment, club, team)
    await _on_roster(payment, club, team, active=False)
    await _on_roster(payment, club, uuid.uuid4())
    # when the club's administrator bills the season fee
    data = (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()
    # then the two active players owe it, open
    fees = data["createTeamFees"]
    assert sorted(fee["playerId"] for fee in fees) == sorted([str(first), str(second)])
    assert {(fee["status"], fee["currency"], fee["amount"], fee["paidAt"]) for fee in fees} == {
        ("OPEN", "SEK", 250_000, None)
    }
    # and a parent sees their child's fee only, the coach both
    parent = principal(Role.PARENT, organization_id=club.organization_id, children=(first,))
    own = (await payment.graphql.execute(LIST, as_=parent)).ok()["teamFees"]
    assert [fee["playerId"] for fee in own] == [str(first)]
    coach = (await payment.graphql.execute(LIST, {"teamId": str(team)}, as_=club.coach)).ok()["teamFees"]
    assert len(coach) == 2


async def test_billing_the_season_again_adds_only_new_players(payment: RunningService, club: Club) -> None:
    team = uuid.uuid4()
    await _on_roster(payment, club, team)
    first_run = (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    newcomer = await _on_roster(payment, club, team)
    again = (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    assert len(again) == 2
    assert first_run[0]["id"] in {fee["id"] for fee in again}
    assert str(newcomer) in {fee["playerId"] for fee in again}


async def test_a_fee_is_marked_paid_once_and_a_paid_fee_cannot_be_voided(payment: RunningService, club: Club) -> None:
    team = uuid.uuid4()
    await _on_roster(payment, club, team)
    [fee] = (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    paid = (await payment.graphql.execute(MARK_PAID, {"id": fee["id"]}, as_=club.admin)).ok()["markTeamFeePaid"]
    assert paid["status"] == "PAID"
    assert paid["paidAt"] is not None
    again = (await payment.graphql.execute(MARK_PAID, {"id": fee["id"]}, as_=club.admin)).ok()["markTeamFeePaid"]
    assert again == paid
    response = await payment.graphql.execute(VOID, {"id": fee["id"]}, as_=club.admin)
    assert response.error("CONFLICT")["extensions"]["field"] == "id"


async def test_an_open_fee_past_its_due_date_is_overdue(payment: RunningService, club: Club) -> None:
    late_team, current_team = uuid.uuid4(), uuid.uuid4()
    await _on_roster(payment, club, late_team)
    await _on_roster(payment, club, current_team)
    yesterday = utcnow().date() - timedelta(days=1)
    (await payment.graphql.execute(CREATE, _input(late_team, due=yesterday), as_=club.admin)).ok()
    (await payment.graphql.execute(CREATE, _input(current_team), as_=club.admin)).ok()
    overdue = (await payment.graphql.execute(LIST, {"overdueOnly": True}, as_=club.admin)).ok()["teamFees"]
    assert [fee["status"] for fee in overdue] == ["OVERDUE"]


async def test_only_the_clubs_administrators_bill_and_mark_fees(payment: RunningService, club: Club) -> None:
    team = uuid.uuid4()
    player = await _on_roster(payment, club, team)
    (await payment.graphql.execute(CREATE, _input(team), as_=club.coach)).error("FORBIDDEN")
    [fee] = (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    parent = principal(Role.PARENT, organization_id=club.organization_id, children=(player,))
    (await payment.graphql.execute(MARK_PAID, {"id": fee["id"]}, as_=parent)).error("FORBIDDEN")
    elsewhere = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    (await payment.graphql.execute(CREATE, _input(team), as_=elsewhere)).error("NOT_FOUND")
    (await payment.graphql.execute(MARK_PAID, {"id": fee["id"]}, as_=elsewhere)).error("NOT_FOUND")


async def test_bad_input_names_the_field(payment: RunningService, club: Club) -> None:
    team = uuid.uuid4()
    await _on_roster(payment, club, team)
    response = await payment.graphql.execute(CREATE, _input(team, amount=0), as_=club.admin)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "amount"
    empty_team = uuid.uuid4()
    response = await payment.graphql.execute(CREATE, _input(empty_team), as_=club.admin)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "teamId"


async def test_the_list_is_one_statement_however_many_fees(payment: RunningService, club: Club) -> None:
    # given two teams' fees
    for _ in range(2):
        team = uuid.uuid4()
        for _ in range(3):
            await _on_roster(payment, club, team)
        (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()
    # when staff list them, then one SELECT reads all six
    with count_statements(payment.engine) as log:
        fees = (await payment.graphql.execute(LIST, as_=club.coach)).ok()["teamFees"]
    assert len(fees) == 6
    assert len(log.selects()) == 1


async def test_the_roster_follows_the_user_services_player_events(payment: RunningService, club: Club) -> None:
    # given the user service announcing a player who joined a team, then one who left it
    team, joined, left = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for kind, player in (("player.added", joined), ("player.added", left), ("player.removed", left)):
        await payment.runtime.bus.publish(
            Event(
                type=kind,
                producer="user",
                organization_id=club.organization_id,
                data={"player_id": str(player), "team_id": str(team), "first_name": "Sam", "last_name": "Berg"},
            )
        )

    async def settled() -> bool | None:
        async with payment.runtime.sessions() as session:
            entries = {entry.player_id: entry.is_active for entry in await roster.team_roster(session, team)}
        return True if entries == {joined: True, left: False} else None

    await eventually(settled)
    # when the season fee is billed, then only the player still on the team owes it
    fees = (await payment.graphql.execute(CREATE, _input(team), as_=club.admin)).ok()["createTeamFees"]
    assert [fee["playerId"] for fee in fees] == [str(joined)]
