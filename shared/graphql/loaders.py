"""Shaping batch query results for DataLoaders: one answer per requested key, in order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def one_per_key(rows: Iterable[V], keys: Sequence[K], key: Callable[[V], K]) -> list[V | None]:
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


def many_per_key(rows: Iterable[V], keys: Sequence[K], key: Callable[[V], K]) -> list[list[V]]:
    groups: dict[K, list[V]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(k, []) for k in keys]
