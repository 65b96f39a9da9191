"""GraphQL types of the user service; each wraps a model and shows what the caller may see."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import strawberry
from strawberry import Private

from shared.auth.principal import Role
from shared.errors import not_found
from shared.graphql import Ctx, parse_id, to_id
from shared.plans import PlanLimit
from subgraphs.user import loaders, models, permissions, plans, service

strawberry.enum(models.Position, name="Position", description="Where a player plays.")
strawberry.enum(models.Handedness, name="Handedness", description="Which side a player shoots from.")
strawberry.enum(models.TeamCategory, name="TeamCategory", description="The kind of team.")
strawberry.enum(
    models.ParentRelationship,
    name="ParentRelationship",
    description="How a parent or guardian is related to a player.",
)


@strawberry.type(description="What a plan allows the club; null means unlimited.")
class ClubPlanLimits:
    max_teams: int | None = strawberry.field(description="Teams in the club.")
    max_players: int | None = strawberry.field(description="Active players on the club's rosters.")
    max_users: int | None = strawberry.field(description="Active accounts in the club.")


@strawberry.type(description="How much of its plan the club uses now.")
class ClubPlanUsage:
    teams: int = strawberry.field(description="Teams in the club.")
    players: int = strawberry.field(description="Active players; removed players do not count.")
    users: int = strawberry.field(description="Active accounts.")


@strawberry.type(description="The club's plan as the payment service last announced it, with its usage.")
class ClubPlan:
    name: str = strawberry.field(description="The plan's name, e.g. Standard (annual); Starter by default.")
    tier: str | None = strawberry.field(description="basic, standard, premium or enterprise; null by default.")
    status: str | None = strawberry.field(
        description="The subscription's status (trialing, active, past_due, ...); null before any subscription."
    )
    is_default: bool = strawberry.field(
        description="True when the club has no subscription in force and the default Starter plan applies."
    )
    features: list[str] = strawberry.field(description="Capabilities the plan unlocks, e.g. medical_tracking.")
    limits: ClubPlanLimits = strawberry.field(description="What the plan allows.")
    usage: ClubPlanUsage = strawberry.field(description="How much of it is used.")

    @classmethod
    def of(cls, standing: plans.PlanStanding) -> ClubPlan:
        terms = standing.plan.terms
        return cls(
            name=terms.name,
            tier=terms.tier,
            status=terms.status,
            is_default=standing.plan.is_default,
            features=list(terms.features),
            limits=ClubPlanLimits(
                max_teams=terms.limit(PlanLimit.TEAMS),
                max_players=terms.limit(PlanLimit.PLAYERS),
                max_users=terms.limit(PlanLimit.USERS),
            ),
            usage=ClubPlanUsage(teams=standing.usage.teams, players=standing.usage.players, users=standing.usage.users),
        )


@strawberry.federation.type(keys=["id"], description="A club: the tenant every record belongs to.")
class Organization:
    id: strawberry.ID = strawberry.field(description="The organization's id.")
    name: str = strawberry.field(description="The club's name.")
    slug: str = strawberry.field(description="Short unique name, used in URLs.")
    time_zone: str = strawberry.field(description="IANA time zone the club schedules in, e.g. Europe/Stockholm.")
    primary_color: str | None = strawberry.field(description="Club colour as #RRGGBB.")

    @classmethod
    def from_row(cls, row: models.Organization) -> Organization:
        return cls(
            id=to_id(row.id),
            name=row.name,
            slug=row.slug,
            time_zone=row.time_zone,
            primary_color=row.primary_color,
        )

    @strawberry.field(description="The club's teams, by name.")
    async def teams(self, info: Ctx) -> list[Annotated[Team, strawberry.lazy("subgraphs.user.types")]]:
        rows = await service.list_teams(info.context.session, info.context.principal, organization_id=parse_id(self.id))
        return [Team.from_row(row) for row in rows]

    @strawberry.field(description="The club's plan (from its subscription), its limits and how much is used.")
    async def plan(self, info: Ctx) -> ClubPlan:
        return ClubPlan.of(await plans.plan_standing(info.context.session, info.context.principal, parse_id(self.id)))

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Organization:
        row = await loaders.organizations(info).load(parse_id(id))
        if row is None or not permissions.can_view_organization(info.context.principal, row.id):
            raise not_found("Organization", id)
        return cls.from_row(row)


@strawberry.federation.type(keys=["id"], description="A team of the club, with its roster and staff.")
class Team:
    id: strawberry.ID = strawberry.field(description="The team's id.")
    name: str = strawberry.field(description="The team's name, unique in the club.")
    category: models.TeamCategory = strawberry.field(description="Youth, junior, senior or recreational.")
    age_group: str | None = strawberry.field(description="Age group such as U16, when the team has one.")
    organization_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Team) -> Team:
        return cls(
            id=to_id(row.id),
            name=row.name,
            category=row.category,
            age_group=row.age_group,
            organization_id=row.organization_id,
        )

    @strawberry.field(description="Active players, by jersey number.")
    async def players(self, info: Ctx) -> list[Player]:
        return [Player.from_row(row) for row in await loaders.roster_of_team(info).load(parse_id(self.id))]

    @strawberry.field(description="Coaches, trainers, medical staff and equipment managers of the team.")
    async def staff(self, info: Ctx) -> list[TeamStaffMember]:
        return [TeamStaffMember.from_row(row) for row in await loaders.staff_of_team(info).load(parse_id(self.id))]

    @strawberry.field(description="The club the team belongs to.")
    async def organization(self, info: Ctx) -> Organization:
        row = await loaders.organizations(info).load(self.organization_id)
        if row is None:
            raise not_found("Organization", self.organization_id)
        return Organization.from_row(row)

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Team:
        row = await loaders.teams(info).load(parse_id(id))
        if row is None or not info.context.principal.in_organization(row.organization_id):
            raise not_found("Team", id)
        return cls.from_row(row)


@strawberry.type(description="A staff member's role on a team.")
class TeamStaffMember:
    role: Role = strawberry.field(description="The member's role on this team.")
    user_id: Private[uuid.UUID]
    team_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.TeamStaff) -> TeamStaffMember:
        return cls(role=row.role, user_id=row.user_id, team_id=row.team_id)

    @strawberry.field(description="The staff member.")
    async def user(self, info: Ctx) -> User | None:
        row = await loaders.users(info).load(self.user_id)
        return User.from_row(row) if row else None


@strawberry.federation.type(keys=["id"], description="A person with an account: staff, player or parent.")
class User:
    id: strawberry.ID = strawberry.field(description="The user's id.")
    first_name: str = strawberry.field(description="Given name.")
    last_name: str = strawberry.field(description="Family name.")
    roles: list[Role] = strawberry.field(description="The user's roles in their club.")
    is_active: bool = strawberry.field(description="False once the account is deactivated.")
    row: Private[models.User]

    @classmethod
    def from_row(cls, row: models.User) -> User:
        return cls(
            id=to_id(row.id),
            first_name=row.first_name,
            last_name=row.last_name,
            roles=list(row.roles),
            is_active=row.is_active,
            row=row,
        )

    @strawberry.field(description="Given and family name.")
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @strawberry.field(description="Sign-in email; visible to the user and the club's staff, otherwise null.")
    def email(self, info: Ctx) -> str | None:
        return self.row.email if permissions.can_view_user_contact(info.context.principal, self.row) else None

    @strawberry.field(description="Phone number; visible to the user and the club's staff, otherwise null.")
    def phone(self, info: Ctx) -> str | None:
        return self.row.phone if permissions.can_view_user_contact(info.context.principal, self.row) else None

    @strawberry.field(description="The user's club; null for platform administrators.")
    async def organization(self, info: Ctx) -> Organization | None:
        if self.row.organization_id is None:
            return None
        row = await loaders.organizations(info).load(self.row.organization_id)
        return Organization.from_row(row) if row else None

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> User:
        row = await loaders.users(info).load(parse_id(id))
        if row is None or not permissions.can_view_user(info.context.principal, row):
            raise not_found("User", id)
        return cls.from_row(row)


@strawberry.type(description="A parent or guardian linked to a player.")
class ParentLink:
    relationship: models.ParentRelationship = strawberry.field(description="Mother, father, guardian or other.")
    is_primary_contact: bool = strawberry.field(description="Whom the club contacts first.")
    parent_user_id: Private[uuid.UUID]
    player_id: Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.ParentLink) -> ParentLink:
        return cls(
            relationship=row.relationship,
            is_primary_contact=row.is_primary_contact,
            parent_user_id=row.parent_user_id,
            player_id=row.player_id,
        )

    @strawberry.field(description="The parent's account.")
    async def parent(self, info: Ctx) -> User | None:
        row = await loaders.users(info).load(self.parent_user_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="The player.")
    async def player(self, info: Ctx) -> Player | None:
        row = await loaders.players(info).load(self.player_id)
        return Player.from_row(row) if row else None


@strawberry.federation.type(keys=["id"], description="A player on the club's roster.")
class Player:
    id: strawberry.ID = strawberry.field(description="The player's id.")
    first_name: str = strawberry.field(description="Given name.")
    last_name: str = strawberry.field(description="Family name.")
    jersey_number: int | None = strawberry.field(description="Jersey number, unique within the team.")
    position: models.Position = strawberry.field(description="Center, wing, defense or goalie.")
    shoots: models.Handedness = strawberry.field(description="Left or right.")
    is_active: bool = strawberry.field(description="False once the player has left the roster.")
    row: Private[models.Player]

    @classmethod
    def from_row(cls, row: models.Player) -> Player:
        return cls(
            id=to_id(row.id),
            first_name=row.first_name,
            last_name=row.last_name,
            jersey_number=row.jersey_number,
            position=row.position,
            shoots=row.shoots,
            is_active=row.is_active,
            row=row,
        )

    @strawberry.field(description="Given and family name.")
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @strawberry.field(description="Birth date; visible to staff, the player and their parents, otherwise null.")
    def birth_date(self, info: Ctx) -> date | None:
        return self.row.birth_date if self._private_visible(info) else None

    @strawberry.field(description="Age in whole years today; visible like the birth date.")
    def age(self, info: Ctx) -> int | None:
        if not self._private_visible(info):
            return None
        return service.age_on(self.row.birth_date, date.today())  # noqa: DTZ011 (calendar day)

    @strawberry.field(description="Under 18 today: parents then see the player's health data.")
    def is_minor(self) -> bool:
        return service.is_minor(self.row)

    @strawberry.field(description="Height in centimetres; visible like the birth date.")
    def height_cm(self, info: Ctx) -> int | None:
        return self.row.height_cm if self._private_visible(info) else None

    @strawberry.field(description="Weight in kilograms; visible like the birth date.")
    def weight_kg(self, info: Ctx) -> int | None:
        return self.row.weight_kg if self._private_visible(info) else None

    @strawberry.field(description="The player's team; null while unassigned.")
    async def team(self, info: Ctx) -> Team | None:
        if self.row.team_id is None:
            return None
        row = await loaders.teams(info).load(self.row.team_id)
        return Team.from_row(row) if row else None

    @strawberry.field(description="The player's own account, when they have one; visible like the birth date.")
    async def user(self, info: Ctx) -> User | None:
        if self.row.user_id is None or not self._private_visible(info):
            return None
        row = await loaders.users(info).load(self.row.user_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="Parents and guardians; visible to staff, the player and their parents.")
    async def parents(self, info: Ctx) -> list[ParentLink]:
        if not self._private_visible(info):
            return []
        return [ParentLink.from_row(row) for row in await loaders.parents_of_player(info).load(self.row.id)]

    def _private_visible(self, info: Ctx) -> bool:
        return permissions.can_view_player_private(info.context.principal, self.row)

    @classmethod
    async def resolve_reference(cls, info: Ctx, id: strawberry.ID) -> Player:
        row = await loaders.players(info).load(parse_id(id))
        if row is None or not permissions.can_view_player(info.context.principal, row):
            raise not_found("Player", id)
        return cls.from_row(row)


__all__ = ["Organization", "ParentLink", "Player", "Role", "Team", "TeamStaffMember", "User"]
