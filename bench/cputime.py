"""CPU time of a benchmark worker, shared by the form benchmarks."""

from __future__ import annotations

import os

from rpa.documents.tess_api import API


def cpu_seconds() -> float:
    """CPU seconds of this process, its finished children (each `tesseract` CLI run) and its
    live Tesseract API child (read from /proc, as `os.times()` counts a child only once it is
    reaped): a per-core speed that other work on a shared machine does not distort."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system + API.cpu_seconds()
