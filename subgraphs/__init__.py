"""The nine domain subgraphs: each owns its database; they meet only through the router and events."""
