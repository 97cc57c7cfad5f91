"""`flow.run`: run another flow as a step, durably.

The child run's id comes from the step's idempotency key, so a resumed parent finds the same
child and resumes or reuses it instead of starting a second one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rpa.activities.context import Context
from rpa.activities.spec import activity
from rpa.errors import ApplicationError, BusinessError


@activity("flow.run", effect=True)
def run(ctx: Context, path: str, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the flow at `path` (relative to this flow's folder) to its end; returns
    `{run_id, status, vars}`. A child ending in business_exception raises a BusinessError,
    one ending in failure an ApplicationError."""
    if ctx.subflow is None:
        raise ApplicationError("flow.run needs the runner (it cannot run outside a flow)")
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise BusinessError(f"flow.run: {path} must be a path inside this flow's folder (no '..', not absolute)")
    result = ctx.subflow(path, inputs or {})
    if result.status == "business_exception":
        raise BusinessError(f"sub-flow {path} ({result.run_id}): {result.error}")
    if result.status != "success":
        raise ApplicationError(f"sub-flow {path} ({result.run_id}) ended {result.status}: {result.error}")
    return {"run_id": result.run_id, "status": result.status, "vars": result.vars}
