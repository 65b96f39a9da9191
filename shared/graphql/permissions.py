"""Permission classes for Strawberry fields: signed-in, by role, by capability, and by scope over the
field's source.

Coarse rules sit beside the field and also appear in the schema as `@authenticated` and
`@requiresScopes`, so the router enforces them before any subgraph runs; object rules (a player's own
record, a parent's child) live in each subgraph's `permissions.py` and are enforced by its services.
Every root field needs a signed-in caller unless it is declared `public_field()` (see `build_schema`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.federation.schema_directives import Authenticated, RequiresScopes
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from shared.auth.principal import Principal, Role
from shared.auth.scopes import role_scope, scopes_for
from shared.errors import Forbidden, Unauthenticated
from shared.graphql.context import RequestContext


def _principal(info: Info[RequestContext, Any]) -> Principal:
    return info.context.principal


class IsAuthenticated(BasePermission):
    message = "sign in to use this field"
    _schema_directive = Authenticated()

    def has_permission(self, source: Any, info: Info[RequestContext, Any], **kwargs: Any) -> bool:
        return _principal(info).is_authenticated

    def on_unauthorized(self) -> None:
        raise Unauthenticated(self.message or "")


class HasRole(BasePermission):
    """The caller holds one of `roles` (a platform admin always passes)."""

    def __init__(self, *roles: Role):
        self.roles = frozenset(roles) | {Role.ADMIN}
        self.message = "this needs one of the roles: " + ", ".join(sorted(r.value for r in roles))
        self._requires_scopes = RequiresScopes(scopes=[[role_scope(role)] for role in sorted(self.roles)])

    @property
    def schema_directive(self) -> object:
        return self._requires_scopes

    def has_permission(self, source: Any, info: Info[RequestContext, Any], **kwargs: Any) -> bool:
        principal = _principal(info)
        if not principal.is_authenticated:
            # Instances are shared by concurrent requests, so the reason is raised here, not remembered.
            raise Unauthenticated("sign in to use this field")
        return principal.has_role(*self.roles)

    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "")


class InOrganizationOfSource(BasePermission):
    """The field's source object belongs to the caller's organization (`source.organization_id`)."""

    message = "this record belongs to another organization"

    def has_permission(self, source: Any, info: Info[RequestContext, Any], **kwargs: Any) -> bool:
        return _principal(info).in_organization(getattr(source, "organization_id", None))

    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "")


class HasCapability(BasePermission):
    """The caller's roles grant the capability scope (`shared.auth.scopes`), e.g. `health:read`."""

    def __init__(self, capability: str):
        self.capability = capability
        self.message = f"this needs the {capability} scope"
        self._requires_scopes = RequiresScopes(scopes=[[capability]])

    @property
    def schema_directive(self) -> object:
        return self._requires_scopes

    def has_permission(self, source: Any, info: Info[RequestContext, Any], **kwargs: Any) -> bool:
        principal = _principal(info)
        if not principal.is_authenticated:
            raise Unauthenticated("sign in to use this field")
        return self.capability in scopes_for(principal.roles)

    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "")


def requires_role(*roles: Role) -> PermissionExtension:
    """Field extension: `extensions=[requires_role(Role.COACH, Role.CLUB_ADMIN)]`."""
    return PermissionExtension(permissions=[HasRole(*roles)], use_directives=True)


def requires_capability(capability: str) -> PermissionExtension:
    """Field extension: `extensions=[requires_capability(HEALTH_READ)]`."""
    return PermissionExtension(permissions=[HasCapability(capability)], use_directives=True)


def requires_sign_in() -> PermissionExtension:
    return PermissionExtension(permissions=[IsAuthenticated()], use_directives=True)


class PublicField(FieldExtension):
    """Marks a root field anonymous callers may use (sign-in, password reset); it changes nothing else."""


def public_field() -> PublicField:
    return PublicField()


class Scope(StrEnum):
    ORGANIZATION = "organization"
    """The source belongs to the caller's organization."""
    TEAM = "team"
    """The source belongs to one of the caller's teams."""
    OWN = "own"
    """The source is the caller's own player record."""
    CHILD = "child"
    """The source is a player linked to the caller as their child."""
    MINOR_CHILD = "minor_child"
    """The source is the caller's child and still a minor."""


class InScope(BasePermission):
    """The field's source is within one of `scopes` of the caller, optionally for some roles only.

    The source exposes `organization_id`, `team_id` and the player's id under `player_attribute`.
    Every scope also requires the caller's organization, so no scope reaches across clubs.
    """

    def __init__(self, *scopes: Scope, roles: frozenset[Role] | None = None, player_attribute: str = "player_id"):
        self.scopes = scopes
        self.roles = roles
        self.player_attribute = player_attribute
        self.message = "this record is outside what you may see"

    def has_permission(self, source: Any, info: Info[RequestContext, Any], **kwargs: Any) -> bool:
        principal = _principal(info)
        if not principal.is_authenticated:
            raise Unauthenticated("sign in to use this field")
        if not principal.in_organization(getattr(source, "organization_id", None)):
            return False
        if principal.is_platform_admin:
            return True
        if self.roles is not None and not principal.has_role(*self.roles):
            return False
        return any(self._within(scope, principal, source) for scope in self.scopes)

    def _within(self, scope: Scope, principal: Principal, source: Any) -> bool:
        player_id = getattr(source, self.player_attribute, None)
        match scope:
            case Scope.ORGANIZATION:
                return True
            case Scope.TEAM:
                return principal.in_team(getattr(source, "team_id", None))
            case Scope.OWN:
                return player_id is not None and principal.is_player(player_id)
            case Scope.CHILD | Scope.MINOR_CHILD:
                minor_only = scope is Scope.MINOR_CHILD
                return player_id is not None and principal.is_guardian_of(player_id, minor_only=minor_only)

    def on_unauthorized(self) -> None:
        raise Forbidden(self.message or "")


def requires_scope(
    *scopes: Scope, roles: frozenset[Role] | None = None, player_attribute: str = "player_id"
) -> PermissionExtension:
    """Field extension: `extensions=[requires_scope(Scope.OWN, Scope.MINOR_CHILD)]` on a player's record."""
    return PermissionExtension(
        permissions=[InScope(*scopes, roles=roles, player_attribute=player_attribute)], use_directives=False
    )
