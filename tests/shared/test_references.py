"""The user service's entities as the other subgraphs reference them (`shared.graphql.references`)."""

from __future__ import annotations

import uuid

import pytest
import strawberry
from strawberry.types.base import StrawberryObjectDefinition

from hockey_hub.services import SERVICES, subgraph
from shared.graphql import OrganizationReference, TeamReference, UserReference

REFERENCES: dict[str, type] = {"Team": TeamReference, "User": UserReference, "Organization": OrganizationReference}


def test_a_reference_is_built_from_the_id_alone() -> None:
    team_id, user_id, organization_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    assert TeamReference.from_id(team_id) == TeamReference(id=strawberry.ID(str(team_id)))
    assert UserReference.from_id(user_id) == UserReference(id=strawberry.ID(str(user_id)))
    assert OrganizationReference.from_id(organization_id) == OrganizationReference(
        id=strawberry.ID(str(organization_id))
    )


@pytest.mark.parametrize("service", [service for service in SERVICES if service != "user"])
def test_other_subgraphs_reference_the_user_services_entities_through_the_shared_stubs(service: str) -> None:
    schema = subgraph(service).schema

    for name, reference in REFERENCES.items():
        definition = schema.get_type_by_name(name)
        if definition is not None:
            assert isinstance(definition, StrawberryObjectDefinition)
            assert definition.origin is reference, f"the {service} subgraph declares its own {name}"
