"""The OAuth scopes a token carries (`scope` claim), derived from the caller's roles.

The router enforces `@requiresScopes` with them before anything runs; the subgraphs still check each
record (own team, own player, linked child). A role is also a scope (`role:coach`), so a field open to
some roles says so in the schema; capability scopes name what a field gives access to.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.auth.principal import Role

HEALTH_READ = "health:read"
"""Diagnoses, treatments and notes: medical staff, and (for their own or their child's record) players
and parents. Coaches and trainers see availability and restrictions only."""
HEALTH_WRITE = "health:write"

CAPABILITIES: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({HEALTH_READ, HEALTH_WRITE}),
    Role.MEDICAL_STAFF: frozenset({HEALTH_READ, HEALTH_WRITE}),
    Role.PLAYER: frozenset({HEALTH_READ}),
    Role.PARENT: frozenset({HEALTH_READ}),
}


def role_scope(role: Role) -> str:
    return f"role:{role.value}"


def scopes_for(roles: Iterable[Role]) -> frozenset[str]:
    scopes: set[str] = set()
    for role in roles:
        scopes.add(role_scope(role))
        scopes |= CAPABILITIES.get(role, frozenset())
    return frozenset(scopes)
