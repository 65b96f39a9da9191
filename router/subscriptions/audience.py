"""Sharing one subgraph stream between different people: the subgraph that owns a subscription may say
that everybody it admits to it sees the same events (a conversation's members see its new messages).
Before a subscriber joins such a stream, the router asks the subgraph, with the subscriber's own
headers, whether it admits them and under which audience (POST `<subgraph url>/audience`, answered
`{"audience": name | null, "lateJoin": bool}` or with the errors that refuse the subscription).
A subgraph without the endpoint, or one that cannot answer now, gets one stream per person, as before."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from router.subscriptions.socket import OperationRefused
from router.subscriptions.upstream import errors_from

ASK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class SharedAudience:
    name: str
    late_join: bool
    """Whether a newcomer may join the audience's stream after its first event."""


class Audiences:
    def __init__(self) -> None:
        self._without: set[str] = set()
        """Subgraph URLs that declare no audiences: not asked again."""

    async def ask(
        self,
        session: aiohttp.ClientSession,
        service: str,
        url: str,
        body: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> SharedAudience | None:
        """The audience the subgraph admits this subscriber to, None for a stream of their own; raises
        `OperationRefused` with the subgraph's errors when it refuses the subscriber."""
        if url in self._without:
            return None
        forwarded = {name: value for name, value in headers.items() if name.lower() != "content-length"}
        try:
            async with asyncio.timeout(ASK_TIMEOUT_SECONDS):
                async with session.post(
                    url.rstrip("/") + "/audience",
                    data=orjson.dumps(body),
                    headers={**forwarded, "content-type": "application/json"},
                ) as response:
                    status, raw = response.status, await response.read()
            answer = orjson.loads(raw)
        except (aiohttp.ClientError, OSError, TimeoutError, orjson.JSONDecodeError):
            return None  # the subscription itself will tell whether the subgraph is there
        if status in (404, 405):
            self._without.add(url)
            return None
        if not isinstance(answer, dict):
            return None
        if status == 200:
            name = answer.get("audience")
            return SharedAudience(name, bool(answer.get("lateJoin"))) if isinstance(name, str) else None
        errors = answer.get("errors")
        if isinstance(errors, list) and errors:
            raise OperationRefused(errors_from(service, errors))
        return None
