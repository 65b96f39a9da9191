"""The kernel every subgraph stands on: settings, database, auth, errors, events, cache, health, logging."""
