from shared.database.migrations import run_migrations
from subgraphs.communication.models import Base

run_migrations(Base.metadata)
