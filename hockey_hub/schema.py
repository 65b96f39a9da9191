"""The schema registry on a developer's machine and in CI: compose the supergraph, check it.

`compose` prints every subgraph's SDL from its Strawberry schema (no server needed) and composes them;
`check` verifies composition, drift of the committed files, breaking changes against a base supergraph
(a git ref) and the frontend's operations.
"""

from __future__ import annotations

import difflib
import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from strawberry.printer import print_schema

from hockey_hub.services import SERVICES, app_module
from router.composition import CompositionResult, SubgraphSource, compose
from router.composition.diff import Change, Level, diff_schemas
from router.composition.operations import check_operations, load_operations, used_coordinates
from router.federation.api_schema import api_schema
from shared.settings import SERVICE_PORTS

REPOSITORY = Path(__file__).resolve().parents[1]
SERVICE_SDL_QUERY = "{ _service { sdl } }"


@dataclass(frozen=True)
class Workspace:
    """Where the registry's files live: the repository's `schema/` folder, or a test's copy."""

    root: Path
    schema_dir: Path

    @classmethod
    def of(cls, root: Path) -> Workspace:
        return cls(root, root / "schema")

    @property
    def supergraph(self) -> Path:
        return self.schema_dir / "supergraph.graphql"

    @property
    def allow_file(self) -> Path:
        return self.schema_dir / "breaking-changes.allow"

    @property
    def operations(self) -> Path:
        return self.schema_dir / "operations"

    def subgraph(self, service: str) -> Path:
        return self.schema_dir / "subgraphs" / f"{service}.graphql"


PROJECT = Workspace.of(REPOSITORY)


def routing_url(service: str) -> str:
    """The URL written into the committed supergraph; routers override it per deployment."""
    return f"http://127.0.0.1:{SERVICE_PORTS[service]}/graphql"


def subgraph_sdl(service: str) -> str:
    """A subgraph's SDL straight from its Strawberry schema: what its `_service { sdl }` answers."""
    return print_schema(app_module(service).SUBGRAPH.schema).rstrip("\n") + "\n"


async def fetch_sdl(url: str) -> str:
    """A running service's SDL, from `_service { sdl }`."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"query": SERVICE_SDL_QUERY}, timeout=aiohttp.ClientTimeout(total=10)) as response,
    ):
        body = await response.json()
    if body.get("errors") or not body.get("data"):
        raise RuntimeError(f"{url} did not return its SDL: {body.get('errors')}")
    return str(body["data"]["_service"]["sdl"]).rstrip("\n") + "\n"


@dataclass
class Composed:
    sdls: dict[str, str]
    result: CompositionResult


def compose_project(overrides: Mapping[str, str] | None = None) -> Composed:
    """Compose the nine subgraphs; `overrides` replaces a service's SDL (a file's or a server's)."""
    sdls = {service: (overrides or {}).get(service) or subgraph_sdl(service) for service in SERVICES}
    result = compose([SubgraphSource(service, routing_url(service), sdl) for service, sdl in sdls.items()])
    return Composed(sdls, result)


def expected_files(composed: Composed, workspace: Workspace = PROJECT) -> dict[Path, str]:
    files = {workspace.subgraph(service): sdl for service, sdl in composed.sdls.items()}
    if composed.result.supergraph_sdl is not None:
        files[workspace.supergraph] = composed.result.supergraph_sdl
    return files


def write_files(composed: Composed, workspace: Workspace = PROJECT) -> list[Path]:
    written = []
    for path, content in expected_files(composed, workspace).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != content:
            path.write_text(content)
            written.append(path)
    return written


# -- check -------------------------------------------------------------------------------------------------


@dataclass
class Drift:
    path: str
    diff: str


@dataclass
class CheckReport:
    composition_errors: list[str] = field(default_factory=list)
    drift: list[Drift] = field(default_factory=list)
    base: str | None = None
    base_note: str | None = None
    changes: list[Change] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)
    unused_acknowledgements: list[str] = field(default_factory=list)
    affected_operations: dict[str, list[str]] = field(default_factory=dict)
    operations_checked: int = 0
    operation_problems: list[dict[str, str]] = field(default_factory=list)

    @property
    def unacknowledged_breaking(self) -> list[Change]:
        return [c for c in self.changes if c.level is Level.BREAKING and c.coordinate not in self.acknowledged]

    @property
    def ok(self) -> bool:
        return not (self.composition_errors or self.drift or self.unacknowledged_breaking or self.operation_problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "composition": {"ok": not self.composition_errors, "errors": self.composition_errors},
            "drift": [{"path": d.path, "diff": d.diff} for d in self.drift],
            "changes": {
                "base": self.base,
                "note": self.base_note,
                "items": [
                    {
                        **change.as_dict(),
                        "acknowledged": self.acknowledged.get(change.coordinate),
                        "operations": self.affected_operations.get(change.coordinate, []),
                    }
                    for change in self.changes
                ],
                "unusedAcknowledgements": self.unused_acknowledgements,
            },
            "operations": {"checked": self.operations_checked, "problems": self.operation_problems},
        }


def read_allow_list(path: Path) -> dict[str, str]:
    """`Type.field: why this breaking change is acceptable`, one per line; `#` starts a comment."""
    allowed: dict[str, str] = {}
    if not path.exists():
        return allowed
    for line in path.read_text().splitlines():
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        coordinate, _, reason = entry.partition(": ")
        if reason.strip():
            allowed[coordinate.strip()] = reason.strip()
    return allowed


def base_supergraph(ref: str, workspace: Workspace = PROJECT) -> str | None:
    """The supergraph committed at a git ref, or None when there is none."""
    shown = subprocess.run(
        ["git", "show", f"{ref}:{workspace.supergraph.relative_to(workspace.root)}"],
        cwd=workspace.root,
        capture_output=True,
        text=True,
        check=False,
    )
    return shown.stdout if shown.returncode == 0 else None


def check(composed: Composed, *, base_sdl: str | None, base: str, workspace: Workspace = PROJECT) -> CheckReport:
    """Everything a schema registry checks; `base_sdl` is the supergraph to compare with (from `base`)."""
    report = CheckReport(base=base)
    result = composed.result
    report.composition_errors = [str(error) for error in result.errors]
    for path, content in expected_files(composed, workspace).items():
        committed = path.read_text() if path.exists() else ""
        if committed != content:
            relative = str(path.relative_to(workspace.root))
            diff = "".join(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    content.splitlines(keepends=True),
                    fromfile=f"{relative} (committed)",
                    tofile=f"{relative} (composed now)",
                )
            )
            report.drift.append(Drift(relative, diff))
    if result.supergraph_sdl is None:
        return report
    new_schema = api_schema(result.supergraph_sdl)
    operations = load_operations(workspace.operations) if workspace.operations.exists() else []
    if base_sdl is None:
        report.base_note = f"no supergraph at {base}: nothing to compare with"
    else:
        old_schema = api_schema(base_sdl)
        report.changes = diff_schemas(old_schema, new_schema)
        allowed = read_allow_list(workspace.allow_file)
        breaking = {c.coordinate for c in report.changes if c.level is Level.BREAKING}
        report.acknowledged = {coordinate: reason for coordinate, reason in allowed.items() if coordinate in breaking}
        report.unused_acknowledgements = sorted(set(allowed) - breaking)
        for operation in operations:
            if operation.document is None:
                continue
            used = used_coordinates(operation.document, old_schema)
            for change in report.changes:
                if change.level is not Level.SAFE and change.coordinate in used:
                    report.affected_operations.setdefault(change.coordinate, []).append(operation.name)
    operation_report = check_operations(operations, new_schema, workspace.root)
    report.operations_checked = operation_report.checked
    report.operation_problems = [
        {"operation": p.operation, "path": p.path, "message": p.message} for p in operation_report.problems
    ]
    return report


def format_report(report: CheckReport) -> str:
    lines: list[str] = []
    if report.composition_errors:
        lines.append(f"Composition failed ({len(report.composition_errors)} errors):")
        lines += [f"  - {error}" for error in report.composition_errors]
    else:
        lines.append("Composition: ok")
    if report.drift:
        lines.append(
            "Drift: the committed schema files differ from what composition produces now "
            "(run `hockey-hub schema compose` and commit):"
        )
        for drift in report.drift:
            lines.append(drift.diff.rstrip() or f"  {drift.path}: missing")
    else:
        lines.append("Drift: none")
    if report.base_note:
        lines.append(f"Changes: {report.base_note}")
    else:
        by_level = {level: [c for c in report.changes if c.level is level] for level in Level}
        lines.append(
            f"Changes against {report.base}: {len(by_level[Level.BREAKING])} breaking, "
            f"{len(by_level[Level.DANGEROUS])} dangerous, {len(by_level[Level.SAFE])} safe"
        )
        for level in Level:
            for change in by_level[level]:
                note = ""
                if change.coordinate in report.acknowledged:
                    note = f" (acknowledged: {report.acknowledged[change.coordinate]})"
                elif level is Level.BREAKING:
                    note = f" (not acknowledged: add `{change.coordinate}: <reason>` to schema/breaking-changes.allow)"
                users = report.affected_operations.get(change.coordinate)
                used_by = f"; used by {', '.join(users)}" if users else ""
                lines.append(f"  [{level.value}] {change.message}{used_by}{note}")
        for coordinate in report.unused_acknowledgements:
            lines.append(f"  note: schema/breaking-changes.allow lists {coordinate}, which has no breaking change now")
    if report.operation_problems:
        lines.append(
            f"Operations: {len(report.operation_problems)} problems in {report.operations_checked} operations:"
        )
        lines += [f"  - {p['operation']} ({p['path']}): {p['message']}" for p in report.operation_problems]
    else:
        lines.append(f"Operations: all {report.operations_checked} valid")
    lines.append("Schema check passed" if report.ok else "Schema check FAILED")
    return "\n".join(lines)


def report_json(report: CheckReport) -> str:
    return json.dumps(report.as_dict(), indent=2)
