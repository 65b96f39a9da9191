from shared.database.migrations import run_migrations
from subgraphs.medical.models import Base

run_migrations(Base.metadata)
