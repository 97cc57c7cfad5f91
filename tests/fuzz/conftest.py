"""Fuzz budgets: a short one in `make test`, a long one for `bench/fuzz.py`.

Per-example deadlines are off here (no wall-clock limits in unit tests on a loaded machine);
the long run sets one and reports what it found. Failing examples are kept in
`.hypothesis/` and replayed first next time, so a find becomes a regression example.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("short", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5_000, deadline=5000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("SMARTLAB_FUZZ_PROFILE", "short"))
