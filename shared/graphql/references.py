"""The user service's entities as every other subgraph references them: `Team`, `User`, `Organization`.

A subgraph that points at one of them returns a reference carrying only the id; the router fetches every
other field from the user service. The key is `resolvable: false`, so the router never sends these
subgraphs a representation to resolve and building a reference needs no query. One definition here keeps
the stubs (and their descriptions, which composition merges by majority) identical across subgraphs.
"""

from __future__ import annotations

import uuid

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from shared.graphql.ids import to_id


def _reference_key() -> list[Key]:
    return [Key(fields=FieldSet("id"), resolvable=False)]


@strawberry.federation.type(
    name="Team",
    keys=_reference_key(),
    description="A team of the club, with its roster and staff; the user service owns and resolves it.",
)
class TeamReference:
    id: strawberry.ID = strawberry.field(description="The team's id.")

    @classmethod
    def from_id(cls, team_id: uuid.UUID) -> TeamReference:
        return cls(id=to_id(team_id))


@strawberry.federation.type(
    name="User",
    keys=_reference_key(),
    description="A person with an account: staff, player or parent; the user service owns and resolves it.",
)
class UserReference:
    id: strawberry.ID = strawberry.field(description="The user's id.")

    @classmethod
    def from_id(cls, user_id: uuid.UUID) -> UserReference:
        return cls(id=to_id(user_id))


@strawberry.federation.type(
    name="Organization",
    keys=_reference_key(),
    description="A club, the tenant every record belongs to; the user service owns and resolves it.",
)
class OrganizationReference:
    id: strawberry.ID = strawberry.field(description="The organization's id.")

    @classmethod
    def from_id(cls, organization_id: uuid.UUID) -> OrganizationReference:
        return cls(id=to_id(organization_id))
