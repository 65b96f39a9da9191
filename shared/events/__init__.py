"""Events between domains: outbox, relay, a bus (in-process or RabbitMQ) and idempotent consumers."""

from shared.events.bus import BrokerUnavailable, DeadLetter, EventBus, RetryPolicy
from shared.events.envelope import Event
from shared.events.memory import InProcessBus
from shared.events.outbox import record_event
from shared.events.rabbitmq import RabbitMQBus
from shared.settings import Settings


def create_bus(settings: Settings) -> EventBus:
    retry = RetryPolicy.from_settings(settings)
    if settings.amqp_url:
        return RabbitMQBus(
            settings.amqp_url, exchange=settings.amqp_exchange, queue_prefix=settings.amqp_queue_prefix, retry=retry
        )
    return InProcessBus(retry=retry)


__all__ = [
    "BrokerUnavailable",
    "DeadLetter",
    "Event",
    "EventBus",
    "InProcessBus",
    "RabbitMQBus",
    "RetryPolicy",
    "create_bus",
    "record_event",
]
