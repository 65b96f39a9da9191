from shared.database.migrations import run_migrations
from subgraphs.planning.models import Base

run_migrations(Base.metadata)
