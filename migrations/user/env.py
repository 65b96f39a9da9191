from shared.database.migrations import run_migrations
from subgraphs.user.models import Base

run_migrations(Base.metadata)
