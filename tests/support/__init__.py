"""Test support: settings per backend, started services, a GraphQL client, principals and tokens."""
