"""Query planning: from a client operation to a closed tree of fetches over the subgraphs."""
