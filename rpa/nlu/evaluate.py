"""Measuring models: `rasa test` on a project, and a CSV of cases against a served model.

`rasa test nlu` uses the project's held-out `tests/` examples when it has them (its training
data otherwise, which only shows the model learned); `rasa test core` runs test stories of
projects with a domain. CSV evaluation goes through a real server, so latency is what a
caller sees.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from rpa.nlu import metrics
from rpa.nlu.client import Prediction, RasaHttp
from rpa.nlu.csvdata import clean_text, intent_name, read_rows
from rpa.nlu.errors import DataError, ProjectError, RasaError
from rpa.nlu.project import Project
from rpa.nlu.rasa import run_rasa
from rpa.nlu.server import RasaServer, free_port


@dataclass(frozen=True)
class ProjectScore:
    accuracy: float
    macro_f1: float
    examples: int
    held_out: bool
    report_dir: Path
    stories_accuracy: float | None = None
    stories: int | None = None


def held_out_data(project: Project) -> tuple[Path, bool]:
    held_out = [p for p in project.tests.glob("*.yml") if "nlu" in p.name]
    return (held_out[0], True) if held_out else (project.data, False)


def score_project(project: Project, model: Path) -> ProjectScore:
    out = project.state / "test-results"
    nlu_data, held_out = held_out_data(project)
    run_rasa(["test", "nlu", "--model", str(model), "--nlu", str(nlu_data), "--out", str(out),
              "--no-plot"], cwd=project.root, log=project.state / "test-nlu.log")
    score = _intent_score(out / "intent_report.json", held_out, out)
    if project.is_nlu_only or not _story_tests(project):
        return score
    run_rasa(["test", "core", "--model", str(model), "--stories", str(project.tests),
              "--out", str(out), "--no-plot"],
             cwd=project.root, log=project.state / "test-core.log")
    return _with_stories(score, out / "story_report.json")


def _intent_score(path: Path, held_out: bool, out: Path) -> ProjectScore:
    report = _read_json(path)
    macro = report.get("macro avg", {})
    return ProjectScore(float(report.get("accuracy", 0.0)), float(macro.get("f1-score", 0.0)),
                        int(macro.get("support", 0)), held_out, out)


def _story_tests(project: Project) -> bool:
    return any("stories:" in p.read_text(encoding="utf-8") for p in project.tests.glob("*.yml"))


def _with_stories(score: ProjectScore, path: Path) -> ProjectScore:
    conv = _read_json(path).get("conversation_accuracy", {})
    return replace(score, stories_accuracy=float(conv.get("accuracy", 0.0)),
                   stories=int(conv.get("total", 0)))


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RasaError(f"rasa test wrote no readable report at {path}: {exc}") from exc


def resolve_model(given: Path) -> Path:
    """A `.tar.gz`, or the newest one in a folder or in its `models/` sub-folder."""
    if given.is_file():
        return given.resolve()
    for folder in (given / "models", given):
        found = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        if found:
            return found[-1].resolve()
    raise ProjectError(f"no trained model (*.tar.gz) in {given} or {given / 'models'}")


@dataclass(frozen=True)
class Case:
    text: str
    label: str


def read_cases(path: Path, text_col: str, label_col: str, limit: int | None = None) -> list[Case]:
    cases = []
    for text, label in read_rows(path, text_col, label_col):
        if clean_text(text) and intent_name(label):
            cases.append(Case(clean_text(text), intent_name(label)))
        if limit and len(cases) >= limit:
            break
    if not cases:
        raise DataError(f"{path}: no rows with both text and label")
    return cases


Progress = Callable[[int], None]


def predict_all(url: str, cases: list[Case], workers: int = 2,
                progress: Progress | None = None) -> tuple[list[Prediction], list[float]]:
    """Each case through `/model/parse`; returns predictions and per-case latency in ms."""
    local = threading.local()

    def one(case: Case) -> tuple[Prediction, float]:
        if not hasattr(local, "client"):
            local.client = RasaHttp(url)
        started = time.perf_counter()
        prediction = local.client.predict(case.text)
        latency = (time.perf_counter() - started) * 1000
        if progress:
            progress(1)
        return prediction, latency

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(one, cases))
    return [p for p, _ in results], [ms for _, ms in results]


@dataclass(frozen=True)
class OutOfScope:
    """How evaluation tells an out-of-scope answer: this label, a fallback, or low confidence."""

    label: str
    threshold: float = 0.0

    def flags(self, prediction: Prediction) -> bool:
        return (prediction.intent == self.label or prediction.fell_back
                or prediction.confidence < self.threshold)


def score_cases(cases: list[Case], predictions: list[Prediction], latencies: list[float],
                oos: OutOfScope | None = None) -> metrics.Report:
    """Figures for the cases; with `oos`, an out-of-scope answer is never routed (confidence 0)."""
    if oos is None:
        return metrics.report([c.label for c in cases], [p.intent for p in predictions],
                              [p.confidence for p in predictions], latencies)
    flagged = [oos.flags(p) for p in predictions]
    labels = [oos.label if f else p.intent for p, f in zip(predictions, flagged, strict=True)]
    confidence = [0.0 if f else p.confidence for p, f in zip(predictions, flagged, strict=True)]
    return metrics.report([c.label for c in cases], labels, confidence, latencies, oos.label)


def evaluate_csv(model: Path, cases: list[Case], url: str | None = None, workers: int = 2,
                 progress: Progress | None = None, oos: OutOfScope | None = None
                 ) -> metrics.Report:
    """Score `cases` on a running server at `url`, or on `model` served for the occasion."""
    if url:
        return score_cases(cases, *predict_all(url, cases, workers, progress), oos)
    model = resolve_model(model)
    port = free_port()
    with RasaServer(model, port, log=model.parent / "logs" / f"eval-{port}.log") as server:
        return score_cases(cases, *predict_all(server.url, cases, workers, progress), oos)
