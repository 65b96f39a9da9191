"""Every service's migrations upgrade and downgrade cleanly and build what its models describe; a database
behind head stops the service."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hockey_hub.services import SERVICES, create_app, subgraph
from shared.database import create_engine, ensure_database
from shared.database.embedded import embedded_server
from shared.database.engine import drop_database
from shared.database.migrations import MigrationsBehind, current_revisions, head_revisions, migrate
from tests.support.backend import POSTGRES_URL, SuiteEnvironment


async def _fresh_url(environment: SuiteEnvironment, name: str) -> str:
    database = f"hockey_hub_test_{environment.run_id}_{name}"
    if environment.uses_servers:
        return f"{POSTGRES_URL}/{database}"
    return (await embedded_server(environment.settings.data_dir)).url(database)


@pytest.fixture
async def fresh(environment: SuiteEnvironment) -> AsyncIterator[AsyncEngine]:
    """An empty database of its own."""
    url = await _fresh_url(environment, f"fresh_{uuid.uuid4().hex[:12]}")
    await ensure_database(url)
    engine = create_engine(url, pool_size=1)
    yield engine
    await engine.dispose()
    await drop_database(url)


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        return {row[0] for row in rows}


async def _enum_types(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'e'"
            )
        )
        return {row[0] for row in rows}


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_upgrade_downgrade_and_upgrade_again(service: str, fresh: AsyncEngine) -> None:
    model_tables = set(subgraph(service).metadata.tables)
    assert await migrate(fresh, service) == "upgrade"
    assert await current_revisions(fresh) == head_revisions(service)
    assert model_tables <= await _tables(fresh)

    assert await migrate(fresh, service, "base") == "downgrade"
    assert await _tables(fresh) == {"alembic_version"}
    assert await _enum_types(fresh) == set(), "a downgrade left enum types behind"

    await migrate(fresh, service)
    assert model_tables <= await _tables(fresh)


def _differences(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_build_what_the_models_describe(service: str, fresh: AsyncEngine) -> None:
    """What `hockey-hub makemigration` would write next is nothing: tables, columns and their types,
    nullability, indexes, unique and foreign keys agree. (Autogenerate does not see check and exclusion
    constraints; those are written in the migrations and exercised by the services' tests.)"""
    metadata = subgraph(service).metadata
    await migrate(fresh, service)
    async with fresh.connect() as connection:
        differences = await connection.run_sync(_differences, metadata)
    listed = "\n".join(f"  {difference!r}" for difference in differences)
    assert not differences, f"the {service} migrations and models disagree (fix the migration or the model):\n{listed}"


async def test_a_service_behind_head_refuses_to_start(environment: SuiteEnvironment, fresh: AsyncEngine) -> None:
    settings = environment.settings.model_copy(
        update={"database_urls": {"user": str(fresh.url.render_as_string(False))}}
    )
    app = create_app("user", settings)
    with pytest.raises(MigrationsBehind, match=r"run `hockey-hub migrate user`"):
        async with app.router.lifespan_context(app):
            pass
