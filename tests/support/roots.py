"""Declared file roots in a temporary folder, and the four ways a flow's path tries to leave
them (issue 20): an absolute path outside, a `..`, a symlink out of a root, a quarantined
file. Each activity that opens a path a flow gives is tested against all four; the files
exist and are real documents, so a refusal shows the check came before any reading.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RUN_ID = "run-roots"


@dataclass(frozen=True)
class Roots:
    box: Path  # the read-write root (SMARTLAB_FILE_ROOTS)
    outside: Path  # a folder no root covers
    hostile: dict[str, tuple[Path, str]]  # case -> (path of the document, what the error says)


def declare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: Path) -> Roots:
    """`box` read-write, `examples` read-only, artifacts under tmp; `document` copied outside,
    into a quarantine folder, and linked from inside the box."""
    box, outside = tmp_path / "box", tmp_path / "outside"
    for folder in (box / "quarantine", outside):
        folder.mkdir(parents=True)
    monkeypatch.setenv("SMARTLAB_FILE_ROOTS", str(box))
    monkeypatch.setenv("SMARTLAB_FILE_READ_ROOTS", str(EXAMPLES))
    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    name, shown = document.name, re.escape(str(box))
    for target in (outside / name, box / "quarantine" / name, box / name):
        shutil.copyfile(document, target)
    (box / f"link-{name}").symlink_to(outside / name)
    return Roots(box, outside, {
        "absolute path outside": (outside / name, f"outside the declared roots \\(roots: .*{shown}"),
        "'..' out of a root": (box / ".." / "outside" / name, f"'..' is not allowed .*leaves the root {shown}"),
        "symlink leaving a root": (box / f"link-{name}", f"outside the declared roots \\(it leaves the root {shown}"),
        "quarantined file": (box / "quarantine" / name, f"quarantined evidence in the root {shown}"),
    })


HOSTILE = ["absolute path outside", "'..' out of a root", "symlink leaving a root", "quarantined file"]
