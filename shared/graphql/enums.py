"""GraphQL enums more than one subgraph exposes; composition needs them identical everywhere.

Imported by `shared.graphql`, so the registration has happened wherever GraphQL types are built.
"""

from __future__ import annotations

import strawberry

from shared.auth.principal import Role

# Registers the enum on the class itself: annotate GraphQL fields with `Role`.
strawberry.enum(Role, name="Role", description="What a person does in the club; access to data follows from it.")
