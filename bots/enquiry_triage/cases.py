"""Past resolved cases for the similar-case search, and officers' corrections kept as
labelled data for retraining (a CSV that `smartlab nlu train triage --from-csv` reads)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from bots.enquiry_triage.nlu_client import NluClient
from bots.enquiry_triage.redact import redact_text
from bots.enquiry_triage.similar import CaseIndex, case_from
from rpa.errors import BusinessError

CORRECTION_COLUMNS = ["time", "enquiry_id", "text", "label", "previous", "officer"]


def load_index(path: str | Path, url: str | None = None) -> CaseIndex:
    """The index of a cases file (JSON list or CSV), rebuilt only when the file changes.

    With `url`, cases are embedded by the Rasa server there (the classifier's own embedding),
    once per file version; a pipeline that exposes none gives the TF-IDF index."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise BusinessError(f"no resolved-cases file at {path}") from exc
    return _index(str(path.resolve()), stamp, url)


@lru_cache(maxsize=8)
def _index(path: str, stamp: int, url: str | None) -> CaseIndex:
    embed = (lambda text: NluClient(url).parse(text).embedding) if url else None
    return CaseIndex((case_from(r) for r in _records(Path(path))), embed)


def _records(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix.lower() == ".csv":
            return list(csv.DictReader(text.splitlines()))
        data = json.loads(text)
    except (ValueError, csv.Error) as exc:
        raise BusinessError(f"cannot read resolved cases from {path}: {exc}") from exc
    return data.get("cases", []) if isinstance(data, dict) else data


def record_correction(path: str | Path, enquiry_id: str, text: str, label: str,
                      previous: str = "", officer: str = "") -> dict:
    """Append one relabelled enquiry (redacted) to the corrections CSV; returns the row."""
    path = Path(path)
    row = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "enquiry_id": enquiry_id,
           "text": redact_text(" ".join(text.split())), "label": label, "previous": previous,
           "officer": officer}
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CORRECTION_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(row)
    return row
