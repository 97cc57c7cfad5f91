"""Retry policy arithmetic: exponential backoff with a cap and optional full jitter."""

from __future__ import annotations

import random

from rpa.flow.model import Retry


def backoff(policy: Retry, attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    delay = min(policy.max_backoff, policy.backoff * policy.factor ** (attempt - 1))
    if policy.jitter:
        delay = (rng or random).uniform(0, delay)
    return delay


def should_retry(policy: Retry | None, attempt: int) -> bool:
    return policy is not None and attempt < policy.max_attempts
