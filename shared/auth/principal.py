"""The caller of a request, as the verified token describes them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shared.errors import InvalidInput


class Role(StrEnum):
    ADMIN = "admin"
    """Platform administrator, across organizations."""
    CLUB_ADMIN = "club_admin"
    COACH = "coach"
    ASSISTANT_COACH = "assistant_coach"
    PHYSICAL_TRAINER = "physical_trainer"
    MEDICAL_STAFF = "medical_staff"
    EQUIPMENT_MANAGER = "equipment_manager"
    PLAYER = "player"
    PARENT = "parent"


STAFF_ROLES = frozenset(
    {
        Role.CLUB_ADMIN,
        Role.COACH,
        Role.ASSISTANT_COACH,
        Role.PHYSICAL_TRAINER,
        Role.MEDICAL_STAFF,
        Role.EQUIPMENT_MANAGER,
    }
)
COACHING_ROLES = frozenset({Role.COACH, Role.ASSISTANT_COACH, Role.PHYSICAL_TRAINER})


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated user, or the anonymous caller (`user_id` None).

    `team_ids` are the teams the user works with or plays for; `player_id` is the user's own roster
    entry; `children` are the players linked to a parent and `minor_children` those still minors.
    """

    user_id: uuid.UUID | None
    organization_id: uuid.UUID | None = None
    roles: frozenset[Role] = frozenset()
    team_ids: frozenset[uuid.UUID] = frozenset()
    player_id: uuid.UUID | None = None
    children: frozenset[uuid.UUID] = frozenset()
    minor_children: frozenset[uuid.UUID] = frozenset()
    email: str | None = None
    token_id: str | None = None
    session_id: str | None = None
    """The sign-in (refresh-token family) the token was issued for; revoking it ends the session."""
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_platform_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_staff(self) -> bool:
        return not self.roles.isdisjoint(STAFF_ROLES)

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    def in_organization(self, organization_id: uuid.UUID | None) -> bool:
        """Own organization; the platform admin is in every organization."""
        return self.is_platform_admin or (organization_id is not None and organization_id == self.organization_id)

    def in_team(self, team_id: uuid.UUID | None) -> bool:
        return team_id is not None and team_id in self.team_ids

    def is_player(self, player_id: uuid.UUID) -> bool:
        return self.player_id == player_id

    def is_guardian_of(self, player_id: uuid.UUID, *, minor_only: bool = False) -> bool:
        return player_id in (self.minor_children if minor_only else self.children)

    def require_organization(self) -> uuid.UUID:
        """The organization the caller acts in; a platform admin must name one explicitly."""
        if self.organization_id is None:
            raise InvalidInput("the caller belongs to no organization; name one", field="organizationId")
        return self.organization_id


ANONYMOUS = Principal(user_id=None)
