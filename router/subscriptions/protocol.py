"""The graphql-transport-ws protocol (the `graphql-ws` library's, used by Apollo Client and urql): its
messages and the close codes that end a socket. Spec: github.com/enisdenjo/graphql-ws, PROTOCOL.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import orjson

SUBPROTOCOL = "graphql-transport-ws"


class Close(IntEnum):
    """Why the router closes a socket; the client library maps each to its own behaviour."""

    INTERNAL_ERROR = 4500
    BAD_REQUEST = 4400
    """A message the protocol does not allow (unknown type, missing id, not JSON)."""
    UNAUTHORIZED = 4401
    """A subscribe before the acknowledgement, or a token that is not valid."""
    FORBIDDEN = 4403
    """The token was valid and has expired (or its session ended): reconnect with a fresh one."""
    INIT_TIMEOUT = 4408
    SUBSCRIBER_EXISTS = 4409
    TOO_MANY_INITS = 4429


class ProtocolViolation(Exception):
    def __init__(self, code: Close, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Message:
    type: str
    id: str | None = None
    payload: Any = None


@dataclass(frozen=True, slots=True)
class SubscribePayload:
    query: str | None
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


CLIENT_TYPES = frozenset({"connection_init", "ping", "pong", "subscribe", "complete"})


def parse(raw: str | bytes) -> Message:
    """One client message, or `ProtocolViolation` (4400) naming what is wrong with it."""
    try:
        decoded = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ProtocolViolation(Close.BAD_REQUEST, "the message is not JSON") from error
    if not isinstance(decoded, dict) or not isinstance(decoded.get("type"), str):
        raise ProtocolViolation(Close.BAD_REQUEST, "a message is a JSON object with a type")
    kind = decoded["type"]
    if kind not in CLIENT_TYPES:
        raise ProtocolViolation(Close.BAD_REQUEST, f"unknown message type {kind!r}")
    message_id = decoded.get("id")
    if kind in ("subscribe", "complete") and not (isinstance(message_id, str) and message_id):
        raise ProtocolViolation(Close.BAD_REQUEST, f"a {kind} message needs an id")
    payload = decoded.get("payload")
    if kind == "connection_init" and payload is not None and not isinstance(payload, dict):
        raise ProtocolViolation(Close.BAD_REQUEST, "the connection_init payload must be an object")
    return Message(kind, message_id if isinstance(message_id, str) else None, payload)


def subscribe_payload(message: Message) -> SubscribePayload:
    payload = message.payload
    if not isinstance(payload, dict):
        raise ProtocolViolation(Close.BAD_REQUEST, "a subscribe message needs a payload object")
    query, variables = payload.get("query"), payload.get("variables") or {}
    operation_name, extensions = payload.get("operationName"), payload.get("extensions") or {}
    if query is not None and not isinstance(query, str):
        raise ProtocolViolation(Close.BAD_REQUEST, "the query must be a string")
    if not isinstance(variables, dict) or not isinstance(extensions, dict):
        raise ProtocolViolation(Close.BAD_REQUEST, "variables and extensions must be objects")
    if operation_name is not None and not isinstance(operation_name, str):
        raise ProtocolViolation(Close.BAD_REQUEST, "the operationName must be a string")
    return SubscribePayload(query, variables, operation_name, extensions)


def encode(kind: str, message_id: str | None = None, payload: Any = None) -> str:
    message: dict[str, Any] = {"type": kind}
    if message_id is not None:
        message["id"] = message_id
    if payload is not None:
        message["payload"] = payload
    return orjson.dumps(message).decode()


def bearer_from_init(payload: dict[str, Any] | None) -> str | None:
    """The `Authorization` value a client put in `connection_init` (`{"Authorization": "Bearer …"}`, as
    Apollo Client and GraphiQL send it; a bare `token` / `accessToken` is accepted too)."""
    if not payload:
        return None
    for name in ("Authorization", "authorization"):
        if isinstance(value := payload.get(name), str):
            return value
    headers = payload.get("headers")
    if isinstance(headers, dict):
        return bearer_from_init(headers)
    for name in ("token", "accessToken", "access_token"):
        if isinstance(value := payload.get(name), str) and value:
            return f"Bearer {value}"
    return None
