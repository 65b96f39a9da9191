"""Composition: subgraph SDLs in, a Federation 2 supergraph (link v1.0, join v0.5) out, or clear errors."""

from router.composition.compose import CompositionResult, SubgraphSource, compose
from router.composition.errors import CompositionError

__all__ = ["CompositionError", "CompositionResult", "SubgraphSource", "compose"]
