"""In-memory data the fixture subgraphs serve: a tiny club, enough to exercise every federation feature."""

from __future__ import annotations

from typing import Any

TEAMS: dict[str, dict[str, Any]] = {"t1": {"id": "t1", "name": "Lynx"}, "t2": {"id": "t2", "name": "Otters"}}
PLAYERS: dict[str, dict[str, Any]] = {
    "p1": {"id": "p1", "name": "Elias Lund", "number": 9, "team_id": "t1", "position": "C"},
    "p2": {"id": "p2", "name": "Noah Berg", "number": 30, "team_id": "t1", "position": "G"},
    "p3": {"id": "p3", "name": "Viktor Holm", "number": 4, "team_id": "t2", "position": "D"},
}
INJURIES: dict[str, list[dict[str, Any]]] = {
    "p1": [{"id": "i1", "body_part": "knee"}],
    "p2": [],
    "p3": [{"id": "i2", "body_part": "wrist"}],
}
STATS: dict[str, tuple[int, int]] = {"p1": (12, 8), "p2": (0, 1), "p3": (2, 11)}
ACTIVITY: dict[str, str] = {"p1": "skated", "p2": "rested", "p3": "lifted", "t1": "practiced", "t2": "travelled"}
MUTATIONS: list[str] = []
"""The order mutation fields ran in, across subgraphs."""
LIVE_STREAMS: list[str] = []
"""Subscriptions the `stats` subgraph is serving right now: a test sees that none is left behind."""
