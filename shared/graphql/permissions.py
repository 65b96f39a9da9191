"""Permission classes for Strawberry fields: signed-in, by role, and by scope over the field's source.

Coarse rules sit beside the field; object rules (a player's own record, a parent's child) live in each
subgraph's `permissions.py` and are enforced by its services.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from shared.auth.principal import Principal, Role
from shared.errors import Forbidden, Unauthenticated
from shared.graphql.context import RequestContext


def _principal(info: Info[RequestContext, Any]) -> Principal:
    return info.context.principal


class IsAuthenticated(BasePermission):
    message = "sign in to use this field"

    def has_permission(self, source: Any, info: Info[RequestContext, Any], **kwargs: Any) -> bool:
        return _principal(info).is_authenticated

    def on_unauthorized(self) -> None:
        raise Unauthenticated(self.message or "")


class HasRole(BasePermission):
    """The caller holds one of `roles` (a platform admin always passes)."""

    def __init__(self, *roles: Role):
        self.roles = frozenset(roles) | {Role.ADMIN}
        self.message = "this needs one of the roles: " + ", ".join(sorted(r.value for r in roles))

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


def requires_role(*roles: Role) -> PermissionExtension:
    """Field extension: `extensions=[requires_role(Role.COACH, Role.CLUB_ADMIN)]`."""
    return PermissionExtension(permissions=[HasRole(*roles)], use_directives=False)


def requires_sign_in() -> PermissionExtension:
    return PermissionExtension(permissions=[IsAuthenticated()], use_directives=False)
