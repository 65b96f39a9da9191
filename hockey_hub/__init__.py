"""The `hockey-hub` command: the one place that knows every subgraph (and, later, the router)."""
