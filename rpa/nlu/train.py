"""Training a project's model, skipped when a model for the current data hash exists."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rpa.nlu.project import Project
from rpa.nlu.rasa import run_rasa


@dataclass(frozen=True)
class TrainResult:
    model: Path
    skipped: bool
    seconds: float


def is_current(project: Project) -> bool:
    return project.model_path().exists()


def train(project: Project, *, force: bool = False,
          on_line: Callable[[str], None] | None = None) -> TrainResult:
    """Train `project` (NLU only or full, by its kind) unless its model is current;
    `on_line` sees each line Rasa logs (see `TrainProgress`)."""
    model = project.model_path()
    if model.exists() and not force:
        return TrainResult(model, True, 0.0)
    started = time.monotonic()
    run_rasa(_train_args(project, model), cwd=project.root, log=project.state / "train.log",
             on_line=on_line)
    _prune(project, keep=model)
    return TrainResult(model, False, time.monotonic() - started)


def _train_args(project: Project, model: Path) -> list[str]:
    common = ["--config", str(project.config), "--out", str(project.models),
              "--fixed-model-name", model.name.removesuffix(".tar.gz")]
    if project.is_nlu_only:
        return ["train", "nlu", "--nlu", str(project.data), *common]
    return ["train", "--data", str(project.data), "--domain", str(project.domain), *common]


def _prune(project: Project, keep: Path) -> None:
    """Older models of this project are stale by construction; keep the folder small."""
    for old in project.models.glob(f"{project.name}-*.tar.gz"):
        if old != keep:
            old.unlink(missing_ok=True)


_FINISHED = re.compile(r"Finished training component '([^']+)'")
_EMBEDDED = re.compile(r"embedded (\d+)/(\d+) texts")


@dataclass
class TrainProgress:
    """Reads Rasa's training log lines: pipeline components finished, and the embedder's
    `embedded N/M texts` lines (the slow part on a large CSV) for the part in between."""

    components: int
    done: int = 0
    part: float = 0.0
    stage: str = "starting Rasa"

    def feed(self, line: str) -> None:
        if found := _FINISHED.search(line):
            self.done, self.part, self.stage = self.done + 1, 0.0, f"trained {found[1]}"
        elif found := _EMBEDDED.search(line):
            self.part = int(found[1]) / max(1, int(found[2]))
            self.stage = f"embedding {found[1]}/{found[2]} texts"

    @property
    def fraction(self) -> float:
        return min(1.0, (self.done + self.part) / max(1, self.components))
