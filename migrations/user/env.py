from shared.database.migrations import run_migrations
from subgraphs.user.identity import models as identity_models  # noqa: F401 (its tables join Base.metadata)
from subgraphs.user.models import Base

run_migrations(Base.metadata)
