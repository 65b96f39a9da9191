"""A lean HTTP/1.1 client for subgraph requests: pooled keep-alive connections, httptools parsing.

The router sends small JSON POSTs to a few fixed hosts, thousands of times a second; a general client
(aiohttp) spent about as much CPU per call as the router's own work. This one writes the request
bytes directly and parses answers with httptools (the parser uvicorn uses), on asyncio protocols.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools


class HttpError(Exception):
    """The request could not be completed: connection refused or lost, or an unparsable answer."""


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    tls: bool

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url}")
        tls = parts.scheme == "https"
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return cls(parts.hostname, parts.port or (443 if tls else 80), path, tls)


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.chunks: list[bytes] = []
        self.received = False
        self.closed = False
        self.keep_alive = True

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are transports without subclassing asyncio.Transport: no isinstance check.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(HttpError(f"unparsable HTTP answer: {error}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(HttpError("the connection closed before the answer was complete"))

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.keep_alive = self.parser.should_keep_alive()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self.parser.get_status_code(), b"".join(self.chunks)))

    def _fail(self, error: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self.chunks = []
        self.received = False
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class ConnectionPool:
    """Keep-alive connections to one host, at most `limit` at a time."""

    def __init__(self, url: str, *, limit: int = 64):
        self.target = Target.parse(url)
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(limit)
        self._ssl = ssl.create_default_context() if self.target.tls else None
        host = self.target.host if self.target.port in (80, 443) else f"{self.target.host}:{self.target.port}"
        self._head = f"POST {self.target.path} HTTP/1.1\r\nHost: {host}\r\n".encode("latin-1")

    async def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = b"".join(
            (self._head, extra.encode("latin-1"), b"Content-Length: ", str(len(body)).encode(), b"\r\n\r\n", body)
        )
        async with self._slots:
            connection, reused = await self._connection()
            try:
                answer = await connection.send(request)
            except HttpError:
                connection.close()
                if not (reused and not connection.received):
                    raise
                # A kept-alive connection the server had already closed: nothing reached it; once more.
                connection, _ = await self._connection(fresh=True)
                try:
                    answer = await connection.send(request)
                except BaseException:
                    connection.close()
                    raise
            except BaseException:  # a timeout or cancellation mid-answer: the connection is unusable
                connection.close()
                raise
            if connection.keep_alive and not connection.closed:
                self._idle.append(connection)
            else:
                connection.close()
            return answer

    async def _connection(self, *, fresh: bool = False) -> tuple[_Connection, bool]:
        while self._idle and not fresh:
            connection = self._idle.pop()
            if not connection.closed:
                return connection, True
        loop = asyncio.get_running_loop()
        try:
            _, protocol = await loop.create_connection(_Connection, self.target.host, self.target.port, ssl=self._ssl)
        except OSError as error:
            raise HttpError(f"cannot connect to {self.target.host}:{self.target.port}: {error.strerror}") from error
        return protocol, False

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
