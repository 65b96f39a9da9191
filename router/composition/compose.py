"""compose(): read each subgraph's SDL, merge, check the rules, print the supergraph."""

from __future__ import annotations

from dataclasses import dataclass, field

from router.composition.errors import CompositionError, ErrorCollector
from router.composition.merge import Merger
from router.composition.printer import print_supergraph
from router.composition.subgraph import read_subgraph


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    name: str
    url: str
    sdl: str


@dataclass(frozen=True)
class CompositionResult:
    supergraph_sdl: str | None
    errors: list[CompositionError] = field(default_factory=list)
    hints: list[CompositionError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.supergraph_sdl is not None


def compose(sources: list[SubgraphSource]) -> CompositionResult:
    collector = ErrorCollector()
    names = [source.name for source in sources]
    for name in {n for n in names if names.count(n) > 1}:
        collector.error(
            "DUPLICATE_SUBGRAPH",
            f"two subgraphs are named {name!r}",
            subgraphs=[name],
            hint="give every subgraph its own name",
        )
    subgraphs = [read_subgraph(s.name, s.url, s.sdl, collector) for s in sources]
    readable = [subgraph for subgraph in subgraphs if subgraph is not None]
    if collector.errors:
        return CompositionResult(None, collector.errors, collector.hints)
    supergraph = Merger(readable, collector).merge()
    if "Query" not in supergraph.types:
        collector.error("NO_QUERIES", "no subgraph defines a Query root field", hint="add at least one query field")
    if collector.errors:
        return CompositionResult(None, _sorted(collector.errors), collector.hints)
    return CompositionResult(print_supergraph(supergraph), [], collector.hints)


def _sorted(errors: list[CompositionError]) -> list[CompositionError]:
    return sorted(errors, key=lambda e: (e.code, e.coordinate or "", e.subgraphs))
