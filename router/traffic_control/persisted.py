"""Persisted operations: automatic persisted queries (APQ) and trusted documents.

APQ follows Apollo's protocol: a client sends `extensions.persistedQuery {version: 1, sha256Hash}` without
the query; on `PERSISTED_QUERY_NOT_FOUND` it sends both, and the router keeps the document once it has
checked that the hash is the document's SHA-256 and the operation is valid. Documents live in this process
(bounded, least recently used first out) and, with Redis configured, in Redis for every replica.

Trusted documents are the frontend's operations: the `*.graphql` files of `schema/operations/`, read when the
router starts, each named by the SHA-256 of its text. A client may send just the hash (as in APQ), a
`documentId` (`<hash>` or `sha256:<hash>`), or the document itself (matched by its text, ignoring white space
at either end). When they are required, any other document is refused with `PERSISTED_QUERY_NOT_IN_LIST`
before it is parsed, and APQ registration is off.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger("hockey_hub.router.persisted")

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class DocumentRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_graphql(self) -> dict[str, Any]:
        return {"message": self.message, "extensions": {"code": self.code}}


@dataclass(frozen=True)
class Resolved:
    query: str
    register: str | None = None
    """The hash to keep the document under once its operation proves valid (an APQ registration)."""


class ApqStore(Protocol):
    async def get(self, digest: str) -> str | None: ...

    async def put(self, digest: str, document: str) -> None: ...


class MemoryApqStore:
    """Documents by hash, least recently used out first, bounded by count and by total characters."""

    def __init__(self, size: int, max_characters: int = 16 * 1024 * 1024):
        self.size = size
        self.max_characters = max_characters
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._characters = 0

    async def get(self, digest: str) -> str | None:
        return self.get_now(digest)

    def get_now(self, digest: str) -> str | None:
        document = self._documents.get(digest)
        if document is not None:
            self._documents.move_to_end(digest)
        return document

    async def put(self, digest: str, document: str) -> None:
        self.put_now(digest, document)

    def put_now(self, digest: str, document: str) -> None:
        if digest in self._documents:
            self._documents.move_to_end(digest)
            return
        self._documents[digest] = document
        self._characters += len(document)
        while self._documents and (len(self._documents) > self.size or self._characters > self.max_characters):
            _, dropped = self._documents.popitem(last=False)
            self._characters -= len(dropped)


class RedisApqStore:
    """Redis shared by every replica, behind this process's own small store (a hash names one document
    forever, so a local copy is never stale). Redis trouble degrades to a miss: the client sends the
    document again."""

    def __init__(self, redis: Redis, *, prefix: str, ttl_seconds: int, local: MemoryApqStore):
        self.redis = redis
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.local = local

    async def get(self, digest: str) -> str | None:
        if (document := self.local.get_now(digest)) is not None:
            return document
        try:
            stored: bytes | str | None = await self.redis.get(self.prefix + digest)
        except (RedisError, OSError) as error:
            logger.warning("APQ lookup failed; answering as a miss", extra={"error": repr(error)})
            return None
        if stored is None:
            return None
        document = stored.decode() if isinstance(stored, bytes) else stored
        if sha256_hex(document) != digest:  # whatever else wrote the key, never run a document by a wrong name
            return None
        self.local.put_now(digest, document)
        return document

    async def put(self, digest: str, document: str) -> None:
        self.local.put_now(digest, document)
        try:
            await self.redis.set(self.prefix + digest, document.encode(), ex=self.ttl_seconds)
        except (RedisError, OSError) as error:
            logger.warning("APQ registration not shared with other replicas", extra={"error": repr(error)})


class TrustedDocuments:
    def __init__(self, documents: Mapping[str, str]):
        self.documents = dict(documents)
        """SHA-256 -> document."""
        self._by_text = {document.strip(): digest for digest, document in self.documents.items()}

    @classmethod
    def load(cls, folder: Path) -> TrustedDocuments:
        """Every `*.graphql` file under `folder`; a file without a definition is a mistake worth a refusal."""
        if not folder.is_dir():
            raise ValueError(f"the trusted documents folder {folder} does not exist")
        documents: dict[str, str] = {}
        for path in sorted(folder.rglob("*.graphql")):
            document = path.read_text(encoding="utf-8")
            if not document.strip():
                raise ValueError(f"the trusted document {path} is empty")
            documents[sha256_hex(document)] = document
        return cls(documents)

    def get(self, digest: str) -> str | None:
        return self.documents.get(digest)

    def digest_of(self, document: str) -> str | None:
        """The name of a trusted document with this text, or None when it is not one."""
        return self._by_text.get(document.strip())


class PersistedDocuments:
    def __init__(self, *, apq: ApqStore | None, trusted: TrustedDocuments | None, require_trusted: bool):
        if require_trusted and trusted is None:
            raise ValueError("trusted documents are required, but there is no manifest")
        self.apq = None if require_trusted else apq
        self.trusted = trusted
        self.require_trusted = require_trusted

    async def resolve(self, query: str | None, extensions: Mapping[str, Any], document_id: Any) -> Resolved:
        """The document to run: the query sent, or the one its hash names; raises DocumentRefused."""
        digest = _requested_hash(extensions, document_id)
        if digest is None:
            if query is None:
                raise DocumentRefused("BAD_REQUEST", "the request has no query")
            if self.require_trusted and (self.trusted is None or self.trusted.digest_of(query) is None):
                raise _not_in_list()
            return Resolved(query)
        if query is not None:
            if sha256_hex(query) != digest:
                raise DocumentRefused("PERSISTED_QUERY_HASH_MISMATCH", "the hash is not the SHA-256 of the query")
            trusted = self.trusted is not None and self.trusted.get(digest) is not None
            if self.require_trusted and not trusted:
                raise _not_in_list()
            return Resolved(query, None if trusted or self.apq is None else digest)
        if self.trusted is not None and (document := self.trusted.get(digest)) is not None:
            return Resolved(document)
        if self.require_trusted:
            raise _not_in_list()
        if self.apq is None:
            raise DocumentRefused("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
        if (document := await self.apq.get(digest)) is not None:
            return Resolved(document)
        raise DocumentRefused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")

    async def register(self, digest: str, query: str) -> None:
        if self.apq is not None:
            await self.apq.put(digest, query)


def _requested_hash(extensions: Mapping[str, Any], document_id: Any) -> str | None:
    persisted = extensions.get("persistedQuery")
    if persisted is not None:
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise DocumentRefused("PERSISTED_QUERY_VERSION_NOT_SUPPORTED", "persistedQuery needs version 1")
        digest = persisted.get("sha256Hash")
    elif document_id is not None:
        digest = document_id.removeprefix("sha256:") if isinstance(document_id, str) else None
    else:
        return None
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest.lower()):
        raise DocumentRefused("BAD_REQUEST", "a persisted document is named by the 64 hex digits of its SHA-256")
    return digest.lower()


def _not_in_list() -> DocumentRefused:
    return DocumentRefused("PERSISTED_QUERY_NOT_IN_LIST", "this router only runs the trusted documents of its manifest")
