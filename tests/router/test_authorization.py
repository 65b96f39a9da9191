"""`@authenticated` and `@requiresScopes` at the router: fields a caller may not see are never fetched,
answer null with an error at their path, and the rest of the operation runs (or, in reject mode, the
whole operation is refused)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from router.settings import AuthorizationMode
from shared.auth.principal import Role
from tests.router.club import data
from tests.router.club.harness import Club, fresh_data, running_club, token_for


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[Club]:
    with fresh_data():
        async with running_club(tmp_path) as running:
            yield running


def bearer(*roles: Role) -> dict[str, str]:
    return {"authorization": f"Bearer {token_for(*roles)}"}


def sent_queries(club: Club, subgraph: str) -> str:
    return "\n".join(str(request.get("query")) for request in club.requests[subgraph])


async def test_an_anonymous_caller_gets_open_fields_and_null_with_an_error_for_guarded_ones(club: Club) -> None:
    # when an anonymous caller asks for names and health notes
    response = await club.query("{ players { name medicalNotes } }")
    # then the names come back, the notes are null, and one error names the field for every player
    body = response.json()
    assert response.status_code == 200
    assert [p["name"] for p in body["data"]["players"]] == [p["name"] for p in data.PLAYERS.values()]
    assert all(p["medicalNotes"] is None for p in body["data"]["players"])
    assert body["errors"] == [
        {
            "message": "players.@.medicalNotes needs the scopes (health:read)",
            "path": ["players", "@", "medicalNotes"],
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
    # and the medical subgraph was never asked for them
    assert "medicalNotes" not in sent_queries(club, "medical")


async def test_a_caller_with_the_scope_gets_the_field(club: Club) -> None:
    response = await club.query("{ players { name medicalNotes } }", headers=bearer(Role.MEDICAL_STAFF))
    body = response.json()
    assert "errors" not in body, body
    assert [p["medicalNotes"] for p in body["data"]["players"]] == [f"notes on {p}" for p in data.PLAYERS]


async def test_a_signed_in_caller_without_the_scope_is_forbidden_the_field(club: Club) -> None:
    body = (await club.query("{ players { medicalNotes } }", headers=bearer(Role.COACH))).json()
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]
    assert all(p["medicalNotes"] is None for p in body["data"]["players"])


async def test_authenticated_fields_need_only_a_signed_in_caller(club: Club) -> None:
    anonymous = (await club.query("{ captain { name } }")).json()
    assert anonymous["data"] == {"captain": None}
    assert anonymous["errors"][0]["path"] == ["captain"]
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert club.requests["roster"] == []  # nothing else was asked, so no subgraph was called at all
    signed_in = (await club.query("{ captain { name } }", headers=bearer(Role.PARENT))).json()
    assert signed_in == {"data": {"captain": {"name": data.PLAYERS[next(iter(data.PLAYERS))]["name"]}}}


async def test_one_of_several_alternatives_is_enough(club: Club) -> None:
    # clearance needs role:medical_staff or role:admin
    for role in (Role.MEDICAL_STAFF, Role.ADMIN):
        body = (await club.query("{ players { clearance } }", headers=bearer(role))).json()
        assert "errors" not in body, (role, body)
        assert {p["clearance"] for p in body["data"]["players"]} == {"CLEARED"}


async def test_a_denied_non_null_field_nulls_its_parent_as_graphql_requires(club: Club) -> None:
    team_id = next(iter(data.TEAMS))
    body = (
        await club.query(
            "query($id: ID!) { team(id: $id) { name } other: team(id: $id) { players { clearance } } }",
            {"id": team_id},
            headers=bearer(Role.COACH),
        )
    ).json()
    # the denied non-null field takes its player, then the non-null list, then the nullable team with it
    assert body["data"] == {"team": {"name": data.TEAMS[team_id]["name"]}, "other": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["other", "players", "@", "clearance"], "FORBIDDEN")
    ]


async def test_a_type_guarded_as_a_whole_guards_every_field_returning_it(club: Club) -> None:
    coach = (await club.query("{ players { name contract { salary } } }", headers=bearer(Role.COACH))).json()
    assert all(p["contract"] is None for p in coach["data"]["players"])
    assert [e["path"] for e in coach["errors"]] == [["players", "@", "contract"]]
    assert "contract" not in sent_queries(club, "stats")
    admin = (await club.query("{ players { contract { salary } } }", headers=bearer(Role.CLUB_ADMIN))).json()
    assert "errors" not in admin, admin
    assert all(p["contract"]["salary"] >= 1000 for p in admin["data"]["players"])


async def test_a_denied_mutation_field_does_not_run_while_the_others_do(club: Club) -> None:
    player = next(iter(data.PLAYERS))
    body = (
        await club.query(
            'mutation($p: ID!) { recordInjury(playerId: $p, bodyPart: "knee") { bodyPart } discharge(playerId: $p) }',
            {"p": player},
            headers=bearer(Role.COACH),
        )
    ).json()
    assert body["data"] == {"recordInjury": {"bodyPart": "knee"}, "discharge": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert data.MUTATIONS == ["medical:injury:knee"]


async def test_the_plan_shows_what_the_caller_will_run(club: Club) -> None:
    body = (
        await club.query(
            "{ players { name medicalNotes status } }",
            headers={**bearer(Role.COACH), "hockey-hub-query-plan": "dry-run"},
        )
    ).json()
    plan = body["extensions"]["queryPlan"]["text"]
    assert "status" in plan
    assert "medicalNotes" not in plan
    assert body["errors"][0]["path"] == ["players", "@", "medicalNotes"]
    assert all(not log for log in club.requests.values())  # a dry run calls nobody


async def test_variants_are_planned_once_per_pattern_of_denied_fields(club: Club) -> None:
    query = "{ players { name medicalNotes contract { salary } } }"
    for _ in range(3):
        await club.query(query, headers=bearer(Role.COACH))
    await club.query(query, headers=bearer(Role.MEDICAL_STAFF))
    await club.query(query, headers=bearer(Role.ADMIN))  # platform admin: no club_admin scope
    prepared = club.app.state.source.engine.prepare(query, None)
    # coach: both denied; medical staff and admin: only the contract denied
    assert sorted(prepared.variants) == [(False, False), (True, False)]


async def test_reject_mode_refuses_the_whole_operation(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, authorization_mode=AuthorizationMode.REJECT) as club:
            denied = await club.query("{ players { name medicalNotes } }", headers=bearer(Role.COACH))
            assert denied.status_code == 403
            assert "data" not in denied.json()
            assert [e["extensions"]["code"] for e in denied.json()["errors"]] == ["FORBIDDEN"]
            anonymous = await club.query("{ players { name medicalNotes } }")
            assert anonymous.status_code == 401
            assert all(not log for log in club.requests.values())
            allowed = await club.query("{ players { name medicalNotes } }", headers=bearer(Role.MEDICAL_STAFF))
            assert allowed.status_code == 200
            assert "errors" not in allowed.json()
