"""Snapshot files for query plans: reviewed text that a change to the planner must update on purpose.

`HOCKEY_HUB_UPDATE_SNAPSHOTS=1 pytest ...` writes the current output; without it a difference fails.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path


def assert_snapshot(folder: Path, name: str, actual: str) -> None:
    path = folder / f"{name}.plan"
    text = actual.rstrip("\n") + "\n"
    if os.environ.get("HOCKEY_HUB_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    assert path.exists(), f"no snapshot {path}: run with HOCKEY_HUB_UPDATE_SNAPSHOTS=1 and review it"
    expected = path.read_text()
    if expected != text:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "snapshot", "now"))
        raise AssertionError(f"the plan differs from {path}:\n{diff}")
