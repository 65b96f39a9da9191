"""The RabbitMQ bus: durable topic exchange, persistent messages, publisher confirms, durable queues."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import UTC, datetime

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)
from aio_pika.exceptions import ChannelNotFoundEntity

from shared.events.bus import BrokerUnavailable, DeadLetter, EventHandler, RetryPolicy, last_error
from shared.events.envelope import Event
from shared.health import ComponentHealth, timed

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 5.0
RECONNECT_MAX_SECONDS = 15.0
STOP_GRACE_SECONDS = 10.0
"""How long a shutdown waits for the handlers running; a longer one returns its message to the queue."""
DEAD_LETTERS_READ_MAX = 1000
"""Dead letters read at once; a dead-letter queue that long needs its cause fixed, not a longer list."""

# What a consumer that gave up writes on the dead letter, for the operator who reads it.
ATTEMPTS_HEADER = "x-hockey-hub-attempts"
LAST_ERROR_HEADER = "x-hockey-hub-last-error"
DEAD_LETTERED_AT_HEADER = "x-hockey-hub-dead-lettered-at"


class RabbitMQBus:
    """Connects in the background so a service starts while the broker is down; the outbox waits."""

    def __init__(
        self,
        url: str,
        *,
        exchange: str = "hockey-hub",
        queue_prefix: str = "hockey-hub",
        retry: RetryPolicy | None = None,
    ):
        self._url = url
        self._retry = retry or RetryPolicy()
        self._exchange_name = exchange
        self._queue_prefix = queue_prefix
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractRobustChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._connected = asyncio.Event()
        self._connector: asyncio.Task[None] | None = None
        self._consumers: list[tuple[str, tuple[str, ...], EventHandler]] = []
        self._handler_tasks: set[asyncio.Task[None]] = set()
        self._consuming: list[tuple[AbstractQueue, str]] = []
        """Each queue consumed and its consumer tag, to stop the deliveries before a shutdown."""

    async def start(self) -> None:
        self._connector = asyncio.create_task(self._connect_forever(), name="rabbitmq-connect")
        # Give a reachable broker a moment, so a healthy start is connected when it returns.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._connected.wait()), timeout=3.0)

    async def _connect_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                # After a lost connection, aio-pika reconnects by itself every `reconnect_interval` seconds.
                connection = await aio_pika.connect_robust(self._url, timeout=5, reconnect_interval=2)
                break
            except Exception as error:
                logger.warning("RabbitMQ unreachable, retrying", extra={"error": str(error), "retry_in": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)
        self._connection = connection
        self._publisher = await connection.channel(publisher_confirms=True)
        self._exchange = await self._publisher.declare_exchange(
            self._exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        for queue, keys, handler in self._consumers:
            await self._bind_consumer(queue, keys, handler)
        self._connected.set()
        logger.info("RabbitMQ connected")

    def _is_connected(self) -> bool:
        # A robust connection clears `connected` while it reconnects after losing the broker.
        return self._connection is not None and self._connection.connected.is_set()

    async def publish(self, event: Event) -> None:
        if self._exchange is None or not self._is_connected():
            raise BrokerUnavailable("RabbitMQ is not connected")
        message = _message(event.to_json(), event)
        try:
            # With publisher confirms, this returns once the broker has taken the message.
            await asyncio.wait_for(
                self._exchange.publish(message, routing_key=event.type), timeout=PUBLISH_TIMEOUT_SECONDS
            )
        except Exception as error:
            raise BrokerUnavailable(f"RabbitMQ did not confirm event {event.id}: {error!r}") from error

    async def consume(self, queue: str, routing_keys: Sequence[str], handler: EventHandler) -> None:
        self._consumers.append((queue, tuple(routing_keys), handler))
        if self._connected.is_set():
            await self._bind_consumer(queue, tuple(routing_keys), handler)

    def queue_name(self, queue: str) -> str:
        return f"{self._queue_prefix}.{queue}"

    def dead_letter_queue_name(self, queue: str) -> str:
        return f"{self.queue_name(queue)}.dead-letter"

    async def _bind_consumer(self, queue: str, routing_keys: tuple[str, ...], handler: EventHandler) -> None:
        assert self._connection is not None
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=16)
        exchange = await channel.declare_exchange(self._exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        dead_letters = await channel.declare_queue(self.dead_letter_queue_name(queue), durable=True)
        declared = await channel.declare_queue(
            self.queue_name(queue),
            durable=True,
            arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead_letters.name},
        )
        for key in routing_keys:
            await declared.bind(exchange, routing_key=key)

        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.create_task(self._handle(queue, message, handler))
            self._handler_tasks.add(task)
            task.add_done_callback(self._handler_tasks.discard)

        self._consuming.append((declared, await declared.consume(on_message)))

    async def _handle(self, queue: str, message: AbstractIncomingMessage, handler: EventHandler) -> None:
        """One delivery, retried with exponential backoff while later ones run beside it (each has a task).

        The message stays unacknowledged until it is handled or dead-lettered: if this process dies in
        between, the broker delivers it again and the consumer's idempotency keeps its effect single.
        """
        try:
            event = Event.from_json(message.body)
        except Exception:
            logger.exception("malformed event, dead-lettering", extra={"queue": queue})
            await message.reject(requeue=False)
            return
        failure = ""
        for attempt in range(1, self._retry.max_attempts + 1):
            try:
                await handler(event)
                await message.ack()
                return
            except Exception as error:
                failure = last_error(error)
                logger.exception(
                    "event handler failed",
                    extra={"queue": queue, "event_id": str(event.id), "attempt": attempt},
                )
                if attempt < self._retry.max_attempts:
                    await asyncio.sleep(self._retry.delay(attempt))
        await self._dead_letter(queue, message, event, failure)

    async def _dead_letter(self, queue: str, message: AbstractIncomingMessage, event: Event, failure: str) -> None:
        """Into the dead-letter queue with what went wrong: published with a confirm, then acknowledged.

        Dying between the two leaves the event in both queues; the redelivered copy then dead-letters
        again or is skipped as processed, and a replay of either copy is harmless.
        """
        headers: dict[str, aio_pika.abc.FieldValue] = {
            ATTEMPTS_HEADER: self._retry.max_attempts,
            LAST_ERROR_HEADER: failure,
            DEAD_LETTERED_AT_HEADER: datetime.now(UTC).isoformat(),
        }
        try:
            if self._publisher is None:
                raise BrokerUnavailable("no publisher channel")
            await asyncio.wait_for(
                self._publisher.default_exchange.publish(
                    _message(message.body, event, headers=headers),
                    routing_key=self.dead_letter_queue_name(queue),
                ),
                timeout=PUBLISH_TIMEOUT_SECONDS,
            )
        except Exception:
            logger.exception("dead letter not confirmed; the broker dead-letters it", extra={"queue": queue})
            await message.reject(requeue=False)  # x-dead-letter-routing-key: the same queue, without headers
            return
        await message.ack()
        logger.error("event dead-lettered", extra={"queue": queue, "event_id": str(event.id)})

    async def queue_depth(self, queue: str) -> int | None:
        """Messages ready in `queue` (a passive declare: it creates nothing); None if it was never declared.
        Unacknowledged deliveries being handled are not counted."""
        if self._connection is None or not self._is_connected():
            raise BrokerUnavailable("RabbitMQ is not connected")
        channel = await self._connection.channel(publisher_confirms=False)
        try:
            try:
                declared = await channel.declare_queue(self.queue_name(queue), passive=True)
            except ChannelNotFoundEntity:
                return None
            count = declared.declaration_result.message_count
            return int(count) if count is not None else None
        finally:
            with contextlib.suppress(Exception):  # the broker closes the channel of a failed passive declare
                await channel.close()

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        async with self._dead_letter_queue(queue, confirms=False) as (_, dead_letters):
            if dead_letters is None:
                return []
            return [letter for message in await _read_all(dead_letters) if (letter := _letter(message))]

    async def replay(self, queue: str, event_ids: Collection[uuid.UUID] | None = None) -> list[uuid.UUID]:
        replayed: list[uuid.UUID] = []
        async with self._dead_letter_queue(queue, confirms=True) as (channel, dead_letters):
            if dead_letters is None:
                return []
            for message in await _read_all(dead_letters):
                letter = _letter(message)
                if letter is None or (event_ids is not None and letter.event.id not in event_ids):
                    continue
                # Confirmed (and routed: mandatory) into the service's queue before it leaves the
                # dead-letter queue; a crash in between replays it twice, which idempotency absorbs.
                await channel.default_exchange.publish(
                    _message(message.body, letter.event), routing_key=self.queue_name(queue), mandatory=True
                )
                await message.ack()
                replayed.append(letter.event.id)
        return replayed

    @contextlib.asynccontextmanager
    async def _dead_letter_queue(
        self, queue: str, *, confirms: bool
    ) -> AsyncIterator[tuple[AbstractChannel, AbstractQueue | None]]:
        """A channel of its own on the queue's dead letters (None when it was never declared).

        Reading takes messages unacknowledged; closing the channel returns every one not acknowledged
        to the dead-letter queue, in its place. A crash of this process does the same, so reading
        never loses a message (unlike consuming and re-publishing, which could).
        """
        if self._connection is None or not self._is_connected():
            raise BrokerUnavailable("RabbitMQ is not connected")
        channel = await self._connection.channel(publisher_confirms=confirms)
        try:
            try:
                dead_letters = await channel.declare_queue(self.dead_letter_queue_name(queue), passive=True)
            except ChannelNotFoundEntity:
                yield channel, None
                return
            yield channel, dead_letters
        finally:
            with contextlib.suppress(Exception):  # the broker closes the channel of a failed passive declare
                await channel.close()

    async def close(self, *, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Stop the deliveries, let the handlers running finish and acknowledge (for `grace_seconds`), then
        disconnect: every message not acknowledged (a handler still waiting to retry) goes back to its
        queue, and the next consumer's idempotency keeps its effect single."""
        if self._connector:
            self._connector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connector
        for declared, tag in self._consuming if self._is_connected() else ():
            # Bounded: a connection lost meanwhile would wait to reconnect first (and delivers nothing).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(declared.cancel(tag), timeout=PUBLISH_TIMEOUT_SECONDS)
        if self._handler_tasks:
            _, unfinished = await asyncio.wait(set(self._handler_tasks), timeout=grace_seconds)
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()

    async def health(self) -> ComponentHealth:
        async def probe() -> None:
            if not self._is_connected():
                raise BrokerUnavailable("not connected")

        return await timed("broker", "rabbitmq", probe, required=False)


def _message(
    body: bytes, event: Event, *, headers: dict[str, aio_pika.abc.FieldValue] | None = None
) -> aio_pika.Message:
    return aio_pika.Message(
        body,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=str(event.id),
        type=event.type,
        timestamp=event.occurred_at,
        app_id=event.producer,
        headers=headers or {},
    )


async def _read_all(queue: AbstractQueue) -> list[AbstractIncomingMessage]:
    """Every message of a queue nobody consumes, taken unacknowledged (see `_dead_letter_queue`)."""
    messages: list[AbstractIncomingMessage] = []
    while len(messages) < DEAD_LETTERS_READ_MAX:
        message = await queue.get(no_ack=False, fail=False)
        if message is None:
            break
        messages.append(message)
    return messages


def _letter(message: AbstractIncomingMessage) -> DeadLetter | None:
    try:
        event = Event.from_json(message.body)
    except Exception:
        logger.warning("unreadable dead letter left in place", extra={"message_id": message.message_id})
        return None
    headers = message.headers or {}
    attempts = headers.get(ATTEMPTS_HEADER)
    failure = headers.get(LAST_ERROR_HEADER)
    return DeadLetter(
        event=event,
        attempts=attempts if isinstance(attempts, int) else None,
        last_error=failure if isinstance(failure, str) else None,
        dead_lettered_at=_dead_lettered_at(headers),
    )


def _dead_lettered_at(headers: Mapping[str, object]) -> datetime | None:
    """Our own header, or the time the broker wrote in `x-death` when it dead-lettered the message."""
    stamped = headers.get(DEAD_LETTERED_AT_HEADER)
    if isinstance(stamped, str):
        return datetime.fromisoformat(stamped)
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], Mapping):
        time = deaths[0].get("time")
        if isinstance(time, datetime):
            return time if time.tzinfo else time.replace(tzinfo=UTC)
    return None
