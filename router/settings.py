"""The router's settings, from `HOCKEY_HUB_ROUTER_*` variables (and the command line)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SUPERGRAPH = Path(__file__).resolve().parents[1] / "schema" / "supergraph.graphql"


class RouterSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOCKEY_HUB_ROUTER_", extra="ignore")

    supergraph: Path = DEFAULT_SUPERGRAPH
    subgraph_urls: dict[str, str] = Field(default_factory=dict)
    """Subgraph name -> URL, over the supergraph's `join__Graph` URLs (HOCKEY_HUB_SUBGRAPH_<NAME>_URL wins)."""
    watch_seconds: float = 1.0
    """How often the supergraph file is checked for changes (0 turns reloading off)."""
    subgraph_timeout_seconds: float = 30.0
    subgraph_retries: int = 2
    breaker_failures: int = 5
    breaker_open_seconds: float = 10.0
    plan_cache_size: int = Field(default=2000, ge=1)
    graphiql: bool = True
    override_labels: frozenset[str] = frozenset()
    """Progressive-override labels turned on for every request (`percent(N)` labels decide per request)."""
    expose_plans: bool = True
    """Honour the `Hockey-Hub-Query-Plan` request header."""
