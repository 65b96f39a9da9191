"""What becomes of an email or push that could not be delivered: tried again later and later, and given up
after `MAX_ATTEMPTS`, or at once when the other side refuses it for good (an address that does not exist, a
push service that rejects the message). A delivery given up keeps its last error for the staff who look
into it; the notification itself stays in the app either way.

Before this, a failed delivery was tried again on every round, for ever: one bouncing address held back
every email of its batch, and a rejected push was sent every few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=2)
"""With these, the eighth attempt comes about four hours after the first."""
ERROR_LENGTH = 500


@dataclass(frozen=True, slots=True)
class Failure:
    reason: str
    permanent: bool
    """The other side will never take it (a 5xx SMTP reply, a push service's 4xx): no point trying again."""


class Delivery(Protocol):
    due_at: datetime
    attempts: int
    last_error: str | None
    failed_at: datetime | None


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from a minute, at most two hours."""
    delay: timedelta = FIRST_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_DELAY)


def record_failure(delivery: Delivery, failure: Failure, now: datetime) -> bool:
    """Count the failed attempt on the (locked) row; True when the delivery is given up."""
    delivery.attempts += 1
    delivery.last_error = failure.reason[:ERROR_LENGTH]
    if failure.permanent or delivery.attempts >= MAX_ATTEMPTS:
        delivery.failed_at = now
        return True
    delivery.due_at = now + retry_delay(delivery.attempts)
    return False
