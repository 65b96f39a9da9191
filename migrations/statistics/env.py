from shared.database.migrations import run_migrations
from subgraphs.statistics.models import Base

run_migrations(Base.metadata)
