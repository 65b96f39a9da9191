from shared.database.migrations import run_migrations
from subgraphs.payment.models import Base

run_migrations(Base.metadata)
