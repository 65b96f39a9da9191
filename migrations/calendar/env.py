from shared.database.migrations import run_migrations
from subgraphs.calendar.models import Base

run_migrations(Base.metadata)
