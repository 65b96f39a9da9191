"""The demo club every subgraph seeds its part of: one organization, two teams, staff, players, parents.

Ids are derived from names (uuid5), so every subgraph agrees on them without asking another, and a
second load recognises what the first one wrote. Dates are relative to the day of loading, so the demo
always looks current.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from shared.auth.principal import Role

DEMO_NAMESPACE = uuid.UUID("6f1c2b0e-3d5a-4e8f-9a7b-1c2d3e4f5a6b")
DEMO_DOMAIN = "lynx.example"


def demo_id(*parts: object) -> uuid.UUID:
    """A stable id for a demo record, e.g. demo_id("calendar", "resource", "main-rink")."""
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(part) for part in parts))


@dataclass(frozen=True, slots=True)
class DemoTeam:
    id: uuid.UUID
    name: str
    category: str
    """youth, junior, senior or recreational."""
    age_group: str


@dataclass(frozen=True, slots=True)
class DemoPerson:
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    team_ids: tuple[uuid.UUID, ...] = ()
    staff_role: Role | None = None
    """The person's role on their teams, for staff."""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class DemoPlayer:
    id: uuid.UUID
    user: DemoPerson
    team_id: uuid.UUID
    jersey_number: int
    position: str
    """center, left_wing, right_wing, defense or goalie."""
    shoots: str
    birth_date: date
    height_cm: int
    weight_kg: int

    @property
    def first_name(self) -> str:
        return self.user.first_name

    @property
    def last_name(self) -> str:
        return self.user.last_name

    @property
    def full_name(self) -> str:
        return self.user.full_name


@dataclass(frozen=True, slots=True)
class DemoParent:
    user: DemoPerson
    child_ids: tuple[uuid.UUID, ...]
    relationship: str


@dataclass(frozen=True, slots=True)
class DemoClub:
    organization_id: uuid.UUID
    organization_name: str
    organization_slug: str
    time_zone: str
    today: date
    teams: tuple[DemoTeam, ...]
    staff: tuple[DemoPerson, ...]
    players: tuple[DemoPlayer, ...]
    parents: tuple[DemoParent, ...]
    platform_admin: DemoPerson
    season_id: uuid.UUID
    season_name: str
    season_start: date
    season_end: date

    def roster(self, team_id: uuid.UUID) -> list[DemoPlayer]:
        return [player for player in self.players if player.team_id == team_id]

    def staff_with(self, role: Role) -> list[DemoPerson]:
        return [person for person in self.staff if role in person.roles]

    def person(self, email: str) -> DemoPerson:
        people = [
            *self.staff,
            *(p.user for p in self.players),
            *(p.user for p in self.parents),
            self.platform_admin,
        ]
        return next(person for person in people if person.email == email)


_FIRST = (
    "Elias",
    "Lucas",
    "William",
    "Hugo",
    "Oliver",
    "Liam",
    "Noah",
    "Adam",
    "Leo",
    "Axel",
    "Viktor",
    "Emil",
    "Anton",
    "Filip",
    "Isak",
    "Oskar",
    "Ludvig",
    "Melvin",
    "Theo",
    "Gustav",
    "Nils",
    "Albin",
    "Jonah",
    "Mikael",
    "Kasper",
    "Samuel",
    "Jesper",
    "Rasmus",
    "Felix",
    "Erik",
    "Jacob",
    "Carl",
    "Max",
    "Alex",
    "Simon",
    "Tobias",
    "Benjamin",
    "Owen",
    "Connor",
    "Mathias",
    "Aleksi",
    "Joel",
)
_LAST = (
    "Lindqvist",
    "Berg",
    "Nyström",
    "Karlsson",
    "Virtanen",
    "Holm",
    "Sandberg",
    "Forsberg",
    "Ek",
    "Lund",
    "Wallin",
    "Åberg",
    "Mäkinen",
    "Strand",
    "Bergström",
    "Dahl",
    "Hedlund",
    "Sjöberg",
    "Korhonen",
    "Engström",
    "Lehtonen",
    "Norberg",
    "Blom",
    "Fredriksson",
    "Lindgren",
    "MacLeod",
    "Tremblay",
    "Gagnon",
    "Brandt",
    "Heikkinen",
    "Söderberg",
    "Hagström",
    "Nieminen",
    "Olsson",
    "Wikström",
    "Laine",
    "Fagerlund",
    "Roy",
    "Östlund",
    "Kallio",
)
_PARENT_FIRST = (
    "Anna",
    "Maria",
    "Karin",
    "Sofia",
    "Johan",
    "Peter",
    "Lena",
    "Emma",
    "Henrik",
    "Sara",
    "Jonas",
)

# (position, count) per team: 2 goalies, 7 defencemen, 12 forwards.
_LINEUP = (("goalie", 2), ("defense", 7), ("center", 4), ("left_wing", 4), ("right_wing", 4))


def _email(first: str, last: str) -> str:
    plain = (first + "." + last).lower()
    for accented, ascii_ in (("å", "a"), ("ä", "a"), ("ö", "o")):
        plain = plain.replace(accented, ascii_)
    return f"{plain}@{DEMO_DOMAIN}"


def _person(key: str, first: str, last: str, roles: tuple[Role, ...], **kw: object) -> DemoPerson:
    email = str(kw.pop("email", None) or _email(first, last))
    return DemoPerson(demo_id("user", key), email, first, last, roles, **kw)  # type: ignore[arg-type]


def _roster(
    team: DemoTeam, rng: random.Random, names: list[tuple[str, str]], born: tuple[int, int]
) -> list[DemoPlayer]:
    players: list[DemoPlayer] = []
    numbers = iter(rng.sample([n for n in range(2, 99) if n not in (30, 35)], 19))
    goalie_numbers = iter((30, 35))
    for position, count in _LINEUP:
        for _ in range(count):
            first, last = names.pop()
            key = f"player:{team.name}:{first}:{last}"
            user = _person(key, first, last, (Role.PLAYER,), team_ids=(team.id,))
            birth = date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
            players.append(
                DemoPlayer(
                    id=demo_id(key),
                    user=user,
                    team_id=team.id,
                    jersey_number=next(goalie_numbers) if position == "goalie" else next(numbers),
                    position=position,
                    shoots=rng.choice(("left", "left", "right")),
                    birth_date=birth,
                    height_cm=rng.randint(172, 194),
                    weight_kg=rng.randint(70, 98),
                )
            )
    return players


@cache
def demo_club(today: date | None = None) -> DemoClub:
    """The demo club as of `today` (default: the real today)."""
    today = today or date.today()  # noqa: DTZ011 (the club's calendar day, not an instant)
    rng = random.Random(2026)
    names = [(first, last) for first in _FIRST for last in _LAST]
    rng.shuffle(names)
    senior = DemoTeam(demo_id("team", "senior"), "Lynx Senior", "senior", "Senior")
    junior = DemoTeam(demo_id("team", "u18"), "Lynx U18", "junior", "U18")
    teams = (senior, junior)
    both = (senior.id, junior.id)
    staff = (
        _person("club-admin", "Helena", "Ström", (Role.CLUB_ADMIN,), email=f"admin@{DEMO_DOMAIN}", team_ids=both),
        _person(
            "coach-senior",
            "Mats",
            "Lindberg",
            (Role.COACH,),
            email=f"coach@{DEMO_DOMAIN}",
            team_ids=(senior.id,),
            staff_role=Role.COACH,
        ),
        _person(
            "assistant-senior",
            "Patrik",
            "Öberg",
            (Role.ASSISTANT_COACH,),
            team_ids=(senior.id,),
            staff_role=Role.ASSISTANT_COACH,
        ),
        _person(
            "coach-u18",
            "Jenny",
            "Sundin",
            (Role.COACH,),
            email=f"u18.coach@{DEMO_DOMAIN}",
            team_ids=(junior.id,),
            staff_role=Role.COACH,
        ),
        _person(
            "trainer",
            "Marcus",
            "Eklund",
            (Role.PHYSICAL_TRAINER,),
            email=f"trainer@{DEMO_DOMAIN}",
            team_ids=both,
            staff_role=Role.PHYSICAL_TRAINER,
        ),
        _person(
            "medic",
            "Ingrid",
            "Falk",
            (Role.MEDICAL_STAFF,),
            email=f"medic@{DEMO_DOMAIN}",
            team_ids=both,
            staff_role=Role.MEDICAL_STAFF,
        ),
        _person(
            "physio",
            "Tove",
            "Hellström",
            (Role.MEDICAL_STAFF,),
            email=f"physio@{DEMO_DOMAIN}",
            team_ids=both,
            staff_role=Role.MEDICAL_STAFF,
        ),
        _person(
            "equipment",
            "Roger",
            "Nilsson",
            (Role.EQUIPMENT_MANAGER,),
            email=f"equipment@{DEMO_DOMAIN}",
            team_ids=both,
            staff_role=Role.EQUIPMENT_MANAGER,
        ),
    )
    players = (
        *_roster(senior, rng, names, (1992, 2005)),
        *_roster(junior, rng, names, (today.year - 17, today.year - 16)),
    )
    parents: list[DemoParent] = []
    for index, child in enumerate(p for p in players if p.team_id == junior.id):
        first = _PARENT_FIRST[index % len(_PARENT_FIRST)]
        email = f"parent@{DEMO_DOMAIN}" if index == 0 else None
        user = _person(f"parent:{child.id}", first, child.last_name, (Role.PARENT,), email=email)
        parents.append(
            DemoParent(
                user,
                (child.id,),
                "mother" if first in ("Anna", "Maria", "Karin", "Sofia", "Lena", "Emma", "Sara") else "father",
            )
        )
    season_start = date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    return DemoClub(
        organization_id=demo_id("organization", "lynx"),
        organization_name="Lakeside Lynx Hockey Club",
        organization_slug="lakeside-lynx",
        time_zone="Europe/Stockholm",
        today=today,
        teams=teams,
        staff=staff,
        players=tuple(players),
        parents=tuple(parents),
        platform_admin=_person(
            "platform-admin", "Platform", "Admin", (Role.ADMIN,), email="platform@hockeyhub.example"
        ),
        season_id=demo_id("season", season_start.year),
        season_name=f"{season_start.year}-{str(season_start.year + 1)[2:]}",
        season_start=season_start,
        season_end=season_start + timedelta(days=364),
    )
