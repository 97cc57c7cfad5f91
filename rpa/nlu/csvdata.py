"""Past routed cases in a CSV -> a Rasa NLU project (config + `data/nlu.yml`) in a folder.

Labels become intent names by one function, `intent_name`, which evaluation applies to gold
labels too, so a label like "Water Supplies / burst main" compares equal after the round trip.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from rpa.nlu.errors import DataError

_UNSAFE = re.compile(r"[\s/]+")
_ANNOTATION = re.compile(r"\]([({])")  # `[x](e)` / `[x]{...}` would be read as an entity
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # YAML refuses these
MIN_LABELS = 2

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class Example:
    text: str
    label: str


@dataclass(frozen=True)
class Conversion:
    examples: int
    labels: int
    skipped_blank: int
    skipped_duplicate: int


def intent_name(label: str) -> str:
    """Rasa reserves `/` (retrieval intents) and cannot have spaces in an intent name."""
    return _UNSAFE.sub("_", label.strip()).strip("_")


def clean_text(text: str) -> str:
    return _ANNOTATION.sub(r"] \1", " ".join(_CONTROL.sub(" ", text).split()))


def read_rows(path: Path, text_col: str, label_col: str) -> Iterator[tuple[str, str]]:
    """(text, label) per row, raw; a missing file or column is a DataError naming what exists."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            _check_columns(path, reader.fieldnames or [], text_col, label_col)
            for row in reader:
                yield row.get(text_col) or "", row.get(label_col) or ""
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc


def _check_columns(path: Path, found: list[str], *wanted: str) -> None:
    missing = [c for c in wanted if c not in found]
    if missing:
        raise DataError(f"{path} has no column {', '.join(map(repr, missing))}; "
                        f"its columns are {', '.join(map(repr, found))}")


def examples_from(rows: Iterator[tuple[str, str]]) -> tuple[list[Example], int, int]:
    """Clean examples, without blanks and repeated texts (the first label wins)."""
    seen: set[str] = set()
    kept: list[Example] = []
    blank = duplicate = 0
    for text, label in rows:
        text, label = clean_text(text), intent_name(label)
        if not text or not label:
            blank += 1
        elif text.casefold() in seen:
            duplicate += 1
        else:
            seen.add(text.casefold())
            kept.append(Example(text, label))
    return kept, blank, duplicate


def nlu_yaml(examples: list[Example]) -> str:
    by_label: dict[str, list[str]] = {}
    for ex in examples:
        by_label.setdefault(ex.label, []).append(ex.text)
    parts = ['version: "3.1"', "nlu:"]
    for label in sorted(by_label):
        parts.append(f"- intent: {json.dumps(label, ensure_ascii=False)}\n  examples: |")
        parts.extend(f"    - {text}" for text in by_label[label])
    return "\n".join(parts) + "\n"


def write_project(csv_path: Path, text_col: str, label_col: str, out: Path,
                  base_config: Path, epochs: int | None = None) -> Conversion:
    """Write `out/config.yml` (from the base project, epochs optionally changed) and the data."""
    examples, blank, duplicate = examples_from(read_rows(csv_path, text_col, label_col))
    labels = {ex.label for ex in examples}
    if len(labels) < MIN_LABELS:
        raise DataError(f"{csv_path}: need at least {MIN_LABELS} labels with text, "
                        f"found {len(labels)}")
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "data" / "nlu.yml").write_text(nlu_yaml(examples), encoding="utf-8")
    (out / "config.yml").write_text(config_text(base_config, epochs), encoding="utf-8")
    return Conversion(len(examples), len(labels), blank, duplicate)


def config_text(base_config: Path, epochs: int | None) -> str:
    config = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    if epochs:
        for component in config.get("pipeline", []):
            if "epochs" in component:
                component["epochs"] = epochs
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
