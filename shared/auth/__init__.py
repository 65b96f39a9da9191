"""Who is calling: a typed principal from a verified RS256 bearer token, and the scope rules."""

from shared.auth.principal import ANONYMOUS, Principal, Role
from shared.auth.tokens import TokenVerifier

__all__ = ["ANONYMOUS", "Principal", "Role", "TokenVerifier"]
