from shared.database.migrations import run_migrations
from subgraphs.admin.models import Base

run_migrations(Base.metadata)
