"""Executing a query plan: subgraph requests, merging their results, shaping the response."""
