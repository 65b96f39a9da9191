"""`hockey-hub`: run the stack or one service, migrate databases, make development tokens."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hockey_hub.services import SERVICES

if TYPE_CHECKING:
    from hockey_hub.stack import Listener
from shared.log import configure_logging
from shared.settings import ROUTER_PORT, SERVICE_PORTS, Mode, Settings, get_settings
from shared.telemetry import exported_traces


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "needs_settings", True):
        try:
            settings: Settings | None = get_settings()
        except ValueError as error:
            print(f"hockey-hub: invalid settings: {error}", file=sys.stderr)
            return 2
        assert settings is not None
        configure_logging(level=settings.log_level, json=settings.log_json)
    else:
        # The router alone needs no database, broker or cache settings (production mode would demand them).
        settings = None
        configure_logging(
            level=os.environ.get("HOCKEY_HUB_LOG_LEVEL", "INFO"),
            json=os.environ.get("HOCKEY_HUB_LOG_JSON", "true").lower() != "false",
        )
    try:
        result: int = args.run(args, settings)
    except KeyboardInterrupt:
        return 130
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hockey-hub", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    up = commands.add_parser("up", help="run every service in one process (embedded defaults)")
    up.add_argument("--demo", action="store_true", help="load the demo club first")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument(
        "--port-offset", type=int, default=0, help="add to every port, to run a second stack beside a first"
    )
    up.set_defaults(run=_up)

    serve = commands.add_parser("serve", help="run one service as its own process")
    serve.add_argument("service", choices=SERVICES)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int)
    serve.set_defaults(run=_serve)

    router = commands.add_parser("router", help="the federation router over a supergraph (serve, or print a plan)")
    router.add_argument("action", nargs="?", choices=["serve", "plan"], default="serve")
    router.add_argument("query_file", nargs="?", type=Path, help="with `plan`: the operation to plan")
    router.add_argument("--supergraph", type=Path, help="supergraph SDL file (default schema/supergraph.graphql)")
    router.add_argument("--host", default="127.0.0.1")
    router.add_argument("--port", type=int, default=ROUTER_PORT)
    router.add_argument("--operation-name")
    router.set_defaults(run=_router, needs_settings=False)

    migrate = commands.add_parser("migrate", help="upgrade (or downgrade) service databases")
    migrate.add_argument("service", nargs="?", default="all", choices=[*SERVICES, "all"])
    migrate.add_argument("--revision", default="head", help="target revision: head, base, an id, -1, +1")
    migrate.set_defaults(run=_migrate)

    revision = commands.add_parser("makemigration", help="autogenerate a migration from a service's models")
    revision.add_argument("service", choices=SERVICES)
    revision.add_argument("message")
    revision.set_defaults(run=_makemigration)

    schema = commands.add_parser("schema", help="compose the supergraph and check it like a schema registry")
    schema_commands = schema.add_subparsers(required=True, metavar="ACTION")
    compose = schema_commands.add_parser(
        "compose", help="write schema/subgraphs/*.graphql and schema/supergraph.graphql"
    )
    compose.add_argument("--print", action="store_true", help="print the supergraph instead of writing files")
    compose.add_argument(
        "--subgraph",
        action="append",
        default=[],
        metavar="NAME=FILE|URL",
        help="take a subgraph's SDL from a file, or from a running service's _service { sdl }",
    )
    compose.set_defaults(run=_schema_compose)
    check = schema_commands.add_parser("check", help="composition, drift, breaking changes and operations")
    check.add_argument("--against", default="HEAD", help="git ref of the base supergraph (default HEAD)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=_schema_check)

    demo = commands.add_parser("demo", help="load the demo club into migrated databases")
    demo.set_defaults(run=_demo)

    keys = commands.add_parser("keys", help="manage the JWT signing keys")
    key_commands = keys.add_subparsers(required=True, metavar="ACTION")
    folder_help = "the keys folder (default: HOCKEY_HUB_JWT_KEYS_DIR, or data_dir/keys in development mode)"
    generate = key_commands.add_parser("generate", help="make a signing key in a folder, unless it has one")
    generate.add_argument("folder", type=Path)
    generate.set_defaults(run=_generate_keys)
    rotate = key_commands.add_parser(
        "rotate", help="add a new signing key; the previous two still verify, older ones are retired"
    )
    rotate.add_argument("--dir", type=Path, help=folder_help)
    rotate.set_defaults(run=_rotate_keys)
    listing = key_commands.add_parser("list", help="the keys in the folder, the signing one first")
    listing.add_argument("--dir", type=Path, help=folder_help)
    listing.set_defaults(run=_list_keys)
    health_key = key_commands.add_parser("health-data-key", help="print a new key for HOCKEY_HUB_HEALTH_DATA_KEYS")
    health_key.set_defaults(run=_new_health_data_key)
    reencrypt = key_commands.add_parser(
        "reencrypt-health-data", help="rewrite the medical service's health data under the newest health-data key"
    )
    reencrypt.set_defaults(run=_reencrypt_health_data)

    token = commands.add_parser("dev-token", help="print a signed access token for a user (development only)")
    token.add_argument("email")
    token.add_argument("--minutes", type=int, default=60, help="lifetime (default 60)")
    token.set_defaults(run=_dev_token)
    return parser


def _up(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.stack import StartupFailed, run

    try:
        with exported_traces("hockey-hub"):
            run(_run_up(settings, host=args.host, demo=args.demo, offset=args.port_offset))
    except StartupFailed as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 3
    return 0


async def _run_up(settings: Settings, *, host: str, demo: bool, offset: int) -> None:
    from hockey_hub.database import migrate_service
    from hockey_hub.demo import load_demo
    from hockey_hub.services import create_app
    from hockey_hub.stack import Listener, serve
    from shared.auth.revocation import SessionRevocations
    from shared.cache import create_cache
    from shared.events import create_bus
    from shared.pubsub import create_pubsub
    from shared.runtime import ProcessResources

    if settings.embedded_database:
        for service in SERVICES:
            await migrate_service(settings, service)
    if demo:
        await load_demo(settings)
    pubsub = create_pubsub(settings)
    resources = ProcessResources(
        bus=create_bus(settings),
        cache=create_cache(settings),
        pubsub=pubsub,
        revocations=SessionRevocations.connect(settings.redis_url, prefix=settings.redis_key_prefix, pubsub=pubsub),
    )
    await resources.bus.start()
    await resources.revocations.start()
    from router.app import create_router_app
    from router.settings import RouterSettings

    listeners = [
        Listener(service, create_app(service, settings, resources=resources), host, port + offset)
        for service, port in SERVICE_PORTS.items()
    ]
    subgraph_urls = {service: f"http://{host}:{port + offset}/graphql" for service, port in SERVICE_PORTS.items()}
    jwks_url = f"http://{host}:{SERVICE_PORTS['user'] + offset}/.well-known/jwks.json"
    router_settings = RouterSettings(subgraph_urls=subgraph_urls, jwks_url=jwks_url)
    router = create_router_app(router_settings, revocations=resources.revocations)
    compression = router_settings.websocket_compression
    listeners.append(Listener("router", router, host, ROUTER_PORT + offset, websocket_compression=compression))
    _print_banner(settings, listeners, demo=demo)
    try:
        await serve(listeners)
    finally:
        await resources.bus.close()
        await resources.revocations.close()
        await resources.cache.close()
        await resources.pubsub.close()


def _print_banner(settings: Settings, listeners: Sequence[Listener], *, demo: bool) -> None:
    lines = ["Hockey Hub is starting (the router serves the whole supergraph; each subgraph also on its own):"]
    lines += [
        f"  {item.name:<14} http://{item.host}:{item.port}/graphql" for item in sorted(listeners, key=lambda i: i.port)
    ]
    if demo and settings.mode is Mode.DEVELOPMENT:
        lines.append("Act as a demo user in GraphiQL: hockey-hub dev-token coach@lynx.example")
    print("\n".join(lines), file=sys.stderr, flush=True)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.services import create_app
    from hockey_hub.stack import Listener, StartupFailed, run, serve

    app = create_app(args.service, settings)
    try:
        with exported_traces(f"hockey-hub-{args.service}"):
            run(serve([Listener(args.service, app, args.host, args.port or SERVICE_PORTS[args.service])]))
    except StartupFailed as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 3
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.database import migrate_service

    services = SERVICES if args.service == "all" else (args.service,)

    async def run() -> None:
        for service in services:
            direction = await migrate_service(settings, service, args.revision)
            print(f"{service}: {direction}d to {args.revision}")

    asyncio.run(run())
    return 0


def _makemigration(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.database import service_engine
    from shared.database.migrations import make_revision

    async def run() -> str:
        async with service_engine(settings, args.service) as engine:
            return await make_revision(engine, args.service, args.message)

    print(asyncio.run(run()))
    return 0


def _subgraph_overrides(entries: list[str]) -> dict[str, str]:
    from hockey_hub.schema import fetch_sdl

    overrides: dict[str, str] = {}
    for entry in entries:
        name, _, where = entry.partition("=")
        if name not in SERVICES or not where:
            raise ValueError(f"--subgraph takes NAME=FILE or NAME=URL with NAME one of {', '.join(SERVICES)}")
        overrides[name] = (
            asyncio.run(fetch_sdl(where)) if where.startswith(("http://", "https://")) else Path(where).read_text()
        )
    return overrides


def _schema_compose(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.schema import compose_project, write_files

    try:
        composed = compose_project(_subgraph_overrides(args.subgraph))
    except (ValueError, OSError, RuntimeError) as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 2
    for problem in composed.result.errors:
        print(problem, file=sys.stderr)
    if not composed.result.ok or composed.result.supergraph_sdl is None:
        print(f"composition failed with {len(composed.result.errors)} errors", file=sys.stderr)
        return 1
    if args.print:
        sys.stdout.write(composed.result.supergraph_sdl)
        return 0
    for path in write_files(composed):
        print(f"wrote {path}")
    return 0


def _schema_check(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.schema import base_supergraph, check, compose_project, format_report, report_json

    report = check(compose_project(), base_sdl=base_supergraph(args.against), base=args.against)
    print(report_json(report) if args.format == "json" else format_report(report))
    return 0 if report.ok else 1


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.demo import load_demo

    loaded = asyncio.run(load_demo(settings))
    for service, fresh in loaded.items():
        print(f"{service}: {'loaded' if fresh else 'already there'}")
    return 0


def _router(args: argparse.Namespace, settings: Settings | None) -> int:
    from router.federation.model import SupergraphError
    from router.settings import RouterSettings

    router_settings = RouterSettings(**({"supergraph": args.supergraph} if args.supergraph else {}))
    if args.action == "plan":
        return _print_plan(router_settings.supergraph, args.query_file, args.operation_name)
    from hockey_hub.stack import Listener, StartupFailed, run, serve
    from router.app import create_router_app

    try:
        app = create_router_app(router_settings)
        compression = router_settings.websocket_compression
        with exported_traces("hockey-hub-router"):
            run(serve([Listener("router", app, args.host, args.port, websocket_compression=compression)]))
    except SupergraphError as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 2
    except StartupFailed as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 3
    return 0


def _print_plan(supergraph: Path, query_file: Path | None, operation_name: str | None) -> int:
    from graphql import GraphQLError, parse, validate

    from router.federation.model import SupergraphError, load_federated_schema
    from router.planner.build import PlanningError, QueryPlanner
    from router.planner.operation import OperationNotFound, select_operation

    if query_file is None:
        print("hockey-hub: router plan needs the file of the operation to plan", file=sys.stderr)
        return 2
    try:
        schema = load_federated_schema(supergraph.read_text())
        document = parse(query_file.read_text())
        problems = validate(schema.api, document)
        if problems:
            for problem in problems:
                print(f"invalid operation: {problem.message}", file=sys.stderr)
            return 1
        plan = QueryPlanner(schema).plan(select_operation(document, operation_name))
    except (OSError, SupergraphError, GraphQLError, OperationNotFound, PlanningError) as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 1
    print(plan.describe())
    return 0


def _generate_keys(args: argparse.Namespace, settings: Settings) -> int:
    from shared.auth.keys import read_keys_folder, rotate_keys

    try:
        keyring = read_keys_folder(args.folder)
    except RuntimeError:
        print(f"made signing key {rotate_keys(args.folder)} in {args.folder}")
        return 0
    assert keyring.signing is not None
    print(f"{args.folder} has signing key {keyring.signing.kid}; keeping it")
    return 0


def _keys_folder(args: argparse.Namespace, settings: Settings) -> Path | None:
    from shared.auth.keys import keys_folder

    folder: Path | None = args.dir or keys_folder(settings)
    if folder is None:
        print(
            "hockey-hub: the keys come from HOCKEY_HUB_JWT_PUBLIC_KEY/PRIVATE_KEY, not a folder; "
            "name one with --dir or HOCKEY_HUB_JWT_KEYS_DIR",
            file=sys.stderr,
        )
    return folder


def _rotate_keys(args: argparse.Namespace, settings: Settings) -> int:
    from shared.auth.keys import rotate_keys

    folder = _keys_folder(args, settings)
    if folder is None:
        return 2
    print(f"signing key {rotate_keys(folder)} in {folder}; services pick it up within a second")
    return 0


def _list_keys(args: argparse.Namespace, settings: Settings) -> int:
    from shared.auth.keys import read_keys_folder

    folder = _keys_folder(args, settings)
    if folder is None:
        return 2
    try:
        keyring = read_keys_folder(folder)
    except RuntimeError as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 1
    for kid in keyring.jwks()["keys"]:
        role = "signs and verifies" if keyring.signing and kid["kid"] == keyring.signing.kid else "verifies"
        print(f"{kid['kid']}  {role}")
    return 0


def _new_health_data_key(args: argparse.Namespace, settings: Settings) -> int:
    from subgraphs.medical.encryption import new_key

    print(new_key())
    return 0


def _reencrypt_health_data(args: argparse.Namespace, settings: Settings) -> int:
    from hockey_hub.database import service_engine
    from subgraphs.medical.encryption import HealthDataKeyError
    from subgraphs.medical.key_rotation import reencrypt_database

    async def run() -> dict[str, int]:
        async with service_engine(settings, "medical") as engine:
            return await reencrypt_database(engine, settings)

    try:
        counts = asyncio.run(run())
    except HealthDataKeyError as error:
        print(f"hockey-hub: {error}", file=sys.stderr)
        return 2
    for column, count in counts.items():
        print(f"{column}: {count} values under the newest key")
    return 0


def _dev_token(args: argparse.Namespace, settings: Settings) -> int:
    if settings.mode is not Mode.DEVELOPMENT:
        print("hockey-hub: dev-token only works in development mode", file=sys.stderr)
        return 2
    from hockey_hub.database import service_engine
    from shared.auth.keys import KeyringFile
    from shared.auth.tokens import TokenIssuer
    from shared.database import create_sessionmaker
    from shared.errors import DomainError
    from subgraphs.user.service import principal_for_email

    async def principal() -> object:
        async with service_engine(settings, "user") as engine, create_sessionmaker(engine)() as session:
            return await principal_for_email(session, args.email)

    try:
        found = asyncio.run(principal())
    except DomainError as error:
        print(f"hockey-hub: {error.message}", file=sys.stderr)
        return 1
    issuer = TokenIssuer(KeyringFile(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    print(issuer.issue(found, lifetime=timedelta(minutes=args.minutes)))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
