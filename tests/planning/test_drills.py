"""The drill library over GraphQL: drills with rink diagrams, ratings, practices built from the library."""

from __future__ import annotations

import uuid

from subgraphs.planning import service
from subgraphs.planning.models import DrillCategory
from tests.planning.factories import Club, make_club, make_drill, make_practice_plan
from tests.support.services import RunningService
from tests.support.statements import count_statements

CREATE = """
mutation Create($input: CreateDrillInput!) {
  createDrill(input: $input) {
    id name category difficulty playersNeeded durationMinutes equipment coachingPoints averageRating ratingCount
    diagram { markers { kind x y label } arrows { kind fromX fromY toX toY } }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateDrillInput!) {
  updateDrill(id: $id, input: $input) { id name diagram { markers { x } } }
}
"""

RATE = """
mutation Rate($id: ID!, $stars: Int!, $comment: String) {
  rateDrill(id: $id, stars: $stars, comment: $comment) {
    averageRating ratingCount ratings { stars comment ratedBy { id } }
  }
}
"""

REMOVE = "mutation Remove($id: ID!) { removeDrill(id: $id) }"

LIBRARY = """
query Library($category: DrillCategory, $search: String) {
  drills(category: $category, search: $search) { name category averageRating ratingCount }
}
"""

PLAN = """
mutation Plan($input: CreatePracticePlanInput!) {
  createPracticePlan(input: $input) {
    id plannedMinutes drills { position name minutes category section drill { id name } }
  }
}
"""

DUPLICATE = """
mutation Duplicate($id: ID!) { duplicatePracticePlan(id: $id, date: "2026-03-10") { drills { section drill { id } } } }
"""


def _drill(**overrides: object) -> dict[str, object]:
    return {
        "name": "Breakout 5-on-0",
        "category": "TEAM_SYSTEMS",
        "difficulty": "INTERMEDIATE",
        "playersNeeded": 5,
        "durationMinutes": 15,
        "equipment": ["Pucks"],
        "coachingPoints": ["D shoulder-checks first", "Wingers on the wall"],
        "diagram": {
            "markers": [{"kind": "PLAYER", "x": 8, "y": 42.5, "label": "D1"}, {"kind": "NET", "x": 11, "y": 42.5}],
            "arrows": [{"kind": "PASS", "fromX": 8, "fromY": 42.5, "toX": 25, "toY": 10}],
        },
        **overrides,
    }


async def test_a_coach_adds_a_drill_with_its_rink_diagram(planning: RunningService, club: Club) -> None:
    # when the coach adds a drill drawn on the rink
    drill = (await planning.graphql.execute(CREATE, {"input": _drill()}, as_=club.coach)).ok()["createDrill"]
    # then everything a coach needs to run it reads back, unrated so far
    assert (drill["category"], drill["difficulty"], drill["playersNeeded"], drill["durationMinutes"]) == (
        "TEAM_SYSTEMS",
        "INTERMEDIATE",
        5,
        15,
    )
    assert drill["coachingPoints"] == ["D shoulder-checks first", "Wingers on the wall"]
    assert drill["diagram"]["markers"][0] == {"kind": "PLAYER", "x": 8.0, "y": 42.5, "label": "D1"}
    assert drill["diagram"]["arrows"] == [{"kind": "PASS", "fromX": 8.0, "fromY": 42.5, "toX": 25.0, "toY": 10.0}]
    assert (drill["averageRating"], drill["ratingCount"]) == (None, 0)
    # and the diagram can be replaced, or removed with null
    moved = await planning.graphql.execute(
        UPDATE,
        {"id": drill["id"], "input": {"diagram": {"markers": [{"kind": "CONE", "x": 100, "y": 0}]}}},
        as_=club.coach,
    )
    assert moved.ok()["updateDrill"]["diagram"] == {"markers": [{"x": 100.0}]}
    cleared = await planning.graphql.execute(UPDATE, {"id": drill["id"], "input": {"diagram": None}}, as_=club.coach)
    assert cleared.ok()["updateDrill"]["diagram"] is None


async def test_drills_are_validated_and_diagrams_stay_on_the_rink(planning: RunningService, club: Club) -> None:
    off_rink = [
        {"markers": [{"kind": "PLAYER", "x": 200.5, "y": 10}]},
        {"markers": [{"kind": "PUCK", "x": 10, "y": -1}]},
        {"arrows": [{"kind": "SHOT", "fromX": 150, "fromY": 40, "toX": 150, "toY": 86}]},
        {"arrows": [{"kind": "SKATE", "fromX": 50, "fromY": 40, "toX": 50, "toY": 40}]},
    ]
    for diagram in off_rink:
        bad = await planning.graphql.execute(CREATE, {"input": _drill(diagram=diagram)}, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "diagram"
    for field, value in (("name", " "), ("playersNeeded", 0), ("durationMinutes", 121), ("equipment", [""])):
        bad = await planning.graphql.execute(CREATE, {"input": _drill(**{field: value})}, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # the edges of the rink are on it; a second drill of the same name is a conflict
    corner = {"markers": [{"kind": "CONE", "x": 0, "y": 0}, {"kind": "CONE", "x": 200, "y": 85}]}
    assert (await planning.graphql.execute(CREATE, {"input": _drill(diagram=corner)}, as_=club.coach)).ok()
    again = await planning.graphql.execute(CREATE, {"input": _drill()}, as_=club.coach)
    assert again.error("CONFLICT")["extensions"]["field"] == "name"


async def test_staff_rate_drills_and_the_library_shows_the_average(planning: RunningService, club: Club) -> None:
    drill = await make_drill(planning, club=club)
    await make_drill(planning, club=club, name="Edge work circuit", category=DrillCategory.SKATING)
    # when the coach rates it 4, the trainer 5, then the coach changes their mind to 2
    for caller, stars in ((club.coach, 4), (club.trainer, 5), (club.coach, 2)):
        rated = await planning.graphql.execute(
            RATE, {"id": str(drill.id), "stars": stars, "comment": "Good tempo"}, as_=caller
        )
    # then each staff member has one rating, and the average follows
    result = rated.ok()["rateDrill"]
    assert (result["averageRating"], result["ratingCount"]) == (3.5, 2)
    assert sorted(r["stars"] for r in result["ratings"]) == [2, 5]
    # stars are 1 to 5; players and other clubs do not rate
    for stars in (0, 6):
        bad = await planning.graphql.execute(RATE, {"id": str(drill.id), "stars": stars}, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "stars"
    assert (await planning.graphql.execute(RATE, {"id": str(drill.id), "stars": 5}, as_=club.player)).codes == [
        "FORBIDDEN"
    ]
    assert (await planning.graphql.execute(RATE, {"id": str(drill.id), "stars": 5}, as_=club.outsider)).codes == [
        "NOT_FOUND"
    ]
    # and the library, filtered, is read in a fixed number of statements
    with count_statements(planning.engine) as log:
        rows = (await planning.graphql.execute(LIBRARY, {}, as_=club.player)).ok()["drills"]
    assert [(r["name"], r["averageRating"]) for r in rows] == [("Breakout 5-on-0", 3.5), ("Edge work circuit", None)]
    assert len(log.statements) == 2
    skating = (await planning.graphql.execute(LIBRARY, {"category": "SKATING"}, as_=club.coach)).ok()["drills"]
    assert [r["name"] for r in skating] == ["Edge work circuit"]
    searched = (await planning.graphql.execute(LIBRARY, {"search": "break"}, as_=club.coach)).ok()["drills"]
    assert [r["name"] for r in searched] == ["Breakout 5-on-0"]
    # another club sees its own (empty) library
    assert (await planning.graphql.execute(LIBRARY, {}, as_=club.outsider)).ok()["drills"] == []


async def test_only_coaches_and_administrators_keep_the_library(planning: RunningService, club: Club) -> None:
    for caller in (club.player, club.parent, club.trainer):
        assert (await planning.graphql.execute(CREATE, {"input": _drill()}, as_=caller)).codes == ["FORBIDDEN"]
    drill = await make_drill(planning, club=club)
    assert (await planning.graphql.execute(REMOVE, {"id": str(drill.id)}, as_=club.player)).codes == ["FORBIDDEN"]
    assert (await planning.graphql.execute(REMOVE, {"id": str(drill.id)}, as_=club.outsider)).codes == ["NOT_FOUND"]
    assert (await planning.graphql.execute(REMOVE, {"id": str(drill.id)}, as_=club.admin)).ok() == {
        "removeDrill": str(drill.id)
    }


async def test_a_practice_is_built_from_library_drills_in_sections(planning: RunningService, club: Club) -> None:
    breakout = await make_drill(planning, club=club, minutes=15)
    rushes = await make_drill(planning, club=club, name="3-on-2 rushes", minutes=20)
    sections = [
        {"name": "Warm-up laps", "minutes": 10, "section": "Warm-up"},
        {"drillId": str(breakout.id), "section": "Systems"},
        {"drillId": str(rushes.id), "minutes": 25, "section": "Systems"},
    ]
    base = {"teamId": str(club.senior), "title": "Breakouts", "date": "2026-03-03", "durationMinutes": 60}
    # when the coach builds the practice from two library drills and one ad hoc
    plan = (await planning.graphql.execute(PLAN, {"input": {**base, "drills": sections}}, as_=club.coach)).ok()[
        "createPracticePlan"
    ]
    # then the library fills in names, minutes and categories the coach left out
    assert [(d["name"], d["minutes"], d["category"], d["section"]) for d in plan["drills"]] == [
        ("Warm-up laps", 10, None, "Warm-up"),
        ("Breakout 5-on-0", 15, "TEAM_SYSTEMS", "Systems"),
        ("3-on-2 rushes", 25, "TEAM_SYSTEMS", "Systems"),
    ]
    assert [d["drill"] and d["drill"]["id"] for d in plan["drills"]] == [None, str(breakout.id), str(rushes.id)]
    assert plan["plannedMinutes"] == 50
    # and a duplicate keeps the sections and links
    copy = (await planning.graphql.execute(DUPLICATE, {"id": plan["id"]}, as_=club.coach)).ok()
    assert [d["section"] for d in copy["duplicatePracticePlan"]["drills"]] == ["Warm-up", "Systems", "Systems"]
    # sections longer than the practice, unknown drills, another club's drills and nameless ad hoc drills are refused
    other_club = make_club()
    foreign = await make_drill(planning, club=other_club, name="Foreign drill")
    unknown = str(uuid.uuid4())
    too_long = [*sections, {"drillId": str(breakout.id)}]
    response = await planning.graphql.execute(PLAN, {"input": {**base, "drills": too_long}}, as_=club.coach)
    assert "65 minutes" in response.error("BAD_USER_INPUT")["message"]
    for drills in ([{"drillId": unknown}], [{"drillId": str(foreign.id)}]):
        refused = await planning.graphql.execute(PLAN, {"input": {**base, "drills": drills}}, as_=club.coach)
        error = refused.error("BAD_USER_INPUT")
        assert error["extensions"]["field"] == "drills"
        assert error["extensions"]["unknownDrillIds"] == [drills[0]["drillId"]]
    nameless = await planning.graphql.execute(PLAN, {"input": {**base, "drills": [{"minutes": 5}]}}, as_=club.coach)
    assert nameless.error("BAD_USER_INPUT")["extensions"]["field"] == "drills"


async def test_a_removed_drill_leaves_the_practices_built_from_it(planning: RunningService, club: Club) -> None:
    drill = await make_drill(planning, club=club)
    plan = await make_practice_plan(
        planning, club=club, drills=[service.DrillSpec(None, None, drill_id=drill.id, section="Systems")]
    )
    await planning.graphql.execute(REMOVE, {"id": str(drill.id)}, as_=club.coach)
    read = await planning.graphql.execute(
        "query P($id: ID!) { practicePlan(id: $id) { drills { name minutes drill { id } } } }",
        {"id": str(plan.id)},
        as_=club.coach,
    )
    assert read.ok()["practicePlan"]["drills"] == [{"name": "Breakout 5-on-0", "minutes": 15, "drill": None}]
