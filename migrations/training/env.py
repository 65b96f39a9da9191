from shared.database.migrations import run_migrations
from subgraphs.training.models import Base

run_migrations(Base.metadata)
