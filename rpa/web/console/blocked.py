"""Why an unfinished run cannot go on: a secret its flow needs is not set where the runs run.

A worker that resumes such a run (after a review is accepted, say) stops at the missing
secret before its first step, so the store still says `running` or `ready`; the reason was
only in the server's log. The run page asks the same question the worker asks — can every
secret the flow declares be resolved here (the server and its workers share environment and
secrets file) — and shows the answer as a `blocked` status with that reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from rpa.errors import FlowError
from rpa.flow import load_flow
from rpa.secrets import SecretMissing
from rpa.secrets import resolve as resolve_secrets
from rpa.store import RunRecord


def blocked_reason(run: RunRecord, environ: Mapping[str, str] | None = None) -> str | None:
    """The one-line reason a run is stuck on a missing secret, or None when nothing blocks it."""
    if run.finished:
        return None
    try:
        flow, _ = load_flow(run.flow_path)
        names = list(flow.secrets)
    except (FlowError, OSError):  # the flow file itself is the problem; resume says so
        return None
    try:
        resolve_secrets(names, environ)
    except SecretMissing as exc:
        return str(exc)
    return None


def shown(status: str, reason: str | None) -> str:
    """A parked run still waits for its person; any other unfinished run is blocked."""
    return "blocked" if reason and status != "waiting" else status
