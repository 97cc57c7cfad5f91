"""Errors of the NLU management; all are SmartLab errors, so the CLI prints them in one line.

    SmartLabError
    └── NluError               something about a Rasa project, its model or its server
        ├── ProjectError       no such project, or it lacks config.yml / data (the user's mistake)
        ├── DataError          a CSV cannot become training data (missing column, too few rows)
        ├── RasaError          the Rasa command failed (exit code and the tail of its output)
        └── ServerError        the server did not become ready, or cannot be reached
"""

from __future__ import annotations

from rpa.errors import SmartLabError


class NluError(SmartLabError):
    """Root of the NLU management's errors."""


class ProjectError(NluError):
    """A project is missing or incomplete."""


class DataError(NluError):
    """Training or evaluation data cannot be used as given."""


class RasaError(NluError):
    """A `rasa` command ended with a non-zero exit code."""


class ServerError(NluError):
    """A Rasa server did not start, did not get ready in time, or stopped answering."""
