"""Progressive lockout after failed sign-ins, per email (known or not).

Every attempt is counted before its password is checked, in a transaction of its own that commits at
once: concurrent guesses cannot slip past the limit while the first ones are still being verified, and
the count stands although the request that made it fails. The fifth attempt in a row locks the email
for a minute, whatever its outcome; each further lockout lasts twice as long, up to 15 minutes. A
correct password (or a password reset) clears it all, and a day without attempts forgets it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import DomainError
from subgraphs.user.identity.models import LoginThrottle

ATTEMPTS_BEFORE_LOCKOUT = 5
FIRST_LOCKOUT = timedelta(minutes=1)
LONGEST_LOCKOUT = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)

TOO_MANY_ATTEMPTS = "too many failed sign-ins with this email; wait before trying again"


class TooManyAttempts(DomainError):
    """The email is locked: its password is not checked until `extensions.retryAfterSeconds` have passed."""

    code = "TOO_MANY_ATTEMPTS"


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    """False while a lockout is in force: the password is not even checked."""
    locked_until: datetime | None
    """The lockout in force once this attempt is counted (it may be the one this attempt started)."""

    def retry_after_seconds(self, now: datetime) -> int | None:
        if self.locked_until is None or self.locked_until <= now:
            return None
        return max(1, math.ceil((self.locked_until - now).total_seconds()))

    def refusal(self, now: datetime, *, field: str | None = None) -> TooManyAttempts | None:
        """The error for a refused attempt while a lockout is in force (this one's own included), else None."""
        retry_after = self.retry_after_seconds(now)
        if retry_after is None:
            return None
        return TooManyAttempts(TOO_MANY_ATTEMPTS, field=field, details={"retryAfterSeconds": retry_after})


def lockout_length(lockouts_before: int) -> timedelta:
    return min(FIRST_LOCKOUT * (1 << min(lockouts_before, 16)), LONGEST_LOCKOUT)


def admit(throttle: LoginThrottle, now: datetime) -> Admission:
    """Count one attempt on the (row-locked) throttle and say whether its password may be checked."""
    if throttle.locked_until is not None and throttle.locked_until > now:
        return Admission(allowed=False, locked_until=throttle.locked_until)
    if now - throttle.last_attempt_at > FORGET_AFTER:
        throttle.failures, throttle.lockouts = 0, 0
    throttle.failures += 1
    throttle.last_attempt_at = now
    if throttle.failures >= ATTEMPTS_BEFORE_LOCKOUT:
        throttle.locked_until = now + lockout_length(throttle.lockouts)
        throttle.lockouts += 1
        throttle.failures = 0
    return Admission(allowed=True, locked_until=throttle.locked_until)
