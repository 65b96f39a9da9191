"""Moving every encrypted health-data value to the newest key (`hockey-hub keys reencrypt-health-data`).

Roll a key over in three steps: put the new key first in HOCKEY_HUB_HEALTH_DATA_KEYS (keep the old one
after it) and restart the medical service; run this; drop the old key. Values left in plaintext from
before encryption existed are encrypted on the way.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.database import create_sessionmaker
from shared.database.migrations import ensure_at_head
from shared.settings import Settings
from subgraphs.medical import encryption
from subgraphs.medical.models import Base


async def reencrypt_database(engine: AsyncEngine, settings: Settings) -> dict[str, int]:
    """Every encrypted column of the medical database under the settings' newest key, in one transaction
    (a failure leaves every value as it was). Returns the values rewritten per `table.column`."""
    await ensure_at_head(engine, "medical")
    encryption.configure(settings)
    sessions = create_sessionmaker(engine)
    async with sessions() as session, session.begin():
        return await encryption.reencrypt_all(session, list(Base.metadata.sorted_tables))
