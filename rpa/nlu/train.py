"""Training a project's model, skipped when a model for the current data hash exists."""

from __future__ import annotations

import time
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


def train(project: Project, *, force: bool = False) -> TrainResult:
    """Train `project` (NLU only or full, by its kind) unless its model is current."""
    model = project.model_path()
    if model.exists() and not force:
        return TrainResult(model, True, 0.0)
    started = time.monotonic()
    run_rasa(_train_args(project, model), cwd=project.root, log=project.state / "train.log")
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
