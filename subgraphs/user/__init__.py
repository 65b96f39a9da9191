"""Identity and club structure: organizations, teams, users and roles, players, parent links."""
