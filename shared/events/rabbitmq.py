"""The RabbitMQ bus: durable topic exchange, persistent messages, publisher confirms, durable queues."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import aio_pika
from aio_pika.abc import (
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractRobustChannel,
    AbstractRobustConnection,
)

from shared.events.bus import MAX_DELIVERY_ATTEMPTS, BrokerUnavailable, EventHandler, retry_delay
from shared.events.envelope import Event
from shared.health import ComponentHealth, timed

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 5.0
RECONNECT_MAX_SECONDS = 15.0


class RabbitMQBus:
    """Connects in the background so a service starts while the broker is down; the outbox waits."""

    def __init__(self, url: str, *, exchange: str = "hockey-hub", queue_prefix: str = "hockey-hub"):
        self._url = url
        self._exchange_name = exchange
        self._queue_prefix = queue_prefix
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractRobustChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._connected = asyncio.Event()
        self._connector: asyncio.Task[None] | None = None
        self._consumers: list[tuple[str, tuple[str, ...], EventHandler]] = []
        self._handler_tasks: set[asyncio.Task[None]] = set()

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
        message = aio_pika.Message(
            event.to_json(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(event.id),
            type=event.type,
            timestamp=event.occurred_at,
            app_id=event.producer,
        )
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

    async def _bind_consumer(self, queue: str, routing_keys: tuple[str, ...], handler: EventHandler) -> None:
        assert self._connection is not None
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=16)
        exchange = await channel.declare_exchange(self._exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        dead_letters = await channel.declare_queue(f"{self.queue_name(queue)}.dead-letter", durable=True)
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

        await declared.consume(on_message)

    async def _handle(self, queue: str, message: AbstractIncomingMessage, handler: EventHandler) -> None:
        try:
            event = Event.from_json(message.body)
        except Exception:
            logger.exception("malformed event, dead-lettering", extra={"queue": queue})
            await message.reject(requeue=False)
            return
        for attempt in range(1, MAX_DELIVERY_ATTEMPTS + 1):
            try:
                await handler(event)
                await message.ack()
                return
            except Exception:
                logger.exception(
                    "event handler failed",
                    extra={"queue": queue, "event_id": str(event.id), "attempt": attempt},
                )
                if attempt < MAX_DELIVERY_ATTEMPTS:
                    await asyncio.sleep(retry_delay(attempt))
        await message.reject(requeue=False)  # to the queue's dead-letter queue

    async def close(self) -> None:
        if self._connector:
            self._connector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connector
        if self._handler_tasks:
            await asyncio.gather(*self._handler_tasks, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()

    async def health(self) -> ComponentHealth:
        async def probe() -> None:
            if not self._is_connected():
                raise BrokerUnavailable("not connected")

        return await timed("broker", "rabbitmq", probe, required=False)
