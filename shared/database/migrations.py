"""Alembic, one version history per service under `migrations/<service>/`, driven from code."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, pool
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


class MigrationsBehind(RuntimeError):
    """The database is not at the revision the code expects; the message says how to fix it."""


def alembic_config(service: str, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR / service))
    config.set_main_option("path_separator", "os")
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revisions(service: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(service)).get_heads())


async def current_revisions(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        heads = await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_heads())
    return set(heads)


async def ensure_at_head(engine: AsyncEngine, service: str) -> None:
    current, expected = await current_revisions(engine), head_revisions(service)
    if current != expected:
        have = ", ".join(sorted(current)) or "no revision (an empty database)"
        raise MigrationsBehind(
            f"the {service} database is at {have} but this code needs {', '.join(sorted(expected))}; "
            f"run `hockey-hub migrate {service}`"
        )


async def migrate(engine: AsyncEngine, service: str, revision: str = "head") -> str:
    """Move the service's database to `revision`, upgrading or downgrading as needed; says which."""
    config = alembic_config(service)
    current = await current_revisions(engine)
    direction = _direction(config, current, revision)
    async with engine.begin() as connection:
        await connection.run_sync(_run, config, direction, revision)
    return direction


def _direction(config: Config, current: set[str], target: str) -> str:
    if target in ("base",) or target.startswith("-"):
        return "downgrade"
    if target in ("head", "heads") or target.startswith("+") or not current:
        return "upgrade"
    script = ScriptDirectory.from_config(config)
    resolved = script.get_revision(target)
    if resolved is None:
        return "upgrade"
    # The target is behind when it is an ancestor of what the database has now.
    for revision in current:
        for ancestor in script.iterate_revisions(revision, "base"):
            if ancestor.revision == resolved.revision and ancestor.revision != revision:
                return "downgrade"
    return "upgrade"


def _run(connection: Connection, config: Config, direction: str, revision: str) -> None:
    config.attributes["connection"] = connection
    if direction == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


def run_migrations(metadata: MetaData) -> None:
    """The body of every `migrations/<service>/env.py`."""
    from alembic import context

    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection, metadata)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    import asyncio

    async def online() -> None:
        engine = create_async_engine(url or "", poolclass=pool.NullPool)
        async with engine.begin() as async_connection:
            await async_connection.run_sync(lambda sync: _configure_and_run(sync, metadata))
        await engine.dispose()

    asyncio.run(online())


def _configure_and_run(connection: Connection, metadata: MetaData) -> None:
    from alembic import context

    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def make_revision(engine: AsyncEngine, service: str, message: str) -> str:
    """Autogenerate the next revision of a service from its models; the database must be at head."""
    await ensure_at_head(engine, service)
    config = alembic_config(service)
    existing = len(list((MIGRATIONS_DIR / service / "versions").glob("*.py")))
    revision_id = f"{existing + 1:04d}"
    async with engine.begin() as connection:
        await connection.run_sync(_autogenerate, config, message, revision_id)
    created = sorted((MIGRATIONS_DIR / service / "versions").glob(f"{revision_id}_*.py"))
    return str(created[0]) if created else revision_id


def _autogenerate(connection: Connection, config: Config, message: str, revision_id: str) -> None:
    config.attributes["connection"] = connection
    command.revision(config, message=message, autogenerate=True, rev_id=revision_id)


def drop_enum_types(*names: str) -> None:
    """For downgrades: dropping a table leaves its PostgreSQL enum types behind."""
    from alembic import op

    for name in names:
        op.execute(f'DROP TYPE IF EXISTS "{name}"')
