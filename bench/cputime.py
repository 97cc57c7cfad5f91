"""CPU time of a benchmark worker, shared by the form benchmarks."""

from __future__ import annotations

import os


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as a child):
    a per-core speed that other work on a shared machine does not distort."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
