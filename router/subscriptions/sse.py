"""GraphQL over Server-Sent Events (the graphql-sse protocol's distinct-connections mode), for clients that
cannot open a WebSocket: a POST with `Accept: text/event-stream` answers with a stream of `next` events
and a final `complete`, one operation per request. Closing the request ends the operation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
from starlette.responses import StreamingResponse

from router.subscriptions.socket import OperationRefused, Operations, SocketOperation

EVENT_STREAM = "text/event-stream"


def event_stream(operations: Operations, operation: SocketOperation, headers: dict[str, str]) -> StreamingResponse:
    async def events() -> AsyncIterator[bytes]:
        try:
            async for result in operations.stream(operation):
                yield b"event: next\ndata: " + orjson.dumps(result) + b"\n\n"
        except OperationRefused as refused:
            yield b"event: next\ndata: " + orjson.dumps({"errors": refused.errors}) + b"\n\n"
        yield b"event: complete\ndata:\n\n"

    # No buffering by proxies (nginx honours X-Accel-Buffering), no caching: every event goes out at once.
    headers = {**headers, "cache-control": "no-cache", "x-accel-buffering": "no"}
    return StreamingResponse(events(), media_type=EVENT_STREAM, headers=headers)
