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

    def hostile(self, case: str, name: str) -> tuple[Path, str]:
        """The path of document `name` for `case`, and (a regex of) what the refusal says."""
        box, shown = self.box, re.escape(str(self.box))
        out = "outside the declared roots"
        return {
            "absolute path outside": (self.outside / name, f"{out} \\(roots: .*{shown}"),
            "'..' out of a root": (box / ".." / "outside" / name, f"'..' is not allowed .*leaves the root {shown}"),
            "symlink leaving a root": (box / f"link-{name}", f"{out} \\(it leaves the root {shown}"),
            "quarantined file": (box / "quarantine" / name, f"quarantined evidence in the root {shown}"),
        }[case]


def declare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *documents: Path) -> Roots:
    """`box` read-write, `examples` read-only, artifacts under tmp; each document copied
    outside, into a quarantine folder and into the box, and linked from the box to outside."""
    box, outside = tmp_path / "box", tmp_path / "outside"
    for folder in (box / "quarantine", outside):
        folder.mkdir(parents=True)
    monkeypatch.setenv("SMARTLAB_FILE_ROOTS", str(box))
    monkeypatch.setenv("SMARTLAB_FILE_READ_ROOTS", str(EXAMPLES))
    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    for document in documents:
        for target in (outside / document.name, box / "quarantine" / document.name, box / document.name):
            shutil.copyfile(document, target)
        (box / f"link-{document.name}").symlink_to(outside / document.name)
    return Roots(box, outside)


HOSTILE = ["absolute path outside", "'..' out of a root", "symlink leaving a root", "quarantined file"]
WRITES = HOSTILE[:3]  # writing beside quarantined evidence (its .reason.txt) is allowed
