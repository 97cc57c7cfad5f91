"""Exit codes that tell a script what became of a run: done, failed, or waiting for someone.

A shell script (or CI) can then wait for a review instead of treating it as a failure.
"""

from __future__ import annotations

# run status -> exit code; any other status (failure, business_exception) is 1
EXIT_CODES: dict[str, int] = {
    "success": 0,
    "waiting": 3,       # parked on a human task: `smartlab tasks complete` lets it go on
    "interrupted": 4,   # stopped (Ctrl-C, a worker stopping): `smartlab resume RUN_ID`
    "cancelled": 5,
}
FAILED = 1
USAGE = 2  # the command was wrong (bad option, no such flow or run); no run was started

EXIT_HELP = (
    "Exit codes of run, resume and tasks complete: 0 success · 1 the run failed · "
    "2 bad command or input · 3 the run waits for a person (a review task) · "
    "4 interrupted, resumable · 5 cancelled."
)


def exit_code(status: str) -> int:
    return EXIT_CODES.get(status, FAILED)


def worst(statuses: list[str]) -> int:
    """For several runs (`resume --all`): a failure outranks waiting, which outranks success."""
    codes = [exit_code(s) for s in statuses]
    return FAILED if FAILED in codes else max(codes, default=0)
