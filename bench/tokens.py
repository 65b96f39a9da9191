"""Development tokens in bulk: what `hockey-hub dev-token EMAIL` prints, COUNT times (each has its own
`jti`, so each is a different token for the same user). Needs the same `HOCKEY_HUB_*` environment as the
stack it is for (development mode, the same data folder and keys).

    python bench/tokens.py EMAIL COUNT [--minutes N]     # one token a line
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def cli() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("email")
    parser.add_argument("count", type=int)
    parser.add_argument("--minutes", type=int, default=120)
    args = parser.parse_args()

    from hockey_hub.database import service_engine
    from shared.auth.keys import KeyringFile
    from shared.auth.tokens import TokenIssuer
    from shared.database import create_sessionmaker
    from shared.settings import Mode, Settings
    from subgraphs.user.service import principal_for_email

    settings = Settings()
    if settings.mode is not Mode.DEVELOPMENT:
        print("bench: tokens only in development mode", file=sys.stderr)
        return 2

    async def principal() -> object:
        async with service_engine(settings, "user") as engine, create_sessionmaker(engine)() as session:
            return await principal_for_email(session, args.email)

    found = asyncio.run(principal())
    issuer = TokenIssuer(KeyringFile(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    for _ in range(args.count):
        print(issuer.issue(found, lifetime=timedelta(minutes=args.minutes)))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(cli())
