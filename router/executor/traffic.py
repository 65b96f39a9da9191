"""Keeping subgraph traffic healthy: a circuit breaker per subgraph and a retry budget."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class CircuitBreaker:
    """Stops calling a subgraph that keeps failing, then lets one trial request through after a pause."""

    failure_threshold: int = 5
    open_seconds: float = 10.0
    failures: int = 0
    opened_at: float | None = None
    trial_in_flight: bool = False

    def allow(self) -> bool:
        if self.opened_at is None:
            return True
        if time.monotonic() - self.opened_at < self.open_seconds or self.trial_in_flight:
            return False
        self.trial_in_flight = True  # half-open: one request decides
        return True

    def succeeded(self) -> None:
        self.failures = 0
        self.opened_at = None
        self.trial_in_flight = False

    def failed(self) -> None:
        self.failures += 1
        self.trial_in_flight = False
        if self.failures >= self.failure_threshold:
            self.opened_at = time.monotonic()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if time.monotonic() - self.opened_at >= self.open_seconds else "open"


@dataclass
class RetryBudget:
    """Retries may add at most `ratio` of recent requests (plus a small floor), so that retries never
    multiply the load on a subgraph that is already struggling."""

    ratio: float = 0.2
    floor_per_second: float = 5.0
    window_seconds: float = 10.0
    _deposits: float = 0.0
    _withdrawals: float = 0.0
    _window_start: float = field(default_factory=time.monotonic)

    def _roll(self) -> None:
        now = time.monotonic()
        if now - self._window_start > self.window_seconds:
            self._window_start, self._deposits, self._withdrawals = now, 0.0, 0.0

    def record_request(self) -> None:
        self._roll()
        self._deposits += 1

    def try_spend(self) -> bool:
        self._roll()
        allowance = self._deposits * self.ratio + self.floor_per_second * self.window_seconds
        if self._withdrawals + 1 > allowance:
            return False
        self._withdrawals += 1
        return True
